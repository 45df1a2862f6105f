import { list, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { Severity } from '../../rule-api/severity';

/** Pods do not mount hostPath volumes (upstream check `hostPathVolumes`, v1.0; unchanged since). */
export class HostPathRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-HOST-PATH',
      title: 'Pods do not mount hostPath volumes',
      rationale: 'A hostPath volume exposes the node filesystem (e.g. the container runtime socket), a direct path to node takeover.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): HostPath Volumes',
      fix: 'Replace the hostPath volume with an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim.',
      admission: AdmissionCheck.podSpec([{
        expression: 'variables.podSpec.?volumes.orValue([]).all(v, !has(v.hostPath))',
        messageExpression: "'volumes ' + variables.podSpec.volumes.filter(v, has(v.hostPath)).map(v, v.name).join(', ') + ' mount host paths'",
        message: 'a volume mounts a host path',
      }]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    return list(pod.spec.volumes).filter((v) => v?.hostPath != null).map((v) => `volume "${v.name}" mounts host path ${v.hostPath.path}`);
  }
}

import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Pods do not mount hostPath volumes */
export class HostPathRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-HOST-PATH',
      title: 'Pods do not mount hostPath volumes',
      rationale: 'A hostPath volume exposes the node filesystem (e.g. the container runtime socket), a direct path to node takeover.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): HostPath Volumes',
      fix: 'Replace the hostPath volume with an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim.',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return (pod.spec.volumes ?? []).filter((v: any) => v.hostPath).map((v: any) => `volume "${v.name}" mounts host path ${v.hostPath.path}`);
  }
}

import { list, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, everyContainer } from '../../rule-api/cel';
import { Severity } from '../../rule-api/severity';

/** Containers do not bind host ports (upstream check `hostPorts`, v1.0: any non-zero hostPort). */
export class HostPortsRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-HOST-PORTS',
      title: 'Containers do not bind host ports',
      rationale: 'Host ports bypass NetworkPolicies and Services and tie pods to nodes.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Host Ports',
      fix: 'Remove hostPort from the container ports; expose the pod through a Service.',
      admission: AdmissionCheck.podSpec([everyContainer(ALL_CONTAINERS, 'c.?ports.orValue([]).all(p, p.?hostPort.orValue(0) == 0)', 'bind host ports')]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.flatMap((c) => list(c.container?.ports)
      .map((p, i) => (p?.hostPort ? `${c.pointer}/ports/${i}/hostPort is ${p.hostPort}` : undefined))
      .filter((m): m is string => m !== undefined));
  }
}

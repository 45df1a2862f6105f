import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Containers do not bind host ports */
export class HostPortsRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-HOST-PORTS',
      title: 'Containers do not bind host ports',
      rationale: 'Host ports bypass NetworkPolicies and Services and tie pods to nodes.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Host Ports',
      fix: 'Remove hostPort from the container ports; expose the pod through a Service.',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.flatMap((c) => (c.container.ports ?? [])
      .map((p: any, i: number) => (p.hostPort ? `${c.pointer}/ports/${i}/hostPort is ${p.hostPort}` : undefined))
      .filter((m: string | undefined): m is string => m !== undefined));
  }
}

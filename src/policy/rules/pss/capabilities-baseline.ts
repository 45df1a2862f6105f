import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** Containers add no capability beyond the container runtime's default set. */
export class CapabilitiesBaselineRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-CAPABILITIES-BASELINE',
      title: 'Containers add no capability beyond the runtime default set',
      rationale: 'Capabilities such as SYS_ADMIN or NET_ADMIN are near-root powers that break container isolation.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Capabilities',
      fix: 'Remove capabilities.add entries such as SYS_ADMIN or NET_ADMIN; keep at most NET_BIND_SERVICE.',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.flatMap((c) => (c.container.securityContext?.capabilities?.add ?? [])
      .filter((cap: string) => !BASELINE_CAPABILITIES.has(cap))
      .map((cap: string) => `${c.pointer} adds capability ${cap}`));
  }
}

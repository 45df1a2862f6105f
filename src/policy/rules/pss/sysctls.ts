import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);

/** Pods set only namespaced, safe sysctls. */
export class SysctlsRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-SYSCTLS',
      title: 'Pods set only the safe sysctls',
      rationale: 'Unsafe sysctls change kernel settings for every pod on the node.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Sysctls',
      fix: 'Remove unsafe sysctls from securityContext.sysctls; tune the node instead.',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return (pod.spec.securityContext?.sysctls ?? []).filter((s: any) => !SAFE_SYSCTLS.has(s.name)).map((s: any) => `sysctl ${s.name} is not safe`);
  }
}

import { list, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { celList, celString } from '../../rule-api/cel';
import { Severity } from '../../rule-api/severity';

// Upstream `sysctls`: the safe (namespaced, pod-isolated) sysctls and the policy version that allows each.
const SAFE_SINCE: ReadonlyArray<[string, number]> = [
  ['kernel.shm_rmid_forced', 0],
  ['net.ipv4.ip_local_port_range', 0],
  ['net.ipv4.ip_unprivileged_port_start', 0],
  ['net.ipv4.tcp_syncookies', 0],
  ['net.ipv4.ping_group_range', 0],
  ['net.ipv4.ip_local_reserved_ports', 27],
  ['net.ipv4.tcp_keepalive_time', 29],
  ['net.ipv4.tcp_fin_timeout', 29],
  ['net.ipv4.tcp_keepalive_intvl', 29],
  ['net.ipv4.tcp_keepalive_probes', 29],
  ['net.ipv4.tcp_rmem', 32],
  ['net.ipv4.tcp_wmem', 32],
  ['net.ipv4.tcp_slow_start_after_idle', 37],
  ['net.ipv4.tcp_notsent_lowat', 37],
];
const SAFE_FROM = new Map(SAFE_SINCE);

/** The sysctls safe at a version. */
function safeAt(version: PodSecurityVersion): string[] {
  return SAFE_SINCE.filter(([, since]) => version.since(since)).map(([name]) => name);
}

/**
 * Pods set only the safe sysctls (upstream check `sysctls`: v1.0, widened in v1.27, v1.29, v1.32 and v1.37).
 */
export class SysctlsRule extends PssPodCheck {
  private readonly safe: Set<string>;

  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-SYSCTLS',
      title: 'Pods set only the safe sysctls',
      rationale: 'Unsafe sysctls change kernel settings for every pod on the node.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Sysctls',
      fix: 'Remove unsafe sysctls from securityContext.sysctls; tune the node instead.',
      admission: AdmissionCheck.podSpec([{
        expression: `variables.podSpec.?securityContext.?sysctls.orValue([]).all(s, s.name in ${celList(safeAt(version))})`,
        messageExpression: `'sysctls ' + variables.podSpec.securityContext.sysctls.filter(s, !(s.name in ${celList(safeAt(version))})).map(s, s.name).join(', ')`
          + ` + ${celString(` are not safe at ${version}`)}`,
        message: `a sysctl is not safe at ${version}`,
      }]),
    }, version);
    this.safe = new Set(safeAt(version));
  }

  protected checkPod(pod: PodView): string[] {
    return list(pod.spec.securityContext?.sysctls).filter((s) => !this.safe.has(s?.name)).map((s) => {
      const since = SAFE_FROM.get(s?.name);
      return `sysctl ${s?.name} is not safe${since === undefined ? '' : ` at ${this.version} (allowed from v1.${since})`}`;
    });
  }
}

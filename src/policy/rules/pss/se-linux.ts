import { PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { celList } from '../../rule-api/cel';
import { Severity } from '../../rule-api/severity';

// Upstream `seLinuxOptions`: the allowed types of v1.0, and v1.31 adds container_engine_t.
const TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t'];

/**
 * SELinux options keep the container types and set no custom user or role (upstream check
 * `seLinuxOptions`: v1.0, v1.31 allows `container_engine_t`).
 */
export class SeLinuxRule extends PssPodCheck {
  private readonly allowedTypes: Set<string>;

  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-SELINUX',
      title: 'SELinux options use a container type and no custom user or role',
      rationale: 'Custom SELinux users, roles or types (like spc_t) lift the confinement of container processes.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): SELinux',
      fix: 'Remove seLinuxOptions.user and .role; use type container_t, container_init_t, container_kvm_t or (from v1.31) container_engine_t.',
      admission: AdmissionCheck.podSpec([{
        expression: `variables.securityContexts.all(s, s.?seLinuxOptions.?type.orValue('') in ${celList(version.since(31) ? TYPES_1_31 : TYPES_1_0)}`
          + " && s.?seLinuxOptions.?user.orValue('') == '' && s.?seLinuxOptions.?role.orValue('') == '')",
        message: 'seLinuxOptions set a type other than the container types, or a user or role',
      }]),
    }, version);
    this.allowedTypes = new Set(version.since(31) ? TYPES_1_31 : TYPES_1_0);
  }

  protected checkPod(pod: PodView): string[] {
    const options = [
      { pointer: pod.pointer, se: pod.spec.securityContext?.seLinuxOptions },
      ...pod.containers.map((c) => ({ pointer: c.pointer, se: c.container?.securityContext?.seLinuxOptions })),
    ];
    const problems: string[] = [];
    for (const { pointer, se } of options) {
      if (se == null) continue;
      if (!this.allowedTypes.has(se.type ?? '')) {
        const later = !this.version.since(31) && se.type === 'container_engine_t' ? ' (allowed from v1.31)' : '';
        problems.push(`${pointer}/securityContext/seLinuxOptions/type is ${se.type}${later}`);
      }
      if (se.user) problems.push(`${pointer}/securityContext/seLinuxOptions/user is set`);
      if (se.role) problems.push(`${pointer}/securityContext/seLinuxOptions/role is set`);
    }
    return problems;
  }
}

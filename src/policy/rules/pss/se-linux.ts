import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

const ALLOWED_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** SELinux options keep the container types and set no custom user or role. */
export class SeLinuxRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-SELINUX',
      title: 'SELinux options use a container type and no custom user or role',
      rationale: 'Custom SELinux users, roles or types (like spc_t) lift the confinement of container processes.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): SELinux',
      fix: 'Remove seLinuxOptions.user and .role; use type container_t, container_init_t, container_kvm_t or container_engine_t.',
    });
  }

  protected checkPod(pod: PodView): string[] {
    const options = [
      { pointer: pod.pointer, se: pod.spec.securityContext?.seLinuxOptions },
      ...pod.containers.map((c) => ({ pointer: c.pointer, se: c.container.securityContext?.seLinuxOptions })),
    ];
    const problems: string[] = [];
    for (const { pointer, se } of options) {
      if (!se) continue;
      if (se.type !== undefined && !ALLOWED_TYPES.has(se.type)) problems.push(`${pointer}/securityContext/seLinuxOptions/type is ${se.type}`);
      if (se.user) problems.push(`${pointer}/securityContext/seLinuxOptions/user is set`);
      if (se.role) problems.push(`${pointer}/securityContext/seLinuxOptions/role is set`);
    }
    return problems;
  }
}

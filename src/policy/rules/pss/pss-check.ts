import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { PodCheck } from '../../rule-api/checks';
import { PolicyRuleProps } from '../../rule-api/rule';

/**
 * A Pod Security Standards check of one pod spec at one policy version. Subclasses implement one
 * upstream check (`check_<name>.go` of k8s.io/pod-security-admission) and keep its version gates in
 * their code, asking `this.version.since(minor)`.
 */
export abstract class PssPodCheck extends PodCheck {
  /** The policy version this rule judges at. */
  protected readonly version: PodSecurityVersion;

  protected constructor(props: PolicyRuleProps, version: PodSecurityVersion) {
    super(props);
    this.version = version;
  }
}

/** The value as a list: manifests come from untyped callers too, so a non-array counts as empty. */
export function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** Whether the pod runs on Windows (`spec.os.name: windows`): upstream exempts it from Linux-only restricted checks from v1.25. */
export function isWindows(pod: PodView): boolean {
  return pod.spec.os?.name === 'windows';
}

/** Whether the pod runs in a user namespace (`spec.hostUsers: false`): upstream's `relaxPolicyForUserNamespacePod`. */
export function inUserNamespace(pod: PodView): boolean {
  return pod.spec.hostUsers === false;
}


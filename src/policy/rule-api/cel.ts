import { AdmissionCheck, CelValidation } from './admission-check';
import { celList, celString } from '../../k8s/cel-literals';
import { PodSecurityVersion } from '../../k8s/pod-security-version';

export { celList, celString } from '../../k8s/cel-literals';

// Building blocks of the CEL that the built-in rules compile to (see AdmissionCheck.podSpec for the variables).

/** The pod runs on Windows (`spec.os.name: windows`). */
export const IS_WINDOWS = "variables.podSpec.?os.?name.orValue('') == 'windows'";

/** The pod runs in a user namespace (`spec.hostUsers: false`). */
export const IN_USER_NAMESPACE = 'variables.podSpec.?hostUsers.orValue(true) == false';

/** Container lists of the pod spec. */
export const ALL_CONTAINERS = 'variables.allContainers';
/** Init and regular containers (not ephemeral ones). */
export const INIT_AND_APP_CONTAINERS = '(variables.initContainers + variables.containers)';

/**
 * Every container of a list passes `ok` (CEL over `c`); the message names the containers that do not.
 * @param what what is wrong with a failing container, e.g. "are privileged"
 */
export function everyContainer(containers: string, ok: string, what: string): CelValidation {
  return {
    expression: `${containers}.all(c, ${ok})`,
    messageExpression: `'containers ' + ${containers}.filter(c, !(${ok})).map(c, c.name).join(', ') + ${celString(` ${what}`)}`,
    message: `one or more containers ${what}`,
  };
}

/** The validation, except where the condition holds (an exemption of the standard, e.g. Windows pods). */
export function unless(condition: string, validation: CelValidation): CelValidation {
  return { ...validation, expression: `${condition} || ${validation.expression}` };
}

/** A profile (seccomp, AppArmor) that is set has one of the types; the path is optional-typed (`x.?profile`). */
export function profileTypeIn(optionalProfile: string, types: readonly string[]): string {
  return `${optionalProfile}.orValue({'type': ${celString(types[0])}}).?type.orValue('') in ${celList(types)}`;
}

/** The validation, except for Windows pods from v1.25 (upstream exempts them from the Linux-only restricted checks). */
export function windowsExempt(version: PodSecurityVersion, validation: CelValidation): CelValidation {
  return version.since(25) ? unless(IS_WINDOWS, validation) : validation;
}

/**
 * Why the RBAC rules are synth-time only: the API server itself writes RBAC objects (it reconciles the
 * bootstrap roles and bindings such as cluster-admin and system:masters, and the aggregation controller
 * rewrites aggregated ClusterRoles), so a policy denying them would block the control plane; and an
 * aggregated ClusterRole's grants come from the ClusterRoles its selectors select (cross-object).
 */
export const RBAC_NOT_IN_ADMISSION = AdmissionCheck.notExpressible('RBAC objects are also written by the control plane (bootstrap roles and '
  + 'bindings, the ClusterRole aggregation controller), which a policy on them would block; aggregated grants come from other ClusterRoles');

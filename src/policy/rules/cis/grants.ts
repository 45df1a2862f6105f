// What an RBAC PolicyRule (one entry of a Role's or ClusterRole's `rules`) grants, decided the way the
// Kubernetes RBAC authorizer decides it (plugin/pkg/auth/authorizer/rbac `RuleAllows` and the
// `VerbMatches`, `APIGroupMatches`, `ResourceMatches`, `ResourceNameMatches` helpers):
//
// - verbs, API groups and resources compare exactly and case-sensitively: `CREATE` is not `create` and
//   grants nothing, because every request carries a lower-case verb;
// - `*` in verbs, apiGroups or resources matches everything; `*` matches every resource *and* every
//   subresource (`nodes/proxy` too);
// - `*/proxy` matches the `proxy` subresource of every resource, but `nodes/*` is no wildcard: it matches
//   only a subresource literally named `*`, which no request has;
// - `resourceNames` restrict a rule to requests naming one of those objects. Requests without a name — a
//   `create` of a whole object (not of a subresource) and `deletecollection` — never match a restricted
//   rule, so `resourceNames` make such a rule grant no `create` at all (unless they list the empty name).

/** The RBAC API group. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A permission the CIS rules look for: verbs on a resource of an API group. */
export interface Permission {
  /** API group; `''` is the core group. */
  readonly group: string;
  /**
   * Resource, with its subresource after a slash (`pods`, `nodes/proxy`). `r/*` asks about any subresource of
   * `r` (used for `userextras/<key>`, whose keys are open-ended).
   */
  readonly resource: string;
  /** The verbs that matter; a rule granting any of them grants the permission. */
  readonly verbs: readonly string[];
  /**
   * Whether the permission is checked without a namespace (cluster-scoped objects such as nodes, or checks
   * like impersonating a user). A Role only authorizes requests in its own namespace, so it never grants these.
   * @default false
   */
  readonly clusterScoped?: boolean;
}

/**
 * The strings of a list field of a manifest. A lone string (which the API server rejects) is read as a
 * one-item list, so a malformed manifest is judged as its author meant it; other values are ignored.
 */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Whether the PolicyRule `rule` lets a subject perform `verb` on `resource` (with its subresource after a slash)
 * in API group `group` (`''` for core) for at least one object, as the RBAC authorizer decides.
 * A `resource` of the form `r/*` asks whether any subresource of `r` is granted.
 */
export function grants(rule: unknown, group: string, resource: string, verb: string): boolean {
  return grantsIn(listsOf(rule), group, resource, verb);
}

/** The list fields of a PolicyRule, read once. */
interface RuleLists {
  readonly verbs: string[];
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly resourceNames: string[];
}

function listsOf(rule: unknown): RuleLists {
  const r: any = rule ?? {};
  return {
    verbs: stringList(r.verbs),
    apiGroups: stringList(r.apiGroups),
    resources: stringList(r.resources),
    resourceNames: stringList(r.resourceNames),
  };
}

function grantsIn(rule: RuleLists, group: string, resource: string, verb: string): boolean {
  if (!rule.verbs.some((v) => v === '*' || v === verb)) return false;
  if (!rule.apiGroups.some((g) => g === '*' || g === group)) return false;
  if (!rule.resources.some((entry) => resourceMatches(entry, resource))) return false;
  if (rule.resourceNames.length === 0) return true;
  // A restricted rule matches only requests that carry one of its names; these requests carry none.
  const nameless = verb === 'deletecollection' || (verb === 'create' && !resource.includes('/'));
  return !nameless || rule.resourceNames.includes('');
}

/** Whether one entry of a rule's `resources` matches the requested resource (ResourceMatches upstream). */
function resourceMatches(entry: string, requested: string): boolean {
  if (entry === '*' || entry === requested) return true;
  const slash = requested.indexOf('/');
  if (slash < 0) return false;
  const [resource, subresource] = [requested.slice(0, slash), requested.slice(slash + 1)];
  if (subresource === '*') {
    // Any subresource of `resource`: a named one, or `*/<sub>`, which matches that subresource of every resource.
    return (entry.startsWith(`${resource}/`) && entry.length > resource.length + 1) || (entry.startsWith('*/') && entry.length > 2);
  }
  return entry === `*/${subresource}`;
}

/**
 * What a PolicyRule grants of the given permissions, as message fragments (`create on pods, deployments.apps`),
 * with the wildcards and resourceNames that it relies on; an empty string when it grants none of them.
 * Permissions marked `clusterScoped` are skipped when `namespaced` (the rule belongs to a Role).
 */
export function describeGrants(rule: unknown, permissions: readonly Permission[], namespaced: boolean = false): string {
  const lists = listsOf(rule);
  // Most rules grant none of the verbs asked about: skip them before any other work.
  if (!lists.verbs.some((v) => v === '*' || permissions.some((p) => p.verbs.includes(v)))) return '';
  // Verbs granted -> resources they are granted on, in the order of `permissions`.
  const byVerbs = new Map<string, string[]>();
  const matched = new Set<string>();
  for (const permission of permissions) {
    if (namespaced && permission.clusterScoped) continue;
    const verbs = permission.verbs.filter((verb) => grantsIn(lists, permission.group, permission.resource, verb));
    if (verbs.length === 0) continue;
    matched.add(permission.resource);
    const key = verbs.join(', ');
    byVerbs.set(key, [...(byVerbs.get(key) ?? []), qualified(permission)]);
  }
  if (byVerbs.size === 0) return '';
  const granted = [...byVerbs].map(([verbs, resources]) => `${verbs} on ${resources.join(', ')}`).join('; ');
  const via = [
    ...(lists.verbs.includes('*') ? ['verbs "*"'] : []),
    ...(lists.apiGroups.includes('*') ? ['apiGroups "*"'] : []),
    ...lists.resources
      .filter((entry) => (entry === '*' || entry.startsWith('*/')) && [...matched].some((resource) => resourceMatches(entry, resource)))
      .map((entry) => `resources "${entry}"`),
  ];
  const names = lists.resourceNames;
  const shown = names.slice(0, 5).map((n) => JSON.stringify(n)).join(', ') + (names.length > 5 ? `, … (${names.length - 5} more)` : '');
  return granted + (via.length ? ` (via ${via.join(', ')})` : '') + (names.length ? ` (resourceNames: ${shown})` : '');
}

/** `pods`, `deployments.apps`, `certificatesigningrequests.certificates.k8s.io/approval`. */
function qualified(permission: Permission): string {
  if (!permission.group) return permission.resource;
  const slash = permission.resource.indexOf('/');
  return slash < 0 ? `${permission.resource}.${permission.group}`
    : `${permission.resource.slice(0, slash)}.${permission.group}${permission.resource.slice(slash)}`;
}

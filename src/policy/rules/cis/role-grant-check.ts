import { isBinding, isServiceAccountSubject, subjectsOf } from './bindings';
import { describeGrants, Permission } from './grants';
import { builtInClusterRoleManifests, builtInClusterRoleRules } from '../../../k8s/built-in-cluster-roles';
import { describeObject, PolicyObject, policyObject } from '../../../k8s/policy-object';
import { SelectorIndex } from '../../../k8s/selector-index';
import { RBAC_NOT_IN_ADMISSION } from '../../rule-api/cel';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { PolicyRuleProps } from '../../rule-api/rule';

/** Which roles a `RoleGrantCheck` judges, and what it looks for in them. */
export interface RoleGrantScope {
  /** The kinds judged: `Role`, `ClusterRole` or both. */
  readonly kinds: ReadonlyArray<'Role' | 'ClusterRole'>;
  /** The permissions that are findings when a role grants them. */
  readonly permissions: readonly Permission[];
  /**
   * Judge only the roles that a binding of the set binds to a service account (`isServiceAccountSubject`: a
   * ServiceAccount, its user name, or a group of service accounts): the roles a workload acts with.
   * @default false
   */
  readonly boundToServiceAccounts?: boolean;
}

/** The built-in ClusterRoles a binding is judged by here; cluster-admin has a rule of its own (CIS-RBAC-CLUSTER-ADMIN). */
const JUDGED_BUILT_IN_ROLES = new Set(['view', 'edit', 'admin', 'system:aggregate-to-view', 'system:aggregate-to-edit', 'system:aggregate-to-admin']);

/** One PolicyRule of a ClusterRole in the set, as it reaches an aggregated ClusterRole. */
interface AggregatedRule {
  readonly source: PolicyObject;
  readonly index: number;
  readonly rule: unknown;
}

/**
 * A rule finding Roles and ClusterRoles that grant any of a list of permissions, one finding per PolicyRule:
 * `ClusterRole/ops rules[2] grants create on pods`.
 *
 * Aggregated ClusterRoles (`aggregationRule`): the aggregation controller replaces their `rules` with the
 * union of the rules of every ClusterRole whose labels one of the `clusterRoleSelectors` selects. This check
 * reports, on the aggregate, every grant it takes from ClusterRoles in the set (transitively, as the
 * controller converges), and from the built-in ClusterRoles the set does not redefine (`builtInClusterRoleManifests`:
 * a selector of `aggregate-to-edit` takes `system:aggregate-to-edit`'s rules), and still judges the rules it declares
 * (they are served until the controller overwrites them). What cannot be known from the set: the other ClusterRoles
 * of the cluster that the selectors also select (those other tools install), so an aggregate without findings may
 * still grant more.
 *
 * Bindings to the built-in `view`, `edit`, `admin` and the `system:aggregate-to-*` roles they are made of (when the set
 * defines no ClusterRole of that name) are judged by what those roles grant (built-in-cluster-roles.ts), and by the
 * rules the ClusterRoles of the set labelled `aggregate-to-*` add to them: a RoleBinding as a Role of its namespace, a
 * ClusterRoleBinding as a ClusterRole. The finding is on the binding: `RoleBinding/shop/web binds the built-in
 * ClusterRole "edit", whose rules[2] grants create on pods`, `… binds the built-in ClusterRole "view", which
 * aggregates ClusterRole/leaky rules[0], which grants delete on networkpolicies.networking.k8s.io`.
 */
export abstract class RoleGrantCheck extends CrossObjectCheck {
  private readonly scope: RoleGrantScope;

  protected constructor(props: PolicyRuleProps, scope: RoleGrantScope) {
    super({ admission: RBAC_NOT_IN_ADMISSION, ...props });
    this.scope = scope;
  }

  protected judgeSet(_objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    const { rbac, builtIns, aggregated } = facts.derived(readRoles);
    const bound = this.scope.boundToServiceAccounts ? rolesBoundToServiceAccounts(rbac) : undefined;
    const judged = rbac.filter((object) => (this.scope.kinds as readonly string[]).includes(object.kind) && (!bound || isBound(bound, object)));
    for (const object of judged) {
      const namespaced = object.kind === 'Role';
      const messages: string[] = [];
      const own = Array.isArray(object.manifest.rules) ? object.manifest.rules : [];
      own.forEach((rule: unknown, i: number) => {
        const granted = describeGrants(rule, this.scope.permissions, namespaced);
        if (granted) messages.push(`${describeObject(object)} rules[${i}] grants ${granted}`);
      });
      for (const { source, index, rule } of aggregated.get(object) ?? []) {
        const granted = describeGrants(rule, this.scope.permissions);
        if (granted) messages.push(`${describeObject(object)} aggregates ${describeObject(source)} rules[${index}], which grants ${granted}`);
      }
      results.judge(object, messages);
    }
    this.judgeBuiltInBindings(rbac, results, bound, builtIns, aggregated);
  }

  /** Judges the bindings to built-in ClusterRoles by the rules those roles hold and those the set aggregates into them. */
  private judgeBuiltInBindings(rbac: PolicyObject[], results: RuleResults, bound: RoleKeys | undefined,
    builtIns: Map<string, PolicyObject>, aggregated: Map<PolicyObject, AggregatedRule[]>): void {
    const builtInObjects = new Set(builtIns.values());
    for (const binding of rbac) {
      if (!isBinding(binding.kind)) continue;
      const ref = binding.manifest.roleRef;
      if (ref?.kind !== 'ClusterRole' || typeof ref.name !== 'string' || !JUDGED_BUILT_IN_ROLES.has(ref.name) || !builtIns.has(ref.name)) continue;
      const namespaced = binding.kind === 'RoleBinding';
      if (!this.scope.kinds.includes(namespaced ? 'Role' : 'ClusterRole')) continue;
      if (bound && !subjectsOf(binding.manifest).some(isServiceAccountSubject)) continue;
      const messages: string[] = [];
      builtInClusterRoleRules(ref.name)!.forEach((rule, i) => {
        const granted = describeGrants(rule, this.scope.permissions, namespaced);
        if (granted) messages.push(`${describeObject(binding)} binds the built-in ClusterRole "${ref.name}", whose rules[${i}] grants ${granted}`);
      });
      // What the ClusterRoles of the set labelled aggregate-to-* add (the built-in sources are in the table above).
      for (const { source, index, rule } of aggregated.get(builtIns.get(ref.name)!) ?? []) {
        if (builtInObjects.has(source)) continue;
        const granted = describeGrants(rule, this.scope.permissions, namespaced);
        if (granted) {
          messages.push(`${describeObject(binding)} binds the built-in ClusterRole "${ref.name}", which aggregates ${describeObject(source)} rules[${index}], which grants ${granted}`);
        }
      }
      results.judge(binding, messages);
    }
  }
}

/** What every RoleGrantCheck of an evaluation reads alike (`EvaluationFacts.derived`). */
interface Roles {
  /** The Roles, ClusterRoles, RoleBindings and ClusterRoleBindings of the set, in order. */
  readonly rbac: PolicyObject[];
  /** The built-in ClusterRoles the set does not define, by name. */
  readonly builtIns: Map<string, PolicyObject>;
  /** The rules each aggregated ClusterRole (of the set or built in) takes from the others. */
  readonly aggregated: Map<PolicyObject, AggregatedRule[]>;
}

/** The RBAC objects of the set, and its ClusterRoles (with the built-in ones it does not define) as aggregated. */
function readRoles(objects: PolicyObject[]): Roles {
  const rbac = objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole' || isBinding(o.kind));
  const builtIns = builtInClusterRoles(rbac);
  return { rbac, builtIns, aggregated: aggregatedRules([...rbac.filter((o) => o.kind === 'ClusterRole'), ...builtIns.values()]) };
}

/** The built-in ClusterRoles (`builtInClusterRoleManifests`) that the set does not define itself, by name. */
function builtInClusterRoles(objects: PolicyObject[]): Map<string, PolicyObject> {
  const defined = new Set(objects.filter((o) => o.kind === 'ClusterRole').map((o) => o.name));
  return new Map(builtInClusterRoleManifests().filter((m) => !defined.has(m.metadata.name))
    .map((m) => [m.metadata.name, policyObject(m, `(built-in ClusterRole ${m.metadata.name})`)]));
}

/** The keys of the roles some binding binds (`rolesBoundToServiceAccounts`). */
type RoleKeys = Set<string>;

/**
 * The roles (keys: `ClusterRole//<name>`, `Role/<namespace>/<name>`) that a binding of the set binds to at least one
 * service account (`isServiceAccountSubject`). A RoleBinding refers to a Role of its own namespace or to a ClusterRole;
 * a ClusterRoleBinding only to a ClusterRole. A RoleBinding without a namespace binds the Role of that name in the
 * namespace it is applied to (`Role/*\/<name>`); `Role/+/<name>` records that some RoleBinding binds a Role of that name.
 */
export function rolesBoundToServiceAccounts(objects: PolicyObject[]): RoleKeys {
  const roles = new Set<string>();
  for (const binding of objects) {
    if (!isBinding(binding.kind) || !subjectsOf(binding.manifest).some(isServiceAccountSubject)) continue;
    const ref = binding.manifest.roleRef;
    if (typeof ref?.name !== 'string') continue;
    if (ref.kind === 'ClusterRole') roles.add(`ClusterRole//${ref.name}`);
    if (ref.kind === 'Role' && binding.kind === 'RoleBinding') {
      roles.add(`Role/${binding.namespace ?? '*'}/${ref.name}`);
      roles.add(`Role/+/${ref.name}`);
    }
  }
  return roles;
}

/**
 * Whether a binding of `bound` binds the Role or ClusterRole. Either side without a namespace lands in the namespace
 * kubectl applies it to, which may be the other's: a Role and a RoleBinding match unless both name different namespaces.
 */
function isBound(bound: RoleKeys, role: PolicyObject): boolean {
  if (role.kind !== 'Role') return bound.has(`ClusterRole//${role.name}`);
  return role.namespace === undefined ? bound.has(`Role/+/${role.name}`) : bound.has(`Role/${role.namespace}/${role.name}`) || bound.has(`Role/*/${role.name}`);
}

/** The labels of a manifest (string values only). */
export function labelsOf(manifest: any): { [key: string]: string } {
  const labels = manifest?.metadata?.labels;
  if (!labels || typeof labels !== 'object') return {};
  return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The label selectors of a ClusterRole's aggregationRule, or undefined when it is not aggregated. */
export function aggregationSelectors(manifest: any): any[] | undefined {
  const selectors = manifest?.aggregationRule?.clusterRoleSelectors;
  // clusterRoleSelectors is a list of LabelSelector values: a null entry decodes as the empty selector, which selects everything.
  return Array.isArray(selectors) ? selectors.map((s) => s ?? {}) : undefined;
}

/**
 * For each aggregated ClusterRole of `clusterRoles`, the rules it takes from the others, following aggregates of
 * aggregates. Linear in the ClusterRoles (the selectors are indexed), plus the size of the result.
 */
function aggregatedRules(clusterRoles: PolicyObject[]): Map<PolicyObject, AggregatedRule[]> {
  const result = new Map<PolicyObject, AggregatedRule[]>();
  const index = new SelectorIndex<PolicyObject>();
  let aggregates = 0;
  for (const role of clusterRoles) {
    for (const selector of aggregationSelectors(role.manifest) ?? []) {
      index.add(undefined, selector, role);
      aggregates++;
    }
  }
  if (aggregates === 0) return result;
  // Direct sources of each aggregate.
  const sources = new Map<PolicyObject, Set<PolicyObject>>();
  for (const role of clusterRoles) {
    for (const aggregate of index.matching(undefined, labelsOf(role.manifest))) {
      if (aggregate === role) continue;
      const set = sources.get(aggregate) ?? new Set<PolicyObject>();
      set.add(role);
      sources.set(aggregate, set);
    }
  }
  // Transitive closure by a walk from each aggregate; each source's rules are reported once per aggregate.
  for (const aggregate of sources.keys()) {
    const seen = new Set<PolicyObject>([aggregate]);
    const queue = [...sources.get(aggregate)!];
    const rules: AggregatedRule[] = [];
    for (let next = 0; next < queue.length; next++) {
      const source = queue[next];
      if (seen.has(source)) continue;
      seen.add(source);
      const own = Array.isArray(source.manifest.rules) ? source.manifest.rules : [];
      own.forEach((rule: unknown, i: number) => rules.push({ source, index: i, rule }));
      queue.push(...(sources.get(source) ?? []));
    }
    result.set(aggregate, rules);
  }
  return result;
}

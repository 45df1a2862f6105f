import { PolicyObject } from '../../../k8s/policy-object';
import { RBAC_NOT_IN_ADMISSION } from '../../rule-api/cel';
import { ObjectCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';
import { stringList } from '../cis/grants';

/**
 * Whether an entry of a PolicyRule's list field is a wildcard for the RBAC authorizer (`VerbMatches`,
 * `APIGroupMatches`, `ResourceMatches`, `NonResourceURLMatches` upstream):
 * - verbs and apiGroups: only `*`;
 * - resources: `*` (every resource and subresource) and `*\/sub` (subresource `sub` of every resource, e.g.
 *   `*\/exec`); `pods/*` and `*\/*` are literal and match only a subresource named `*`, which no
 *   request has;
 * - nonResourceURLs: any entry ending in `*` is a prefix match (`*` and `/*` match every path, the API server's
 *   /logs included; `/api*` matches /apis too); a `*` elsewhere is literal.
 */
const WILDCARD: ReadonlyArray<[field: string, isWildcard: (entry: string) => boolean]> = [
  ['apiGroups', (entry) => entry === '*'],
  ['resources', (entry) => entry === '*' || (entry.startsWith('*/') && entry.length > 2 && entry !== '*/*')],
  ['verbs', (entry) => entry === '*'],
  ['nonResourceURLs', (entry) => entry.endsWith('*')],
];

/**
 * Roles and ClusterRoles grant named verbs on named API groups, resources and non-resource URLs, never a wildcard
 * (NSA/CISA least privilege, CIS 5.1.3). A wildcard is reported whatever the other fields of its rule say, one
 * finding per field: `rules[0].resources contains "*"`, `rules[1].resources contains "*\/exec"`. Malformed rules
 * (null entries, a lone string instead of a list, non-string list items) are read as `stringList` reads them and
 * never throw.
 */
export class RbacWildcardsRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'NSA-RBAC-WILDCARD',
      title: 'Roles name their API groups, resources, verbs and non-resource URLs instead of using *',
      rationale: 'Wildcards grant whatever resources, subresources, verbs and API paths exist now and in the future: the opposite of least privilege.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Authentication and authorization — least privilege RBAC; '
        + 'CIS Kubernetes Benchmark 5.1.3: Minimize wildcard use in Roles and ClusterRoles',
      fix: 'List the apiGroups, resources (with their subresources), verbs and nonResourceURLs the subject needs instead of "*".',
      admission: RBAC_NOT_IN_ADMISSION,
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (object.kind !== 'Role' && object.kind !== 'ClusterRole') return undefined;
    const rules: unknown[] = Array.isArray(object.manifest.rules) ? object.manifest.rules : [];
    const messages: string[] = [];
    rules.forEach((rule, i) => {
      if (!rule || typeof rule !== 'object') return;
      for (const [field, isWildcard] of WILDCARD) {
        const wildcards = stringList((rule as any)[field]).filter(isWildcard);
        if (wildcards.length) messages.push(`rules[${i}].${field} contains ${[...new Set(wildcards)].map((w) => JSON.stringify(w)).join(', ')}`);
      }
    });
    return messages;
  }
}

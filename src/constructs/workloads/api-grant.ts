import { IApiResource } from 'cdk8s-plus-27';
import { ApiGrant } from './api-grant-options';
import { inputError, quote } from '../../core/errors';
import { isDnsSubdomain, validateDnsSubdomain } from '../../core/names';
import { checkInstance, checkList, checkPropsObject, checkStringList, PropKeys } from '../../core/prop-checks';
import { CLUSTER_SCOPED } from '../../k8s/kinds';

/** An RBAC PolicyRule. */
export interface RbacRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames?: string[];
}

const API_GRANT: PropKeys<ApiGrant> = { verbs: true, resources: true, resourceNames: true };

/** The verbs a grant may name: the API's request verbs, none of the special ones (escalate, bind, impersonate, approve, sign, use). */
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
/** `pods`, `pods/log`, `deployments`, `certificatesigningrequests/approval`: lower-case resource and subresource names. */
const RESOURCE = /^[a-z0-9]+(?:[.-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[.-][a-z0-9]+)*)?$/;

/**
 * The RBAC rules of a grant, one per resource: checked for types, names and wildcards, for what a namespaced Role
 * cannot grant (cluster-scoped resources) and for what needs more than a Role can safely say (listing or watching
 * Secrets returns every value in the namespace). What the grant lets the workload do is judged by the engine's
 * RBAC rules (ApiAccess), the same rules that judge raw Roles.
 */
export function grantRules(where: string, given: ApiGrant): RbacRule[] {
  const grant = checkPropsObject(where, given, API_GRANT, 'the grant');
  const verbs = checkStringList(where, 'verbs of the grant', grant.verbs);
  if (verbs.length === 0) throw inputError(where, 'the grant names no verb', `name the verbs the workload needs, e.g. ["get", "list", "watch"] (one of ${VERBS.join(', ')})`);
  for (const verb of verbs) {
    if (!VERBS.includes(verb)) {
      throw inputError(where, `the grant names the verb ${quote(verb)}`, `use only ${VERBS.join(', ')}: "*" grants every verb, escalate, bind and impersonate grant more than the role holds, and RBAC verbs are lower-case`);
    }
  }
  const names = grant.resourceNames === undefined ? undefined
    : checkStringList(where, 'resourceNames of the grant', grant.resourceNames).map((n, i) => validateDnsSubdomain(where, `resourceNames[${i}] of the grant`, n));
  if (names?.length === 0) {
    throw inputError(where, 'resourceNames of the grant is empty, which RBAC reads as every object of the resources', 'name the objects, or leave resourceNames out on purpose');
  }
  const resources = checkList<IApiResource>(where, 'resources of the grant', grant.resources);
  if (resources.length === 0) throw inputError(where, 'the grant names no resource', 'name the resources, e.g. [ApiResource.CONFIG_MAPS]');
  return resources.map((r, i) => {
    const resource = checkInstance<IApiResource>(where, `resources[${i}] of the grant`, r, 'resourceType', 'an API resource (ApiResource.CONFIG_MAPS, ApiResource.custom(...), a ConfigMap)');
    // cdk8s-plus objects of the core group (ConfigMap, Secret, …) report the group as "core", which RBAC reads as a
    // group of that name: the rule would grant nothing. The core group is "".
    const group = resource.apiGroup === 'core' ? '' : resource.apiGroup;
    if (typeof group !== 'string' || (group !== '' && !isDnsSubdomain(group))) {
      throw inputError(where, `resources[${i}] of the grant has the API group ${quote(group)}`, 'use "" for the core group or the group\'s DNS name (e.g. "apps"); "*" would grant every group');
    }
    const type = resource.resourceType;
    if (typeof type !== 'string' || !RESOURCE.test(type)) {
      throw inputError(where, `resources[${i}] of the grant has the resource type ${quote(type)}`, 'use the plural lower-case resource, optionally with a subresource (e.g. "configmaps", "pods/log"); "*" would grant every resource');
    }
    const objectName = resource.resourceName === undefined ? undefined : validateDnsSubdomain(where, `the name of resources[${i}] of the grant`, resource.resourceName);
    const resourceNames = names ?? (objectName === undefined ? undefined : [objectName]);
    checkNamespaced(where, i, group, type);
    if (group === '' && type === 'secrets') checkSecretsGrant(where, verbs, resourceNames);
    const nameless = verbs.filter((v) => v === 'create' || v === 'deletecollection');
    if (resourceNames && nameless.length > 0 && !type.includes('/')) {
      throw inputError(where, `the grant restricts ${nameless.join(' and ')} on ${type} to names, but those requests carry no name: RBAC would grant nothing`,
        `grant ${nameless.join(' and ')} in a grant of its own, without names`);
    }
    return { apiGroups: [group], resources: [type], verbs: [...verbs], ...(resourceNames ? { resourceNames } : {}) };
  });
}

/** Cluster-scoped resources, but not `namespaces`: a RoleBinding in a namespace does authorize requests on that Namespace object. */
const CLUSTER_SCOPED_RESOURCES = new Set(CLUSTER_SCOPED.filter((k) => k.resource !== 'namespaces').map((k) => (k.group ? `${k.group}/${k.resource}` : k.resource)));

/** A namespaced Role authorizes requests in its namespace only: a rule on a cluster-scoped resource grants nothing. */
function checkNamespaced(where: string, index: number, group: string, type: string): void {
  const resource = type.split('/')[0];
  if (!CLUSTER_SCOPED_RESOURCES.has(group ? `${group}/${resource}` : resource)) return;
  throw inputError(where, `resources[${index}] of the grant is ${group ? `${resource}.${group}` : resource}, which is cluster-scoped: the workload's namespaced Role `
    + 'would grant nothing on it', 'leave it out: a workload gets access to objects of its own namespace only, and cluster-wide access needs a ClusterRole '
    + 'reviewed outside the workload');
}

function checkSecretsGrant(where: string, verbs: string[], resourceNames: string[] | undefined): void {
  const listing = verbs.filter((v) => v === 'list' || v === 'watch' || v === 'deletecollection');
  if (listing.length > 0) {
    throw inputError(where, `the grant lets the workload ${listing.join(' and ')} Secrets, which returns the value of every Secret in the namespace`,
      'grant get on the Secrets it needs, by name (pass the Secret, or resourceNames), or mount them instead of reading them from the API');
  }
  if (resourceNames === undefined && verbs.some((v) => v !== 'create')) {
    throw inputError(where, 'the grant reaches every Secret of the namespace', 'name the Secrets the workload reads: pass the Secret itself, or resourceNames');
  }
}

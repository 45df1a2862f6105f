import { IApiResource } from 'cdk8s-plus-27';
import { ApiGrant } from './api-grant-options';
import { inputError, quote } from '../../core/errors';
import { isDnsSubdomain, validateDnsSubdomain } from '../../core/names';
import { checkInstance, checkList, checkPropsObject, checkStringList, PropKeys } from '../../core/prop-checks';

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
 * The RBAC rules of a grant, one per resource: checked for types, names and wildcards, and for what needs more
 * than a Role can safely say (listing or watching Secrets returns every value in the namespace).
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
    if (group === '' && type === 'secrets') checkSecretsGrant(where, verbs, resourceNames);
    checkEscalation(where, group, type, verbs);
    const nameless = verbs.filter((v) => v === 'create' || v === 'deletecollection');
    if (resourceNames && nameless.length > 0 && !type.includes('/')) {
      throw inputError(where, `the grant restricts ${nameless.join(' and ')} on ${type} to names, but those requests carry no name: RBAC would grant nothing`,
        `grant ${nameless.join(' and ')} in a grant of its own, without names`);
    }
    return { apiGroups: [group], resources: [type], verbs: [...verbs], ...(resourceNames ? { resourceNames } : {}) };
  });
}

/** Pod-running resources: whoever may change one runs any image, as any ServiceAccount of the namespace, with any of its Secrets. */
const POD_RUNNERS = new Set(['pods', 'replicationcontrollers', 'podtemplates', 'apps/deployments', 'apps/daemonsets', 'apps/statefulsets', 'apps/replicasets',
  'batch/jobs', 'batch/cronjobs']);
/** Resources whose write lets a workload reach further than its Role: RBAC itself, and Endpoints (CVE-2021-25740). */
const ESCALATING_WRITES = new Set(['rbac.authorization.k8s.io/roles', 'rbac.authorization.k8s.io/rolebindings', 'endpoints', 'discovery.k8s.io/endpointslices']);
/** Subresources that open a pod, a node or a Service to the caller. */
const OPENING_SUBRESOURCES = /^(pods\/(exec|attach|portforward|proxy|ephemeralcontainers)|services\/proxy|nodes\/.*)$/;
const WRITES = ['create', 'update', 'patch'];

/**
 * Refuses what a namespaced Role must not hand a workload, beyond the engine's rules: changing what pods run
 * (update and patch included, which the CIS rule leaves to create), writing RBAC or Endpoints, opening pods, nodes
 * or Services, and minting Secrets (a service-account-token Secret becomes a token for any ServiceAccount).
 */
function checkEscalation(where: string, group: string, type: string, verbs: string[]): void {
  const qualified = group ? `${group}/${type}` : type;
  const writes = verbs.filter((v) => WRITES.includes(v));
  const refuse = (problem: string) => {
    throw inputError(where, `the grant lets the workload ${problem}`, 'grant read access, or have a controller with its own reviewed RBAC do this');
  };
  if (writes.length > 0 && POD_RUNNERS.has(qualified)) {
    refuse(`${writes.join(' and ')} ${type}, and so run any image as any ServiceAccount of the namespace, with any of its Secrets`);
  }
  if (writes.length > 0 && ESCALATING_WRITES.has(qualified)) refuse(`${writes.join(' and ')} ${type}, which reaches further than its own Role`);
  if (OPENING_SUBRESOURCES.test(type)) refuse(`use ${type}, which opens the pod, node or Service to it`);
  if (qualified === 'secrets' && verbs.includes('create')) refuse('create Secrets, and a service-account-token Secret is a token for any ServiceAccount of the namespace');
}

function checkSecretsGrant(where: string, verbs: string[], resourceNames: string[] | undefined): void {
  const listing = verbs.filter((v) => v === 'list' || v === 'watch' || v === 'deletecollection');
  if (listing.length > 0) {
    throw inputError(where, `the grant lets the workload ${listing.join(' and ')} Secrets, which returns the value of every Secret in the namespace`,
      'grant get on the Secrets it needs, by name (pass the Secret, or resourceNames), or mount them instead of reading them from the API');
  }
  if (resourceNames === undefined) {
    throw inputError(where, 'the grant reaches every Secret of the namespace', 'name the Secrets the workload reads: pass the Secret itself, or resourceNames');
  }
}

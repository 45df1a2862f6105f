import * as kplus from 'cdk8s-plus-27';
import { HealthProbe, SecureDeployment } from '../../../src';
import { ISOLATION_WRITES } from '../../../src/policy/rules/nsa/rbac-isolation-writes';
import { errorOf, Manifest, synth, testChart } from '../../support/helpers';

// Issue 23, class 1: a grant must never let a workload weaken its own isolation or escalate. Every write in
// ISOLATION_WRITES is tried through `allow`; reads of the same resources stay allowed.

function workload(serviceAccountName?: string) {
  const { chart } = testChart();
  const serviceAccount = serviceAccountName ? kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', serviceAccountName) : undefined;
  const web = new SecureDeployment(chart, 'web', { name: 'web', image: 'ghcr.io/acme/web:1.4.2', port: 8080, readiness: HealthProbe.http('/healthz'), serviceAccount });
  const role = (): Manifest | undefined => synth(chart).find((m) => m.kind === 'Role');
  return { web, role };
}
const custom = (apiGroup: string, resourceType: string) => kplus.ApiResource.custom({ apiGroup, resourceType });

describe('a grant never lets a workload weaken its own isolation', () => {
  const namespaced = ISOLATION_WRITES.filter((p) => !p.clusterScoped);
  test.each(namespaced.flatMap((p) => p.verbs.map((verb) => [`${verb} ${p.resource}${p.group ? `.${p.group}` : ''}`, p.group, p.resource, verb])))(
    'refused: %s', (_, group, resource, verb) => {
      // GIVEN a workload
      const { web, role } = workload();
      // WHEN it is granted the write / THEN the engine's rule refuses it with its fix, and nothing is added
      const message = errorOf(() => web.allow({ verbs: [verb], resources: [custom(group, resource)] })).message;
      expect(message).toMatch(/^SecureDeployment shop\/web: the grant would break NSA-RBAC-ISOLATION: Role\/shop\/web rules\[0\] grants /);
      expect(message).toMatch(/Leave these writes \(and the API server proxy to pods and Services\) out of the workload's role; .* With cdk8s-hardened: SecureDeployment.allow never grants them\./);
      expect(role()).toBeUndefined();
    });

  test.each([
    ['NetworkPolicies', custom('networking.k8s.io', 'networkpolicies')],
    ['Istio AuthorizationPolicies', custom('security.istio.io', 'authorizationpolicies')],
    ['Cilium policies', custom('cilium.io', 'ciliumnetworkpolicies')],
    ['its Namespace', custom('', 'namespaces')],
    ['Services', kplus.ApiResource.SERVICES],
    ['Argo Rollouts', custom('argoproj.io', 'rollouts')],
  ])('reading %s stays allowed', (_, resource) => {
    // GIVEN a workload / WHEN it may read / THEN the Role holds the read
    const { web, role } = workload();
    web.allowRead(resource);
    expect(role()!.rules).toEqual([{ apiGroups: [resource.apiGroup === 'core' ? '' : resource.apiGroup], resources: [resource.resourceType], verbs: ['get', 'list', 'watch'] }]);
  });

  test('each write of a grant is judged, not only the first: a read with one write among many resources is refused', () => {
    const { web, role } = workload();
    const grant = { verbs: ['get', 'patch'], resources: [kplus.ApiResource.CONFIG_MAPS, custom('networking.istio.io', 'sidecars')] };
    expect(errorOf(() => web.allow(grant)).message).toMatch(/rules\[1\] grants patch on sidecars.networking.istio.io/);
    expect(role()).toBeUndefined();
  });
});

describe('cluster-scoped resources in a namespaced Role grant nothing: refused with the fix', () => {
  test.each([
    ['nodes', ''], ['nodes/proxy', ''], ['persistentvolumes', ''], ['clusterroles', 'rbac.authorization.k8s.io'],
    ['validatingwebhookconfigurations', 'admissionregistration.k8s.io'], ['clusterimagepolicies', 'policy.sigstore.dev'],
    ['ciliumclusterwidenetworkpolicies', 'cilium.io'], ['priorityclasses', 'scheduling.k8s.io'],
  ])('%s', (resource, group) => {
    const { web, role } = workload();
    const message = errorOf(() => web.allowRead(custom(group, resource))).message;
    expect(message).toMatch(/^SecureDeployment shop\/web: resources\[0\] of the grant is .* which is cluster-scoped: the workload's namespaced Role would grant nothing on it; leave it out/);
    expect(role()).toBeUndefined();
  });

  test('its own Namespace object is not: a RoleBinding authorizes requests on it', () => {
    const { web, role } = workload();
    web.allow({ verbs: ['get'], resources: [custom('', 'namespaces')] });
    expect(role()!.rules).toHaveLength(1);
  });
});

describe('a grant to a workload running as the namespace\'s default ServiceAccount is refused', () => {
  test('every pod of the namespace that mounts a token would get it', () => {
    // GIVEN a workload that runs as default
    const { web, role } = workload('default');
    // WHEN it is granted even a read / THEN NSA-RBAC-DEFAULT-SA refuses it with the fix
    const message = errorOf(() => web.allowRead(kplus.ApiResource.CONFIG_MAPS)).message;
    expect(message).toMatch(/^SecureDeployment shop\/web: the grant would break NSA-RBAC-DEFAULT-SA: RoleBinding\/shop\/web binds the ServiceAccount "default"/);
    expect(message).toMatch(/Create a ServiceAccount for the workload, .* With cdk8s-hardened: SecureDeployment creates a ServiceAccount of its own/);
    expect(role()).toBeUndefined();
  });
});

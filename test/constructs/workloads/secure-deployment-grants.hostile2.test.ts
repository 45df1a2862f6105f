import { JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HealthProbe, Policy, SecureDeployment } from '../../../src';
import { errorOf, Manifest, synth, testChart } from '../../support/helpers';

// Issue 23, class 1, hostile inputs through SecureDeployment's allow(): each describe block is one class.

function workload(props: { name?: string; serviceAccount?: (chart: any) => kplus.IServiceAccount } = {}) {
  const { app, chart } = testChart();
  const web = new SecureDeployment(chart, 'web', {
    name: props.name ?? 'web', image: 'ghcr.io/acme/web:1.4.2', port: 8080, readiness: HealthProbe.http('/healthz'), serviceAccount: props.serviceAccount?.(chart),
  });
  const role = (): Manifest | undefined => synth(chart).find((m) => m.kind === 'Role');
  return { app, chart, web, role };
}
const custom = (apiGroup: string, resourceType: string) => kplus.ApiResource.custom({ apiGroup, resourceType });

describe('status subresources that relabel: pods/status and namespaces/status', () => {
  test.each([
    ['pods/status', 'patch'], ['pods/status', 'update'], ['namespaces/status', 'patch'], ['namespaces/status', 'update'],
  ])('%s %s is refused by NSA-RBAC-ISOLATION', (resource, verb) => {
    const { web, role } = workload();
    const message = errorOf(() => web.allow({ verbs: [verb], resources: [custom('', resource)] })).message;
    expect(message).toMatch(new RegExp(`^SecureDeployment shop/web: the grant would break NSA-RBAC-ISOLATION: Role/shop/web rules\\[0\\] grants ${verb} on ${resource}`));
    expect(role()).toBeUndefined();
  });

  test('reading them stays allowed', () => {
    const { web, role } = workload();
    web.allowRead(custom('', 'pods/status'), custom('', 'namespaces/status'));
    expect(role()!.rules).toHaveLength(2);
  });
});

describe('the default ServiceAccount reached another way', () => {
  test('a cdk8s-plus ServiceAccount object named default', () => {
    const { web, role } = workload({ serviceAccount: (chart) => new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'default' } }) });
    expect(errorOf(() => web.allowRead(kplus.ApiResource.CONFIG_MAPS)).message).toMatch(/would break NSA-RBAC-DEFAULT-SA: RoleBinding\/shop\/web binds the ServiceAccount "default"/);
    expect(role()).toBeUndefined();
  });

  test('a workload named default, whose own ServiceAccount is then default', () => {
    const { web, role } = workload({ name: 'default' });
    expect(errorOf(() => web.allowRead(kplus.ApiResource.CONFIG_MAPS)).message).toMatch(/would break NSA-RBAC-DEFAULT-SA/);
    expect(role()).toBeUndefined();
  });
});

describe('cdk8s-plus objects as resources: their name restricts the grant, never exempts it', () => {
  test('patching the Namespace object or a Deployment of the app', () => {
    const { chart, web, role } = workload();
    const namespace = new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop' } });
    expect(errorOf(() => web.allow({ verbs: ['patch'], resources: [namespace] })).message).toMatch(/grants patch on namespaces \(resourceNames: "shop"\)/);
    const other = new kplus.Deployment(chart, 'other', { containers: [{ image: 'ghcr.io/acme/other:1.0.0' }] });
    expect(errorOf(() => web.allow({ verbs: ['update'], resources: [other] })).message).toMatch(/grants update on deployments.apps \(resourceNames: "shop-other-c8/);
    expect(role()).toBeUndefined();
  });
});

describe('JavaScript callers', () => {
  test('verbs as one string is refused, not read letter by letter', () => {
    const { web, role } = workload();
    expect(() => web.allow({ verbs: 'delete' as any, resources: [kplus.ApiResource.CONFIG_MAPS] })).toThrow(/verbs of the grant/);
    expect(role()).toBeUndefined();
  });

  test('mutating the grant after allow() changes nothing', () => {
    const { web, role } = workload();
    const grant = { verbs: ['get'], resources: [kplus.ApiResource.CONFIG_MAPS] };
    web.allow(grant);
    grant.verbs.push('delete');
    grant.resources.push(custom('networking.k8s.io', 'networkpolicies'));
    expect(role()!.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
  });
});

describe('grants added after construction or around allow()', () => {
  test('acknowledging NSA-RBAC-ISOLATION on the workload does not make allow() grant the write', () => {
    const { web, role } = workload();
    Policy.acknowledge(web, 'NSA-RBAC-ISOLATION', 'the workload manages its own NetworkPolicies');
    expect(() => web.allow({ verbs: ['delete'], resources: [custom('networking.k8s.io', 'networkpolicies')] })).toThrow(/NSA-RBAC-ISOLATION/);
    expect(role()).toBeUndefined();
  });

  test('a write patched into the Role after allow() is the engine\'s finding at synth', () => {
    const { app, web } = workload();
    web.allowRead(kplus.ApiResource.CONFIG_MAPS);
    web.role!.addJsonPatch(JsonPatch.add('/rules/-', { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['delete'] }));
    expect(Policy.report(app).findings.filter((f) => f.ruleId === 'NSA-RBAC-ISOLATION').map((f) => f.message))
      .toEqual(['Role/shop/web rules[1] grants delete on networkpolicies.networking.k8s.io']);
  });
});

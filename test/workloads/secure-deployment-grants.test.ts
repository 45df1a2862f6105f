import * as kplus from 'cdk8s-plus-27';
import { HealthProbe, Policy, PolicyPack, SecureDeployment } from '../../src';
import { policyObject } from '../../src/policy/policy-object';
import { errorOf, Manifest, synth, testChart } from '../support/helpers';

function controller() {
  const { app, chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { name: 'web', image: 'ghcr.io/acme/web:1.4.2', port: 8080, readiness: HealthProbe.http('/healthz') });
  const other = new SecureDeployment(chart, 'other', { name: 'other', image: 'ghcr.io/acme/other:1.0.0', port: 8080, readiness: HealthProbe.http('/healthz') });
  const find = (kind: string, name: string = 'web'): Manifest | undefined => synth(chart).find((m) => m.kind === kind && m.metadata.name === name);
  return { app, chart, web, other, find };
}

const podSpecOf = (deployment: Manifest | undefined) => deployment!.spec.template.spec;

describe('SecureDeployment API grants', () => {
  test('grantRead: a namespaced Role and a RoleBinding to its ServiceAccount; only its pods mount a token', () => {
    // GIVEN two workloads
    const { app, web, find } = controller();
    // WHEN one may read ConfigMaps and Jobs
    web.grantRead(kplus.ApiResource.CONFIG_MAPS, kplus.ApiResource.JOBS);
    // THEN a Role in its namespace with exactly those verbs and resources
    expect(find('Role')).toMatchObject({ apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'web', namespace: 'shop' } });
    expect(find('Role')!.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] },
    ]);
    // AND a RoleBinding of that Role to the workload's own ServiceAccount, never a ClusterRole
    expect(find('RoleBinding')).toMatchObject({
      metadata: { name: 'web', namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'web' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
    });
    expect(synth(web.node.scope as any).filter((m) => m.kind.startsWith('Cluster'))).toEqual([]);
    // AND its pods mount a token, the other workload's do not
    expect(podSpecOf(find('Deployment')).automountServiceAccountToken).toBe(true);
    expect(podSpecOf(find('Deployment', 'other')).automountServiceAccountToken).toBe(false);
    expect(web.role).toBeDefined();
    // AND the packs find nothing (the token is needed by a bound ServiceAccount)
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('no grant: no Role, no token', () => {
    const { web, find } = controller();
    expect(find('Role')).toBeUndefined();
    expect(web.role).toBeUndefined();
    expect(podSpecOf(find('Deployment')).automountServiceAccountToken).toBe(false);
  });

  test('objects of the app restrict a grant to them; grants add up in one Role', () => {
    const { chart, web, find } = controller();
    const settings = new kplus.ConfigMap(chart, 'settings', { metadata: { name: 'web-settings' } });
    const token = kplus.Secret.fromSecretName(chart, 'token', 'web-upstream-token');
    web.grant({ verbs: ['get', 'watch'], resources: [settings] });
    web.grant({ verbs: ['get'], resources: [token] });
    web.grant({ verbs: ['create', 'delete'], resources: [kplus.ApiResource.JOBS], resourceNames: ['web-report'] });
    expect(find('Role')!.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'], resourceNames: ['web-settings'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['web-upstream-token'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'delete'], resourceNames: ['web-report'] },
    ]);
    expect(find('RoleBinding')).toBeDefined();
  });

  describe('grants the engine would flag are refused, with its fix, and add nothing', () => {
    test.each([
      ['creating pods', { verbs: ['create'], resources: [kplus.ApiResource.PODS] }, /CIS-RBAC-POD-CREATE-NAMESPACED/],
      ['exec into pods', { verbs: ['create'], resources: [kplus.ApiResource.custom({ apiGroup: '', resourceType: 'pods/exec' })] }, /NSA-RBAC-POD-EXEC/],
      ['requesting tokens', { verbs: ['create'], resources: [kplus.ApiResource.custom({ apiGroup: '', resourceType: 'serviceaccounts/token' })] }, /CIS-RBAC-TOKEN-CREATE/],
      ['creating Deployments (pods by proxy)', { verbs: ['create'], resources: [kplus.ApiResource.DEPLOYMENTS] }, /CIS-RBAC-POD-CREATE-NAMESPACED/],
    ])('%s', (_, grant, rule) => {
      const { web, find } = controller();
      web.grantRead(kplus.ApiResource.CONFIG_MAPS);
      expect(errorOf(() => web.grant(grant)).message).toMatch(new RegExp(`SecureDeployment shop/web: the grant would break ${rule.source}`));
      expect(find('Role')!.rules).toHaveLength(1);
    });
  });

  describe('hostile grants are refused at construction with the path and the fix', () => {
    test.each([
      ['a wildcard verb', { verbs: ['*'], resources: [kplus.ApiResource.CONFIG_MAPS] }, /the grant names the verb "\*"; use only get, list/],
      ['escalate', { verbs: ['escalate'], resources: [kplus.ApiResource.ROLES] }, /the verb "escalate"/],
      ['bind', { verbs: ['bind'], resources: [kplus.ApiResource.ROLES] }, /the verb "bind"/],
      ['impersonate', { verbs: ['impersonate'], resources: [kplus.ApiResource.SERVICE_ACCOUNTS] }, /the verb "impersonate"/],
      ['an upper-case verb', { verbs: ['GET'], resources: [kplus.ApiResource.CONFIG_MAPS] }, /the verb "GET".*lower-case/],
      ['no verb', { verbs: [], resources: [kplus.ApiResource.CONFIG_MAPS] }, /names no verb/],
      ['no resource', { verbs: ['get'], resources: [] }, /names no resource/],
      ['a wildcard resource', { verbs: ['get'], resources: [kplus.ApiResource.custom({ apiGroup: '', resourceType: '*' })] }, /resource type "\*"/],
      ['a wildcard group', { verbs: ['get'], resources: [kplus.ApiResource.custom({ apiGroup: '*', resourceType: 'jobs' })] }, /API group "\*"/],
      ['any subresource', { verbs: ['get'], resources: [kplus.ApiResource.custom({ apiGroup: '', resourceType: 'pods/*' })] }, /resource type "pods\/\*"/],
      ['listing Secrets', { verbs: ['list'], resources: [kplus.ApiResource.SECRETS] }, /list Secrets, which returns the value of every Secret/],
      ['watching Secrets by name', { verbs: ['watch'], resources: [kplus.ApiResource.SECRETS], resourceNames: ['a'] }, /watch Secrets/],
      ['reading every Secret', { verbs: ['get'], resources: [kplus.ApiResource.SECRETS] }, /reaches every Secret of the namespace; name the Secrets/],
      ['a wildcard name', { verbs: ['get'], resources: [kplus.ApiResource.CONFIG_MAPS], resourceNames: ['*'] }, /resourceNames\[0\] of the grant "\*"/],
      ['verbs as a string', { verbs: 'get', resources: [kplus.ApiResource.CONFIG_MAPS] }, /verbs of the grant/],
      ['a resource that is not one', { verbs: ['get'], resources: ['configmaps'] }, /resources\[0\] of the grant/],
      ['no grant at all', undefined, /the grant is undefined, not an object/],
    ])('%s', (_, grant, message) => {
      const { web, find } = controller();
      expect(errorOf(() => web.grant(grant as any)).message).toMatch(message);
      expect(find('Role')).toBeUndefined();
      expect(podSpecOf(find('Deployment')).automountServiceAccountToken).toBe(false);
    });

    test('grantRead of Secrets is refused: list and watch return every value', () => {
      const { web } = controller();
      expect(errorOf(() => web.grantRead(kplus.ApiResource.SECRETS)).message).toMatch(/list and watch Secrets/);
    });
  });
});

describe('NSA-SA-TOKEN and bound service accounts', () => {
  const rule = PolicyPack.NSA_CISA.rules.find((r) => r.id === 'NSA-SA-TOKEN')!;
  const pod = (account: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop' },
    spec: { serviceAccountName: account, automountServiceAccountToken: true, containers: [{ name: 'c', image: 'ghcr.io/acme/p:1.0.0' }] },
  });
  const binding = (subject: any) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'b', namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    subjects: [subject],
  });
  const verdict = (manifests: any[]) => rule.evaluate(manifests.map((m, i) => policyObject(m, `t/${i}`))).filter((r) => r.object.manifest.kind === 'Pod').map((r) => r.compliant);

  test('a pod may mount the token of a ServiceAccount bound in its namespace', () => {
    expect(verdict([pod('web'), binding({ kind: 'ServiceAccount', name: 'web', namespace: 'shop' })])).toEqual([true]);
    expect(verdict([pod('web'), binding({ kind: 'ServiceAccount', name: 'web' })])).toEqual([true]);
  });

  test('not the token of an unbound account, of an account bound in another namespace, or of a user of that name', () => {
    expect(verdict([pod('web')])).toEqual([false]);
    expect(verdict([pod('web'), binding({ kind: 'ServiceAccount', name: 'web', namespace: 'other' })])).toEqual([false]);
    expect(verdict([pod('web'), binding({ kind: 'User', name: 'web' })])).toEqual([false]);
    expect(verdict([pod('web'), binding({ kind: 'ServiceAccount', name: 'other', namespace: 'shop' })])).toEqual([false]);
  });
});

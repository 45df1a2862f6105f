import * as kplus from 'cdk8s-plus-27';
import { HealthProbe, Policy, PolicyPack, SecureDeployment } from '../../../src';
import { policyObject } from '../../../src/k8s/policy-object';
import { errorOf, Manifest, synth, testChart } from '../../support/helpers';

function controller() {
  const { app, chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { name: 'web', image: 'ghcr.io/acme/web:1.4.2', port: 8080, readiness: HealthProbe.http('/healthz') });
  const other = new SecureDeployment(chart, 'other', { name: 'other', image: 'ghcr.io/acme/other:1.0.0', port: 8080, readiness: HealthProbe.http('/healthz') });
  const find = (kind: string, name: string = 'web'): Manifest | undefined => synth(chart).find((m) => m.kind === kind && m.metadata.name === name);
  return { app, chart, web, other, find };
}

const podSpecOf = (deployment: Manifest | undefined) => deployment!.spec.template.spec;

describe('SecureDeployment API grants', () => {
  test('allowRead: a namespaced Role and a RoleBinding to its ServiceAccount; only its pods mount a token', () => {
    // GIVEN two workloads
    const { app, web, find } = controller();
    // WHEN one may read ConfigMaps and Jobs
    web.allowRead(kplus.ApiResource.CONFIG_MAPS, kplus.ApiResource.JOBS);
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

  test('the grantee side is named as cdk8s-plus names it (Role.allow, Role.allowRead), not grant*', () => {
    // GIVEN a workload, and cdk8s-plus's Role, whose grant* methods (on resources) give access to others
    const { web } = controller();
    // THEN the workload receives access through allow and allowRead; grant and grantRead would read as the inverse
    expect(typeof kplus.Role.prototype.allowRead).toBe('function');
    expect(typeof web.allow).toBe('function');
    expect(typeof web.allowRead).toBe('function');
    expect('grant' in web).toBe(false);
    expect('grantRead' in web).toBe(false);
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
    web.allow({ verbs: ['get', 'watch'], resources: [settings] });
    web.allow({ verbs: ['get'], resources: [token] });
    web.allow({ verbs: ['get', 'delete'], resources: [kplus.ApiResource.JOBS], resourceNames: ['web-report'] });
    expect(find('Role')!.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'], resourceNames: ['web-settings'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['web-upstream-token'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'delete'], resourceNames: ['web-report'] },
    ]);
    expect(find('RoleBinding')).toBeDefined();
  });

  describe('grants the engine would flag are refused, with its fix, and add nothing', () => {
    test('requesting tokens: the engine rule CIS-RBAC-TOKEN-CREATE, with its fix', () => {
      const { web, find } = controller();
      web.allowRead(kplus.ApiResource.CONFIG_MAPS);
      const grant = { verbs: ['create'], resources: [kplus.ApiResource.custom({ apiGroup: '', resourceType: 'serviceaccounts/token' })] };
      expect(errorOf(() => web.allow(grant)).message).toMatch(/SecureDeployment shop\/web: the grant would break CIS-RBAC-TOKEN-CREATE/);
      expect(find('Role')!.rules).toHaveLength(1);
    });

    const custom = (apiGroup: string, resourceType: string) => kplus.ApiResource.custom({ apiGroup, resourceType });
    test.each([
      ['creating pods', { verbs: ['create'], resources: [kplus.ApiResource.PODS] }, 'NSA-RBAC-ISOLATION', /grants create on pods;/],
      ['creating Deployments (pods by proxy)', { verbs: ['create'], resources: [kplus.ApiResource.DEPLOYMENTS] }, 'NSA-RBAC-ISOLATION', /create on deployments.apps/],
      ['patching Deployments', { verbs: ['patch', 'update'], resources: [kplus.ApiResource.DEPLOYMENTS] }, 'NSA-RBAC-ISOLATION', /update, patch on deployments.apps/],
      ['patching pods', { verbs: ['patch'], resources: [kplus.ApiResource.PODS] }, 'NSA-RBAC-ISOLATION', /patch on pods/],
      ['updating CronJobs', { verbs: ['update'], resources: [kplus.ApiResource.CRON_JOBS] }, 'NSA-RBAC-ISOLATION', /update on cronjobs.batch/],
      ['exec into pods', { verbs: ['create'], resources: [custom('', 'pods/exec')] }, 'NSA-RBAC-POD-EXEC', /create on pods\/exec/],
      ['attach to pods', { verbs: ['create', 'get'], resources: [custom('', 'pods/attach')] }, 'NSA-RBAC-POD-EXEC', /create, get on pods\/attach/],
      ['port-forward', { verbs: ['create'], resources: [custom('', 'pods/portforward')] }, 'NSA-RBAC-POD-EXEC', /pods\/portforward/],
      ['ephemeral containers', { verbs: ['patch'], resources: [custom('', 'pods/ephemeralcontainers')] }, 'NSA-RBAC-POD-EXEC', /pods\/ephemeralcontainers/],
      ['proxying to pods', { verbs: ['get'], resources: [custom('', 'pods/proxy')] }, 'NSA-RBAC-ISOLATION', /get on pods\/proxy/],
      ['proxying to Services', { verbs: ['get'], resources: [custom('', 'services/proxy')] }, 'NSA-RBAC-ISOLATION', /get on services\/proxy/],
      ['writing RoleBindings', { verbs: ['create'], resources: [kplus.ApiResource.ROLE_BINDINGS] }, 'NSA-RBAC-ISOLATION', /create on rolebindings/],
      ['writing Roles', { verbs: ['patch'], resources: [kplus.ApiResource.ROLES] }, 'NSA-RBAC-ISOLATION', /patch on roles/],
      ['writing Endpoints', { verbs: ['update'], resources: [kplus.ApiResource.ENDPOINTS] }, 'NSA-RBAC-ISOLATION', /update on endpoints/],
      ['creating Secrets', { verbs: ['create'], resources: [kplus.ApiResource.SECRETS] }, 'NSA-RBAC-ISOLATION', /create on secrets/],
    ])('escalations are refused: %s', (_, grant, ruleId, granted) => {
      const { web, find } = controller();
      web.allowRead(kplus.ApiResource.CONFIG_MAPS);
      const message = errorOf(() => web.allow(grant)).message;
      expect(message).toMatch(new RegExp(`^SecureDeployment shop/web: the grant would break ${ruleId}: Role/shop/web rules\\[1\\] grants`));
      expect(message).toMatch(granted);
      expect(find('Role')!.rules).toHaveLength(1);
    });

    test.each([
      ['create restricted to names (grants nothing)', { verbs: ['create'], resources: [kplus.ApiResource.CONFIG_MAPS], resourceNames: ['a'] }, /those requests carry no name/],
      ['empty resourceNames (every Secret)', { verbs: ['get', 'update'], resources: [kplus.ApiResource.SECRETS], resourceNames: [] }, /resourceNames of the grant is empty, which RBAC reads as every object/],
    ])('grants that would not say what they mean are refused: %s', (_, grant, message) => {
      const { web, find } = controller();
      web.allowRead(kplus.ApiResource.CONFIG_MAPS);
      expect(errorOf(() => web.allow(grant)).message).toMatch(new RegExp(`SecureDeployment shop/web: .*${message.source}`));
      expect(find('Role')!.rules).toHaveLength(1);
    });

    test('a Secret object with empty resourceNames does not widen to every Secret', () => {
      const { chart, web } = controller();
      const token = kplus.Secret.fromSecretName(chart, 'token', 'web-token');
      expect(errorOf(() => web.allow({ verbs: ['get'], resources: [token], resourceNames: [] })).message).toMatch(/resourceNames of the grant is empty/);
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
      expect(errorOf(() => web.allow(grant as any)).message).toMatch(message);
      expect(find('Role')).toBeUndefined();
      expect(podSpecOf(find('Deployment')).automountServiceAccountToken).toBe(false);
    });

    test('allowRead of Secrets is refused: list and watch return every value', () => {
      const { web } = controller();
      expect(errorOf(() => web.allowRead(kplus.ApiResource.SECRETS)).message).toMatch(/list and watch Secrets/);
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
  const verdict = (manifests: any[]) => rule.evaluate(manifests.map((m, i) => policyObject(m, `t/${i}`))).filter((r) => manifests[r.objectIndex].kind === 'Pod').map((r) => r.compliant);

  const role = (rules: any[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'shop' }, rules });
  const reads = role([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);

  test('a pod may mount the token of a ServiceAccount bound, in its namespace, to a role that grants something', () => {
    expect(verdict([pod('web'), reads, binding({ kind: 'ServiceAccount', name: 'web', namespace: 'shop' })])).toEqual([true]);
    expect(verdict([pod('web'), reads, binding({ kind: 'ServiceAccount', name: 'web' })])).toEqual([true]);
  });

  test('not the token of an unbound account, of an account bound elsewhere, to nothing or to an empty role, of a user, or of default', () => {
    expect(verdict([pod('web')])).toEqual([false]);
    expect(verdict([pod('web'), reads, binding({ kind: 'ServiceAccount', name: 'web', namespace: 'other' })])).toEqual([false]);
    expect(verdict([pod('web'), reads, binding({ kind: 'User', name: 'web' })])).toEqual([false]);
    expect(verdict([pod('web'), reads, binding({ kind: 'ServiceAccount', name: 'other', namespace: 'shop' })])).toEqual([false]);
    expect(verdict([pod('web'), binding({ kind: 'ServiceAccount', name: 'web', namespace: 'shop' })])).toEqual([false]);
    expect(verdict([pod('web'), role([]), binding({ kind: 'ServiceAccount', name: 'web', namespace: 'shop' })])).toEqual([false]);
    expect(verdict([pod('default'), reads, binding({ kind: 'ServiceAccount', name: 'default', namespace: 'shop' })])).toEqual([false]);
  });
});

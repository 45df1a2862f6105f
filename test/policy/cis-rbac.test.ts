import { PolicyPack, PolicyReport, PolicyRule, Severity } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';
import { ClusterAdminRule } from '../../src/policy/rules/cis/cluster-admin';
import { describeGrants, grants } from '../../src/policy/rules/cis/grants';
import { CIS_RBAC_RULES } from '../../src/policy/rules/cis/index';

const RBAC = 'rbac.authorization.k8s.io/v1';

const clusterRole = (name: string, rules: any, extra: any = {}) => ({
  apiVersion: RBAC,
  kind: 'ClusterRole',
  metadata: { name, ...extra.metadata },
  rules,
  ...(extra.aggregationRule !== undefined ? { aggregationRule: extra.aggregationRule } : {}),
});
const role = (name: string, rules: any) => ({ apiVersion: RBAC, kind: 'Role', metadata: { name, namespace: 'shop' }, rules });
const clusterRoleBinding = (name: string, roleName: string, subjects: any) => ({
  apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects,
});
const roleBinding = (name: string, roleRef: any, subjects: any) => ({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name, namespace: 'shop' }, roleRef, subjects });
const user = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name });
const group = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name });
const sa = (name: string) => ({ kind: 'ServiceAccount', name, namespace: 'shop' });

function report(manifests: any[], rules: PolicyRule[] = CIS_RBAC_RULES): PolicyReport {
  const objects = manifests.map((m, i) => policyObject(m, `test/o${i}`));
  return PolicyReport._evaluate(objects, [PolicyPack.of('test', rules)], () => undefined);
}

function findings(manifests: any[], rules: PolicyRule[] = CIS_RBAC_RULES): Array<{ ruleId: string; message: string }> {
  return report(manifests, rules).findings.map((f) => ({ ruleId: f.ruleId, message: f.message }));
}

function messagesOf(ruleId: string, manifests: any[]): string[] {
  return findings(manifests).filter((f) => f.ruleId === ruleId).map((f) => f.message);
}

function ruleById(id: string): PolicyRule {
  const rule = CIS_RBAC_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

// [rule, compliant set, non-compliant set, the exact messages of the non-compliant set]
const cases: Array<[string, () => any[], () => any[], string[]]> = [
  ['CIS-RBAC-CLUSTER-ADMIN',
    () => [clusterRoleBinding('x', 'view', [user('alice')]), roleBinding('y', { kind: 'Role', name: 'cluster-admin' }, [user('bob')])],
    () => [clusterRoleBinding('x', 'cluster-admin', [user('alice'), sa('deployer')])],
    ['ClusterRoleBinding/x binds ClusterRole cluster-admin to User alice, ServiceAccount shop/deployer']],
  ['CIS-RBAC-SECRETS-READ',
    () => [clusterRole('ops', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]),
      role('reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }])],
    () => [clusterRole('ops', [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list'] }])],
    ['ClusterRole/ops rules[0] grants get, list on secrets']],
  ['CIS-RBAC-POD-CREATE',
    () => [clusterRole('ops', [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments'], verbs: ['get', 'list', 'watch', 'update'] }])],
    () => [clusterRole('ops', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { apiGroups: [''], resources: ['services'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['create'] }, { apiGroups: ['apps', 'batch'], resources: ['deployments', 'cronjobs'], verbs: ['create'] }])],
    ['ClusterRole/ops rules[2] grants create on pods', 'ClusterRole/ops rules[3] grants create on deployments.apps, cronjobs.batch']],
  ['CIS-RBAC-POD-CREATE-NAMESPACED',
    () => [role('reader', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }])],
    () => [role('deployer', [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'delete'] }])],
    ['Role/shop/deployer rules[0] grants create on jobs.batch']],
  ['CIS-RBAC-SYSTEM-MASTERS',
    () => [clusterRoleBinding('x', 'view', [group('ops')])],
    () => [clusterRoleBinding('x', 'view', [user('alice'), group('system:masters')])],
    ['ClusterRoleBinding/x binds group system:masters']],
  ['CIS-RBAC-PUBLIC-SUBJECTS',
    () => [roleBinding('x', { kind: 'Role', name: 'reader' }, [sa('web')])],
    () => [roleBinding('x', { kind: 'Role', name: 'reader' }, [group('system:unauthenticated'), user('system:anonymous')]),
      clusterRoleBinding('y', 'view', [group('system:authenticated')])],
    ['RoleBinding/shop/x binds group system:unauthenticated (every unauthenticated request)',
      'RoleBinding/shop/x binds user system:anonymous (every unauthenticated request)',
      'ClusterRoleBinding/y binds group system:authenticated (every authenticated user and service account)']],
  ['CIS-RBAC-ESCALATION-VERBS',
    () => [clusterRole('ops', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['get', 'create'] }])],
    () => [clusterRole('ops', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] },
      { apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }])],
    ['ClusterRole/ops rules[0] grants bind on clusterroles.rbac.authorization.k8s.io; escalate on clusterroles.rbac.authorization.k8s.io',
      'ClusterRole/ops rules[1] grants impersonate on users, groups']],
  ['CIS-RBAC-NODE-PROXY',
    () => [clusterRole('metrics', [{ apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'nodes/stats'], verbs: ['get'] }])],
    () => [clusterRole('metrics', [{ apiGroups: [''], resources: ['nodes', 'nodes/proxy'], verbs: ['get', 'create'] }])],
    ['ClusterRole/metrics rules[0] grants get, create on nodes/proxy']],
  ['CIS-RBAC-CSR-APPROVAL',
    () => [clusterRole('csr', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create', 'get'] }])],
    () => [clusterRole('csr', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/kube-apiserver-client'], verbs: ['approve'] }])],
    ['ClusterRole/csr rules[0] grants update on certificatesigningrequests.certificates.k8s.io/approval',
      'ClusterRole/csr rules[1] grants approve on signers.certificates.k8s.io (resourceNames: "kubernetes.io/kube-apiserver-client")']],
  ['CIS-RBAC-WEBHOOK-CONFIG',
    () => [clusterRole('hooks', [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['get', 'list', 'watch'] }])],
    () => [clusterRole('hooks', [{
      apiGroups: ['admissionregistration.k8s.io'],
      resources: ['mutatingwebhookconfigurations', 'validatingadmissionpolicybindings'],
      verbs: ['get', 'patch'],
    }])],
    ['ClusterRole/hooks rules[0] grants patch on mutatingwebhookconfigurations.admissionregistration.k8s.io, '
      + 'validatingadmissionpolicybindings.admissionregistration.k8s.io']],
  ['CIS-RBAC-TOKEN-CREATE',
    () => [role('sa', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['create', 'get'] }])],
    () => [role('sa', [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }])],
    ['Role/shop/sa rules[0] grants create on serviceaccounts/token']],
];

describe('CIS 5.1 RBAC rules: a compliant and a non-compliant fixture each', () => {
  test('the table covers every rule of CIS_RBAC_RULES, and ids are unique', () => {
    const ids = CIS_RBAC_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(cases.map((c) => c[0]).sort()).toEqual([...ids].sort());
  });

  test('every rule names its CIS control and is an error, except namespaced pod creation', () => {
    for (const rule of CIS_RBAC_RULES) {
      expect(rule.id).toMatch(/^CIS-RBAC-/);
      expect(rule.standard).toMatch(/^CIS Kubernetes Benchmark 5\.1/);
      expect(rule.severity).toBe(rule.id === 'CIS-RBAC-POD-CREATE-NAMESPACED' ? Severity.WARNING : Severity.ERROR);
    }
  });

  test.each(cases)('%s', (ruleId, compliant, nonCompliant, messages) => {
    const rule = ruleById(ruleId);
    // GIVEN a compliant set
    const passing = report(compliant(), [rule]);
    // THEN the rule judged it and found nothing
    expect(passing.findings).toEqual([]);
    expect(passing.scores[0].applicable).toBeGreaterThan(0);
    expect(passing.scores[0].passed).toBe(passing.scores[0].applicable);
    // WHEN the set does what the control forbids
    const failing = report(nonCompliant(), [rule]);
    // THEN the rule reports each grant or binding precisely, at its severity
    expect(failing.findings.map((f) => f.message)).toEqual(messages);
    expect(failing.findings.every((f) => f.severity === rule.severity && f.ruleId === ruleId)).toBe(true);
  });

  test('a least-privilege Role (get configmaps in a namespace) and its binding have no finding under any CIS rule', () => {
    // GIVEN a Role reading config maps, bound to a service account of its namespace
    const manifests = [
      role('config-reader', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['web-config'], verbs: ['get'] }]),
      roleBinding('config-reader', { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'config-reader' }, [sa('web')]),
    ];
    // WHEN every CIS rule judges them
    const result = report(manifests);
    // THEN nothing is found, and the rules that judge Roles and bindings did judge them
    expect(result.findings).toEqual([]);
    expect(result.scores[0].applicable).toBeGreaterThanOrEqual(6);
  });
});

describe('grants: the RBAC authorizer semantics', () => {
  const rule = (r: any) => ({ apiGroups: [''], verbs: ['create'], ...r });
  test.each([
    // [rule, group, resource, verb, granted]
    [rule({ resources: ['pods'] }), '', 'pods', 'create', true],
    [rule({ resources: ['pods'] }), 'apps', 'pods', 'create', false],
    [rule({ apiGroups: ['*'], resources: ['deployments'] }), 'apps', 'deployments', 'create', true],
    [rule({ apiGroups: [], resources: ['pods'] }), '', 'pods', 'create', false],
    [rule({ apiGroups: undefined, resources: ['pods'] }), '', 'pods', 'create', false],
    [rule({ resources: ['*'] }), '', 'nodes/proxy', 'create', true],
    [rule({ resources: ['*/proxy'] }), '', 'nodes/proxy', 'create', true],
    [rule({ resources: ['nodes/*'] }), '', 'nodes/proxy', 'create', false],
    [rule({ resources: ['pods/*'] }), '', 'pods', 'create', false],
    [rule({ resources: ['*/token'] }), '', 'serviceaccounts/token', 'create', true],
    [rule({ resources: ['*/proxy'] }), '', 'nodes', 'create', false],
    [rule({ resources: ['nodes'] }), '', 'nodes/proxy', 'create', false],
    [rule({ resources: ['userextras/scopes'] }), '', 'userextras/*', 'create', true],
    [rule({ resources: ['*/scopes'] }), '', 'userextras/*', 'create', true],
    [rule({ resources: ['userextras'] }), '', 'userextras/*', 'create', false],
    [rule({ resources: ['userextras/'] }), '', 'userextras/*', 'create', false],
    [rule({ resources: ['*/'] }), '', 'userextras/*', 'create', false],
    [rule({ verbs: ['*'], resources: ['pods'] }), '', 'pods', 'create', true],
    [rule({ verbs: ['CREATE'], resources: ['pods'] }), '', 'pods', 'create', false],
    [rule({ resources: ['Pods'] }), '', 'pods', 'create', false],
    [rule({ apiGroups: ['Apps'], resources: ['deployments'] }), 'apps', 'deployments', 'create', false],
    [rule({ resources: ['pods'], resourceNames: ['web'] }), '', 'pods', 'create', false],
    [rule({ verbs: ['*'], resources: ['pods'], resourceNames: ['web'] }), '', 'pods', 'create', false],
    [rule({ resources: ['pods'], resourceNames: [''] }), '', 'pods', 'create', true],
    [rule({ resources: ['pods'], resourceNames: [] }), '', 'pods', 'create', true],
    [rule({ resources: ['serviceaccounts/token'], resourceNames: ['web'] }), '', 'serviceaccounts/token', 'create', true],
    [rule({ verbs: ['deletecollection'], resources: ['pods'], resourceNames: ['web'] }), '', 'pods', 'deletecollection', false],
    [rule({ verbs: ['get'], resources: ['secrets'], resourceNames: ['web'] }), '', 'secrets', 'get', true],
    [rule({ verbs: 'create', resources: 'pods' }), '', 'pods', 'create', true],
    [rule({ verbs: [7, null, 'create'], resources: [{}, 'pods'] }), '', 'pods', 'create', true],
    [null, '', 'pods', 'create', false],
    ['create', '', 'pods', 'create', false],
  ])('%j grants %j %j %j: %j', (r, g, resource, verb, expected) => {
    expect(grants(r, g, resource, verb)).toBe(expected);
  });

  test('describeGrants names the wildcards and resourceNames a grant relies on', () => {
    const permissions = [{ group: '', resource: 'nodes/proxy', verbs: ['get', 'create'] }];
    expect(describeGrants({ apiGroups: ['*'], resources: ['*/proxy'], verbs: ['*'] }, permissions))
      .toBe('get, create on nodes/proxy (via verbs "*", apiGroups "*", resources "*/proxy")');
    expect(describeGrants({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'], resourceNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, permissions))
      .toBe('get on nodes/proxy (resourceNames: "a", "b", "c", "d", "e", … (2 more))');
    expect(describeGrants({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }, [{ ...permissions[0], clusterScoped: true }], true)).toBe('');
  });
});

describe('hostile roles', () => {
  test('a wildcard API group still grants the named resource', () => {
    // GIVEN a ClusterRole creating pods in "*" groups
    const manifests = [clusterRole('ops', [{ apiGroups: ['*'], resources: ['pods'], verbs: ['create'] }])];
    // THEN pod creation is found, with the wildcard it relies on
    expect(messagesOf('CIS-RBAC-POD-CREATE', manifests)).toEqual(['ClusterRole/ops rules[0] grants create on pods (via apiGroups "*")']);
  });

  test('"*" resources and verbs in all groups trip every grant rule', () => {
    // GIVEN a ClusterRole equivalent to cluster-admin
    const manifests = [clusterRole('god', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])];
    // THEN every rule judging ClusterRole grants reports it
    expect([...new Set(findings(manifests).map((f) => f.ruleId))].sort()).toEqual([
      'CIS-RBAC-CSR-APPROVAL', 'CIS-RBAC-ESCALATION-VERBS', 'CIS-RBAC-NODE-PROXY', 'CIS-RBAC-POD-CREATE', 'CIS-RBAC-SECRETS-READ',
      'CIS-RBAC-TOKEN-CREATE', 'CIS-RBAC-WEBHOOK-CONFIG',
    ]);
    expect(messagesOf('CIS-RBAC-SECRETS-READ', manifests))
      .toEqual(['ClusterRole/god rules[0] grants get, list, watch on secrets (via verbs "*", apiGroups "*", resources "*")']);
  });

  test('"*" resources in the core group grant core subresources but not other groups', () => {
    // GIVEN a ClusterRole reading every core resource
    const manifests = [clusterRole('reader', [{ apiGroups: [''], resources: ['*'], verbs: ['get', 'list', 'watch'] }])];
    // THEN secrets and nodes/proxy are found; nothing in apps or admissionregistration is
    expect(findings(manifests).map((f) => f.ruleId).sort()).toEqual(['CIS-RBAC-NODE-PROXY', 'CIS-RBAC-SECRETS-READ']);
  });

  test('subresource wildcards: "*/proxy" and "*/token" grant, "nodes/*" and "pods/*" do not', () => {
    // GIVEN subresources named through "*/<sub>" and through "<resource>/*"
    const manifests = [clusterRole('sub', [
      { apiGroups: [''], resources: ['nodes/*', 'pods/*', 'serviceaccounts/*'], verbs: ['*'] },
      { apiGroups: [''], resources: ['*/proxy', '*/token'], verbs: ['get', 'create'] },
    ])];
    // THEN only the "*/<sub>" entries grant, as the authorizer matches them
    expect(findings(manifests)).toEqual([
      { ruleId: 'CIS-RBAC-NODE-PROXY', message: 'ClusterRole/sub rules[1] grants get, create on nodes/proxy (via resources "*/proxy")' },
      { ruleId: 'CIS-RBAC-TOKEN-CREATE', message: 'ClusterRole/sub rules[1] grants create on serviceaccounts/token (via resources "*/token")' },
    ]);
  });

  test('impersonating user extras is found by key and by "*/<key>"', () => {
    // GIVEN impersonation of extras and uids in authentication.k8s.io, and of extras in the wrong (core) group
    const manifests = [clusterRole('as', [
      { apiGroups: ['authentication.k8s.io'], resources: ['userextras/scopes', 'uids'], verbs: ['impersonate'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['*/scopes'], verbs: ['impersonate'] },
      { apiGroups: [''], resources: ['userextras/scopes'], verbs: ['impersonate'] },
    ])];
    // THEN both forms in the right group are found; the core-group rule grants nothing
    expect(messagesOf('CIS-RBAC-ESCALATION-VERBS', manifests)).toEqual([
      'ClusterRole/as rules[0] grants impersonate on uids.authentication.k8s.io, userextras.authentication.k8s.io/*',
      'ClusterRole/as rules[1] grants impersonate on userextras.authentication.k8s.io/* (via resources "*/scopes")',
    ]);
  });

  test('RBAC is case-sensitive: upper-case verbs, resources, groups and subjects grant nothing and are not reported', () => {
    // GIVEN roles and bindings whose words differ from the real ones only by case
    const manifests = [
      clusterRole('shouty', [
        { apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['CREATE', 'Get', 'LIST'] },
        { apiGroups: [''], resources: ['Secrets', 'Nodes/proxy'], verbs: ['get'] },
        { apiGroups: ['Apps'], resources: ['deployments'], verbs: ['create'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['Bind', 'ESCALATE'] },
      ]),
      clusterRoleBinding('x', 'Cluster-Admin', [group('System:Masters'), user('system:Anonymous'), user('system:masters')]),
    ];
    // THEN no rule reports them: the authorizer compares exactly, so they grant nothing
    expect(findings(manifests)).toEqual([]);
  });

  test('resourceNames: create of a whole object cannot be restricted (so grants nothing); other grants are still reported', () => {
    // GIVEN grants restricted by resourceNames
    const manifests = [
      clusterRole('named', [
        { apiGroups: [''], resources: ['pods'], resourceNames: ['web'], verbs: ['create'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['view', 'edit'], verbs: ['bind'] },
        { apiGroups: [''], resources: ['nodes/proxy'], resourceNames: ['node-1'], verbs: ['get'] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods'], resourceNames: [''], verbs: ['create'] },
      ]),
    ];
    // THEN named grants are still findings (with their names), but a named create of pods grants nothing; a "" name is unrestricted
    expect(findings(manifests)).toEqual([
      { ruleId: 'CIS-RBAC-SECRETS-READ', message: 'ClusterRole/named rules[3] grants get on secrets (resourceNames: "tls")' },
      { ruleId: 'CIS-RBAC-POD-CREATE', message: 'ClusterRole/named rules[4] grants create on pods (resourceNames: "")' },
      {
        ruleId: 'CIS-RBAC-ESCALATION-VERBS',
        message: 'ClusterRole/named rules[1] grants bind on clusterroles.rbac.authorization.k8s.io (resourceNames: "view", "edit")',
      },
      { ruleId: 'CIS-RBAC-NODE-PROXY', message: 'ClusterRole/named rules[2] grants get on nodes/proxy (resourceNames: "node-1")' },
    ]);
  });

  test('a Role grants nothing on cluster-scoped checks: escalate on clusterroles, impersonating users; bind and service accounts count', () => {
    // GIVEN a Role naming cluster-scoped checks and namespaced ones
    const manifests = [
      role('ns-admin', [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] },
        { apiGroups: [''], resources: ['users', 'groups', 'nodes/proxy'], verbs: ['impersonate', 'get'] },
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['delete'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] },
        { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
      ]),
    ];
    // THEN only bind (checked in the binding's namespace) and impersonating service accounts are findings
    expect(findings(manifests)).toEqual([
      { ruleId: 'CIS-RBAC-ESCALATION-VERBS', message: 'Role/shop/ns-admin rules[3] grants bind on clusterroles.rbac.authorization.k8s.io' },
      { ruleId: 'CIS-RBAC-ESCALATION-VERBS', message: 'Role/shop/ns-admin rules[4] grants impersonate on serviceaccounts' },
    ]);
  });

  test('malformed roles and bindings are judged without throwing', () => {
    // GIVEN objects with lists that are strings, nulls, numbers or missing
    const manifests = [
      clusterRole('a', 'not a list'),
      clusterRole('b', [null, 7, 'x', { verbs: null }, { apiGroups: [''], resources: 'secrets', verbs: 'get' }]),
      { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'c', labels: 'x' }, aggregationRule: { clusterRoleSelectors: 'x' } },
      { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'd' }, subjects: [null, { kind: 'Group' }, 'system:masters', { kind: 'Group', name: 7 }] },
      { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'e' }, roleRef: null, subjects: 'x' },
      { kind: 'Role' },
    ];
    // THEN only the one readable grant (a lone string read as a one-item list) is reported
    expect(findings(manifests)).toEqual([{ ruleId: 'CIS-RBAC-SECRETS-READ', message: 'ClusterRole/b rules[4] grants get on secrets' }]);
  });

  test('cluster-admin: a RoleBinding to it and an empty ClusterRoleBinding are both reported', () => {
    // GIVEN a RoleBinding to cluster-admin, an empty ClusterRoleBinding and one with many subjects
    const manifests = [
      roleBinding('ns-root', { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, [group('ops')]),
      { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'empty' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } },
      clusterRoleBinding('many', 'cluster-admin', ['a', 'b', 'c', 'd', 'e', 'f'].map(user)),
    ];
    // THEN each is reported, the subjects listed up to five
    expect(messagesOf('CIS-RBAC-CLUSTER-ADMIN', manifests)).toEqual([
      'RoleBinding/shop/ns-root binds ClusterRole cluster-admin to Group ops',
      'ClusterRoleBinding/empty binds ClusterRole cluster-admin (no subjects yet)',
      'ClusterRoleBinding/many binds ClusterRole cluster-admin to User a, User b, User c, User d, User e, … (1 more)',
    ]);
  });
});

describe('aggregated ClusterRoles', () => {
  const aggregate = (name: string, selectors: any, labels: any = {}) =>
    clusterRole(name, [], { metadata: { labels }, aggregationRule: { clusterRoleSelectors: selectors } });
  const piece = (name: string, labels: any, rules: any[]) => clusterRole(name, rules, { metadata: { labels } });
  const createPods = [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }];

  test('an aggregate reports the grants it takes from ClusterRoles of the set, transitively, once each', () => {
    // GIVEN ops <- (acme/ops) middle <- (acme/middle) leaf, where leaf creates pods and ops selects itself too
    const manifests = [
      aggregate('ops', [{ matchLabels: { 'acme/ops': 'true' } }, { matchExpressions: [{ key: 'acme/ops', operator: 'Exists' }] }], { 'acme/ops': 'true' }),
      aggregate('middle', [{ matchLabels: { 'acme/middle': 'true' } }], { 'acme/ops': 'true' }),
      piece('leaf', { 'acme/middle': 'true' }, createPods),
      piece('unrelated', { 'acme/other': 'true' }, createPods),
    ];
    // THEN the leaf, both aggregates above it and the unrelated role are reported; each message names the source rule
    expect(messagesOf('CIS-RBAC-POD-CREATE', manifests)).toEqual([
      'ClusterRole/ops aggregates ClusterRole/leaf rules[0], which grants create on pods',
      'ClusterRole/middle aggregates ClusterRole/leaf rules[0], which grants create on pods',
      'ClusterRole/leaf rules[0] grants create on pods',
      'ClusterRole/unrelated rules[0] grants create on pods',
    ]);
  });

  test('aggregation cycles terminate', () => {
    // GIVEN two aggregates selecting each other
    const manifests = [
      aggregate('a', [{ matchLabels: { x: 'b' } }], { x: 'a' }),
      clusterRole('b', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
        { metadata: { labels: { x: 'b' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'a' } }] } }),
    ];
    // THEN the walk stops, and the grant is reported once on each
    expect(messagesOf('CIS-RBAC-SECRETS-READ', manifests)).toEqual([
      'ClusterRole/a aggregates ClusterRole/b rules[0], which grants list on secrets',
      'ClusterRole/b rules[0] grants list on secrets',
    ]);
  });

  test('a selector that selects the built-in cluster-admin (empty, null, bootstrap label, DoesNotExist) is reported', () => {
    // GIVEN aggregates whose selectors would pull in cluster-admin, and one that would not
    const manifests = [
      aggregate('empty', [{}]),
      aggregate('null', [null]),
      aggregate('bootstrap', [{ matchLabels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }]),
      aggregate('negative', [{ matchLabels: { 'acme/ops': 'true' } }, { matchExpressions: [{ key: 'acme/ops', operator: 'DoesNotExist' }] }]),
      aggregate('fine', [{ matchLabels: { 'acme/ops': 'true' } }]),
    ];
    // THEN each selector selecting the bootstrap label set is reported
    expect(messagesOf('CIS-RBAC-CLUSTER-ADMIN', manifests)).toEqual([
      'ClusterRole/empty aggregationRule.clusterRoleSelectors[0] selects the built-in ClusterRole cluster-admin '
        + '(labels kubernetes.io/bootstrapping=rbac-defaults), so it grants everything',
      'ClusterRole/null aggregationRule.clusterRoleSelectors[0] selects the built-in ClusterRole cluster-admin '
        + '(labels kubernetes.io/bootstrapping=rbac-defaults), so it grants everything',
      'ClusterRole/bootstrap aggregationRule.clusterRoleSelectors[0] selects the built-in ClusterRole cluster-admin '
        + '(labels kubernetes.io/bootstrapping=rbac-defaults), so it grants everything',
      'ClusterRole/negative aggregationRule.clusterRoleSelectors[1] selects the built-in ClusterRole cluster-admin '
        + '(labels kubernetes.io/bootstrapping=rbac-defaults), so it grants everything',
    ]);
    // AND an aggregated ClusterRole is judged by the cluster-admin rule while a plain one is not
    const scores = report([aggregate('fine', [{ matchLabels: { a: 'b' } }]), clusterRole('plain', [])], [new ClusterAdminRule()]).scores[0];
    expect(scores.applicable).toBe(1);
  });

  test('aggregation stays linear: four times the ClusterRoles and aggregates read labels about four times as often, not sixteen', () => {
    // GIVEN n aggregates, each selecting 10 of 10n pieces by label, with every read of a piece's labels counted
    let reads = 0;
    const counted = (manifest: any) => {
      const labels = manifest.metadata.labels;
      Object.defineProperty(manifest.metadata, 'labels', { get: () => { reads++; return labels; }, enumerable: true });
      return manifest;
    };
    const set = (n: number) => {
      const manifests: any[] = [];
      for (let i = 0; i < n; i++) manifests.push(aggregate(`agg${i}`, [{ matchLabels: { team: `t${i}` } }]));
      for (let i = 0; i < 10 * n; i++) manifests.push(counted(piece(`p${i}`, { team: `t${i % n}` }, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }])));
      return manifests.map((m, i) => policyObject(m, `test/o${i}`));
    };
    const rule = ruleById('CIS-RBAC-SECRETS-READ');
    const readsFor = (objects: any[]) => {
      reads = 0;
      expect(rule.evaluate(objects).every((r) => r.compliant)).toBe(true);
      return reads;
    };
    // WHEN the rule judges both sets
    const [small, large] = [readsFor(set(100)), readsFor(set(400))];
    // THEN the larger one reads labels well under the 16 times a pairwise comparison of selectors and roles would
    expect(small).toBeGreaterThan(0);
    expect(large / small).toBeLessThan(8);
  });
});

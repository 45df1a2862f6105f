import { PolicyPack, PolicyReport, PolicyRule } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';
import { RbacPodExecRule } from '../../src/policy/rules/nsa/rbac-pod-exec';
import { RbacWildcardsRule } from '../../src/policy/rules/nsa/rbac-wildcards';

const RBAC = 'rbac.authorization.k8s.io/v1';
const role = (rules: any) => ({ apiVersion: RBAC, kind: 'Role', metadata: { name: 'r', namespace: 'shop' }, rules });
const clusterRole = (rules: any) => ({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'c' }, rules });

/** One rule over the manifests: how many objects it judged and the messages of its findings. */
function evaluate(rule: PolicyRule, manifests: any[]): { judged: number; messages: string[] } {
  const objects = manifests.map((m, i) => policyObject(m, 'test/o' + i));
  const report = PolicyReport._evaluate(objects, [PolicyPack.of('test', [rule])], () => undefined);
  return { judged: new Set(rule.evaluate(objects).map((r) => r.objectIndex)).size, messages: report.findings.map((f) => f.message) };
}

const wildcards = (manifests: any[]) => evaluate(new RbacWildcardsRule(), manifests).messages;
const podExec = (manifests: any[]) => evaluate(new RbacPodExecRule(), manifests).messages;

describe('NSA-RBAC-WILDCARD', () => {
  test('compliant: named groups, resources, subresources, verbs and URLs', () => {
    // GIVEN roles that name everything they grant
    const manifests = [
      role([{ apiGroups: ['', 'apps'], resources: ['pods', 'pods/log', 'deployments'], verbs: ['get', 'list', 'watch'] }]),
      clusterRole([{ nonResourceURLs: ['/healthz', '/metrics'], verbs: ['get'] }]),
    ];
    // WHEN the rule judges them / THEN both are judged and nothing is found
    expect(evaluate(new RbacWildcardsRule(), manifests)).toEqual({ judged: 2, messages: [] });
  });

  test('non-compliant: "*" in each field, one finding per field, in field order', () => {
    // GIVEN a rule with every kind of wildcard
    const manifests = [clusterRole([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['get'] },
    ])];
    // WHEN judged / THEN each wildcard field is named with its rule index
    expect(wildcards(manifests)).toEqual([
      'rules[1].apiGroups contains "*"',
      'rules[1].resources contains "*"',
      'rules[1].verbs contains "*"',
      'rules[2].nonResourceURLs contains "*"',
    ]);
  });

  test('subresource wildcards count; "r/*" and "*/*" are literal and grant nothing', () => {
    // GIVEN `*/status`, `*/exec` (every resource's subresource) and the literal `pods/*`, `*/*`, `*/`
    const manifests = [role([
      { apiGroups: [''], resources: ['pods', '*/status', '*/exec', '*/status'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/*', '*/*', '*/'], verbs: ['get'] },
    ])];
    // WHEN judged / THEN only the real wildcards are reported, each once
    expect(wildcards(manifests)).toEqual(['rules[0].resources contains "*/status", "*/exec"']);
  });

  test('nonResourceURLs: a trailing "*" is a prefix wildcard whatever the verbs; a "*" inside is literal', () => {
    // GIVEN URL prefixes (`/*` reaches /logs, `/api*` reaches /apis) with a harmless verb, and a literal `*`
    const manifests = [clusterRole([
      { nonResourceURLs: ['/healthz', '/*', '/api*', '/logs/*'], verbs: ['get'] },
      { nonResourceURLs: ['/a*b'], verbs: ['get'] },
    ])];
    // WHEN judged / THEN the prefix wildcards are reported
    expect(wildcards(manifests)).toEqual(['rules[0].nonResourceURLs contains "/*", "/api*", "/logs/*"']);
  });

  test('hostile: null rules, rules that are not a list, non-string entries, lone strings', () => {
    // GIVEN malformed roles a JavaScript caller or a hand-written YAML file can produce
    const manifests = [
      role([null, 'x', 42, [], { apiGroups: [null, 7, { '*': 1 }], resources: [undefined, ['*']], verbs: null }]),
      role('x'),
      role(null),
      role({ apiGroups: ['*'] }),
      { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'bare' } },
      clusterRole([{ apiGroups: '*', resources: '*/exec', verbs: [null, '*'] }]),
    ];
    // WHEN judged / THEN nothing throws, every role is judged, and only the wildcards of the last are found
    // (a lone string is read as the one-item list its author meant)
    expect(evaluate(new RbacWildcardsRule(), manifests)).toEqual({
      judged: 6,
      messages: ['rules[0].apiGroups contains "*"', 'rules[0].resources contains "*/exec"', 'rules[0].verbs contains "*"'],
    });
  });

  test('other kinds are not judged, even with wildcard-shaped fields', () => {
    // GIVEN a RoleBinding and a ConfigMap carrying `rules`
    const manifests = [
      { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'shop' }, rules: [{ verbs: ['*'] }] },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, rules: [{ verbs: ['*'] }] },
    ];
    // WHEN judged / THEN there is no result at all
    expect(evaluate(new RbacWildcardsRule(), manifests)).toEqual({ judged: 0, messages: [] });
  });
});

describe('NSA-RBAC-POD-EXEC', () => {
  test('compliant: pods, logs and status; other subresources; verbs that open no session', () => {
    // GIVEN roles that read pods and their logs, and list (not get) exec
    const manifests = [
      role([
        { apiGroups: [''], resources: ['pods', 'pods/log', 'pods/status'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods/exec', 'pods/attach'], verbs: ['list', 'watch', 'delete'] },
        { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['get', 'create'] },
        { apiGroups: [''], resources: ['pods/proxy', 'services/proxy'], verbs: ['get', 'create'] },
      ]),
    ];
    // WHEN judged / THEN nothing is found
    expect(evaluate(new RbacPodExecRule(), manifests)).toEqual({ judged: 1, messages: [] });
  });

  test('non-compliant: create or get on exec, attach, portforward; patch or update on ephemeralcontainers', () => {
    // GIVEN one rule per way in
    const manifests = [role([
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods/attach'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/portforward'], verbs: ['get', 'create'] },
      { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['pods/exec', 'pods/attach', 'pods/ephemeralcontainers'], verbs: ['create', 'update'] },
    ])];
    // WHEN judged / THEN each rule is reported with the verbs and subresources it grants
    expect(podExec(manifests)).toEqual([
      'Role/shop/r rules[0] grants create on pods/exec',
      'Role/shop/r rules[1] grants get on pods/attach',
      'Role/shop/r rules[2] grants create, get on pods/portforward',
      'Role/shop/r rules[3] grants patch on pods/ephemeralcontainers',
      'Role/shop/r rules[4] grants create on pods/exec, pods/attach; update on pods/ephemeralcontainers',
    ]);
  });

  test('wildcards count: resources "*", "*/exec", verbs "*", apiGroups "*"', () => {
    // GIVEN rules that reach exec only through a wildcard
    const manifests = [clusterRole([
      { apiGroups: [''], resources: ['*'], verbs: ['get'] },
      { apiGroups: ['*'], resources: ['*/exec'], verbs: ['*'] },
      { apiGroups: [''], resources: ['*/attach', '*/status'], verbs: ['create'] },
    ])];
    // WHEN judged / THEN the grant and the wildcard it relies on are named
    expect(podExec(manifests)).toEqual([
      'ClusterRole/c rules[0] grants get on pods/exec, pods/attach, pods/portforward (via resources "*")',
      'ClusterRole/c rules[1] grants create, get on pods/exec (via verbs "*", apiGroups "*", resources "*/exec")',
      'ClusterRole/c rules[2] grants create on pods/attach (via resources "*/attach")',
    ]);
  });

  test('resourceNames do not exempt a grant: exec into the named pods is still exec', () => {
    // GIVEN exec restricted to one pod
    const manifests = [role([{ apiGroups: [''], resources: ['pods/exec'], resourceNames: ['debug-0'], verbs: ['create'] }])];
    // WHEN judged / THEN it is reported with the names
    expect(podExec(manifests)).toEqual(['Role/shop/r rules[0] grants create on pods/exec (resourceNames: "debug-0")']);
  });

  test('hostile: the wrong API group, upper-case verbs, literal "pods/*" and nonResourceURLs grant nothing', () => {
    // GIVEN rules that look like exec grants but that the RBAC authorizer never matches
    const manifests = [role([
      { apiGroups: ['apps'], resources: ['pods/exec', 'pods/attach'], verbs: ['create', 'get'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['CREATE', 'Get'] },
      { apiGroups: [''], resources: ['pods/*', 'Pods/exec', '*/*'], verbs: ['create'] },
      { apiGroups: [], resources: ['pods/exec'], verbs: ['create'] },
      { nonResourceURLs: ['/api/v1/namespaces/shop/pods/web/exec', '*'], verbs: ['*'] },
    ])];
    // WHEN judged / THEN nothing is found
    expect(evaluate(new RbacPodExecRule(), manifests)).toEqual({ judged: 1, messages: [] });
  });

  test('hostile: null rules, rules that are not a list, non-string entries, lone strings', () => {
    // GIVEN malformed roles
    const manifests = [
      role([null, 'x', 42, { apiGroups: [null, ''], resources: [7, { r: 'pods/exec' }], verbs: ['create'] }]),
      role('x'),
      role(null),
      role({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }),
      { apiVersion: RBAC, kind: 'Role', metadata: { name: 'bare', namespace: 'shop' } },
      clusterRole([undefined, { apiGroups: '', resources: 'pods/exec', verbs: [null, 'create'] }]),
    ];
    // WHEN judged / THEN nothing throws, every role is judged, and the lone strings of the last are read as lists
    expect(evaluate(new RbacPodExecRule(), manifests)).toEqual({ judged: 6, messages: ['ClusterRole/c rules[1] grants create on pods/exec'] });
  });
});

import { PolicyPack, PolicyReport } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';

// Issue 23, class 1 in the engine: raw Roles and bindings are judged as SecureDeployment's grants are, and a binding
// to a built-in ClusterRole by what that role grants.

const RBAC = 'rbac.authorization.k8s.io/v1';
const role = (rules: any[], name = 'r') => ({ apiVersion: RBAC, kind: 'Role', metadata: { name, namespace: 'shop' }, rules });
const clusterRole = (rules: any[], name = 'c') => ({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name }, rules });
const account = (name: string) => ({ kind: 'ServiceAccount', name, namespace: 'shop' });
const roleBinding = (roleRef: { kind: string; name: string }, subjects: any[]) => ({
  apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects,
});
const clusterRoleBinding = (name: string, subjects: any[]) => ({
  apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'cb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects,
});

/** The findings of the default packs as `RULE-ID message`. */
function findings(manifests: any[]): string[] {
  const objects = manifests.map((m, i) => policyObject(m, `test/o${i}`));
  return PolicyReport._evaluate(objects, PolicyPack.defaults(), () => undefined).findings.map((f) => `${f.ruleId} ${f.message}`);
}
const of = (ruleId: string, list: string[]) => list.filter((f) => f.startsWith(`${ruleId} `));

describe('NSA-RBAC-ISOLATION: raw Roles bound to a ServiceAccount', () => {
  test.each([
    ['deleting NetworkPolicies', { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['delete'] }, /delete on networkpolicies/],
    ['adding Istio AuthorizationPolicies', { apiGroups: ['security.istio.io'], resources: ['authorizationpolicies'], verbs: ['create'] }, /create on authorizationpolicies/],
    ['patching its Namespace', { apiGroups: [''], resources: ['namespaces'], verbs: ['patch'] }, /patch on namespaces/],
    ['updating Rollouts', { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['update'] }, /update on rollouts.argoproj.io/],
    ['creating Services', { apiGroups: [''], resources: ['services'], verbs: ['create'] }, /create on services/],
    ['everything', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, /grants create, update, patch, delete, deletecollection on networkpolicies/],
  ])('%s is an error', (_, rule, message) => {
    // GIVEN a raw Role with the write, bound to a workload's ServiceAccount / WHEN judged / THEN it is an error
    const found = of('NSA-RBAC-ISOLATION', findings([role([rule]), roleBinding({ kind: 'Role', name: 'r' }, [account('web')])]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  test('a ClusterRole bound by a ClusterRoleBinding is judged, its cluster-scoped writes included', () => {
    const manifests = [clusterRole([{ apiGroups: ['cilium.io'], resources: ['ciliumclusterwidenetworkpolicies'], verbs: ['delete'] }]), clusterRoleBinding('c', [account('agent')])];
    expect(of('NSA-RBAC-ISOLATION', findings(manifests))).toEqual([
      'NSA-RBAC-ISOLATION ClusterRole/c rules[0] grants delete on ciliumclusterwidenetworkpolicies.cilium.io',
    ]);
  });

  test('the same Role bound only to users or groups (a deployer), or unbound, is not this rule\'s finding', () => {
    const writes = role([{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create', 'delete'] }]);
    expect(of('NSA-RBAC-ISOLATION', findings([writes, roleBinding({ kind: 'Role', name: 'r' }, [{ kind: 'User', name: 'ci' }])]))).toEqual([]);
    expect(of('NSA-RBAC-ISOLATION', findings([writes]))).toEqual([]);
  });

  test('a binding in another namespace does not bind this Role', () => {
    const writes = role([{ apiGroups: [''], resources: ['services'], verbs: ['patch'] }]);
    const elsewhere = { ...roleBinding({ kind: 'Role', name: 'r' }, [account('web')]), metadata: { name: 'b', namespace: 'other' } };
    expect(of('NSA-RBAC-ISOLATION', findings([writes, elsewhere]))).toEqual([]);
  });
});

describe('bindings to the built-in ClusterRoles are judged by what those roles grant', () => {
  test('a workload bound to edit: pods, Services, NetworkPolicies and exec are findings; NSA-SA-TOKEN no longer hides it', () => {
    // GIVEN a pod mounting the token of an account bound to the built-in edit
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { serviceAccountName: 'web', automountServiceAccountToken: true, containers: [{ name: 'c', image: 'ghcr.io/acme/p:1.0.0' }] },
    };
    const found = findings([pod, roleBinding({ kind: 'ClusterRole', name: 'edit' }, [account('web')])]);
    // THEN the binding is judged as a Role of the namespace holding edit's rules
    expect(of('NSA-SA-TOKEN', found)).toEqual([]);
    const isolation = of('NSA-RBAC-ISOLATION', found).join('\n');
    expect(isolation).toMatch(/RoleBinding\/shop\/b binds the built-in ClusterRole "edit", whose rules\[\d+\] grants create, update, patch on pods/);
    expect(isolation).toMatch(/networkpolicies.networking.k8s.io/);
    expect(isolation).toMatch(/create, update, patch on replicationcontrollers, services/);
    expect(of('NSA-RBAC-POD-EXEC', found).join('\n')).toMatch(/binds the built-in ClusterRole "edit", whose rules\[\d+\] grants .*pods\/exec/);
    expect(of('CIS-RBAC-POD-CREATE-NAMESPACED', found)).not.toEqual([]);
  });

  test('admin adds RBAC writes; a ClusterRoleBinding to edit is judged as a ClusterRole (CIS-RBAC-POD-CREATE)', () => {
    expect(of('NSA-RBAC-ISOLATION', findings([roleBinding({ kind: 'ClusterRole', name: 'admin' }, [account('web')])])).join('\n'))
      .toMatch(/"admin", whose rules\[1\] grants create, update, patch on roles.rbac.authorization.k8s.io, rolebindings/);
    expect(of('CIS-RBAC-POD-CREATE', findings([clusterRoleBinding('edit', [{ kind: 'Group', name: 'devs' }])])).join('\n'))
      .toMatch(/ClusterRoleBinding\/cb binds the built-in ClusterRole "edit"/);
  });

  test('view grants no write; a ClusterRole of the set named edit replaces the built-in one', () => {
    expect(findings([roleBinding({ kind: 'ClusterRole', name: 'view' }, [account('web')])]).filter((f) => f.includes('binds the built-in'))).toEqual([]);
    const own = clusterRole([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], 'edit');
    expect(findings([own, roleBinding({ kind: 'ClusterRole', name: 'edit' }, [account('web')])]).filter((f) => f.includes('built-in'))).toEqual([]);
  });

  test('cluster-admin stays CIS-RBAC-CLUSTER-ADMIN\'s finding', () => {
    const found = findings([roleBinding({ kind: 'ClusterRole', name: 'cluster-admin' }, [account('web')])]);
    expect(of('CIS-RBAC-CLUSTER-ADMIN', found)).toHaveLength(1);
    expect(found.filter((f) => f.includes('binds the built-in'))).toEqual([]);
  });
});

describe('NSA-RBAC-DEFAULT-SA: grants to the default ServiceAccount reach every pod that names none', () => {
  test.each([
    ['the default ServiceAccount', account('default'), /binds the ServiceAccount "default" of namespace "shop"/],
    ['default without a namespace (the binding\'s)', { kind: 'ServiceAccount', name: 'default' }, /"default" of namespace "shop"/],
    ['every service account of a namespace', { kind: 'Group', name: 'system:serviceaccounts:shop' }, /every service account of a namespace/],
    ['every service account', { kind: 'Group', name: 'system:serviceaccounts' }, /every service account of the cluster/],
  ])('%s', (_, subject, message) => {
    const found = of('NSA-RBAC-DEFAULT-SA', findings([role([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]), roleBinding({ kind: 'Role', name: 'r' }, [subject])]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  test('a ServiceAccount of its own is not', () => {
    expect(of('NSA-RBAC-DEFAULT-SA', findings([role([]), roleBinding({ kind: 'Role', name: 'r' }, [account('web')])]))).toEqual([]);
  });
});

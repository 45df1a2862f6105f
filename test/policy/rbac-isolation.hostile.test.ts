import { PolicyPack, PolicyReport } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';

// Issue 23, class 1, hostile inputs to the engine: raw RBAC that reaches a workload's ServiceAccount by another
// road than a `ServiceAccount` subject and a plainly named role. Each describe block is one class.

const RBAC = 'rbac.authorization.k8s.io/v1';
const role = (rules: any[], name = 'r') => ({ apiVersion: RBAC, kind: 'Role', metadata: { name, namespace: 'shop' }, rules });
const clusterRole = (rules: any[], name = 'c', extra: any = {}) => ({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name, ...extra.metadata }, rules, ...extra.body });
const roleBinding = (roleRef: { kind: string; name: string }, subjects: any[], namespace: string | null = 'shop') => ({
  apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'b', ...(namespace ? { namespace } : {}) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects,
});
const account = (name: string) => ({ kind: 'ServiceAccount', name, namespace: 'shop' });
const deleteNetworkPolicies = { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['delete'] };

function findings(manifests: any[]): string[] {
  const objects = manifests.map((m, i) => policyObject(m, `test/o${i}`));
  return PolicyReport._evaluate(objects, PolicyPack.defaults(), () => undefined).findings.map((f) => `${f.ruleId} ${f.message}`);
}
const of = (ruleId: string, list: string[]) => list.filter((f) => f.startsWith(`${ruleId} `));

describe('service accounts named as users or groups are service accounts (RBAC matches the user name system:serviceaccount:<ns>:<name>)', () => {
  test.each([
    ['a User subject system:serviceaccount:shop:web', { kind: 'User', name: 'system:serviceaccount:shop:web' }],
    ['the group of every service account of the namespace', { kind: 'Group', name: 'system:serviceaccounts:shop' }],
    ['the group of every service account', { kind: 'Group', name: 'system:serviceaccounts' }],
  ])('a Role with isolation writes bound to %s is NSA-RBAC-ISOLATION', (_, subject) => {
    expect(of('NSA-RBAC-ISOLATION', findings([role([deleteNetworkPolicies]), roleBinding({ kind: 'Role', name: 'r' }, [subject])])))
      .toEqual(['NSA-RBAC-ISOLATION Role/shop/r rules[0] grants delete on networkpolicies.networking.k8s.io']);
  });

  test('a binding of such a group to the built-in edit is judged by edit\'s rules', () => {
    expect(of('NSA-RBAC-ISOLATION', findings([roleBinding({ kind: 'ClusterRole', name: 'edit' }, [{ kind: 'Group', name: 'system:serviceaccounts:shop' }])])))
      .not.toEqual([]);
  });

  test('the default ServiceAccount named as a user is NSA-RBAC-DEFAULT-SA', () => {
    const found = of('NSA-RBAC-DEFAULT-SA', findings([role([]), roleBinding({ kind: 'Role', name: 'r' }, [{ kind: 'User', name: 'system:serviceaccount:shop:default' }])]));
    expect(found).toEqual(['NSA-RBAC-DEFAULT-SA RoleBinding/shop/b binds the ServiceAccount "default" of namespace "shop" (as the user "system:serviceaccount:shop:default")']);
  });

  test('users and groups that are not service accounts stay out of NSA-RBAC-ISOLATION', () => {
    for (const subject of [{ kind: 'User', name: 'system:serviceaccountant' }, { kind: 'Group', name: 'system:serviceaccountsx' }, { kind: 'User', name: 'ci' }]) {
      expect(of('NSA-RBAC-ISOLATION', findings([role([deleteNetworkPolicies]), roleBinding({ kind: 'Role', name: 'r' }, [subject])]))).toEqual([]);
    }
  });
});

describe('the built-in system:aggregate-to-* ClusterRoles are what view, edit and admin are made of', () => {
  test('a binding to system:aggregate-to-edit is judged by its rules', () => {
    const found = of('NSA-RBAC-ISOLATION', findings([roleBinding({ kind: 'ClusterRole', name: 'system:aggregate-to-edit' }, [account('web')])])).join('\n');
    expect(found).toMatch(/RoleBinding\/shop\/b binds the built-in ClusterRole "system:aggregate-to-edit", whose rules\[\d+\] grants create, update, patch on pods/);
    expect(found).toMatch(/networkpolicies.networking.k8s.io/);
  });

  test('a binding to system:aggregate-to-view grants no write', () => {
    expect(findings([roleBinding({ kind: 'ClusterRole', name: 'system:aggregate-to-view' }, [account('web')])]).filter((f) => f.includes('binds the built-in'))).toEqual([]);
  });
});

describe('ClusterRoles of the set aggregated into the built-in view, edit and admin', () => {
  const feeder = (label: string) => clusterRole([deleteNetworkPolicies], 'leaky', { metadata: { labels: { [`rbac.authorization.k8s.io/${label}`]: 'true' } } });

  test.each([
    ['view', 'aggregate-to-view'], ['edit', 'aggregate-to-view'], ['admin', 'aggregate-to-view'], ['edit', 'aggregate-to-edit'], ['admin', 'aggregate-to-admin'],
  ])('a binding to %s is judged with the rules of a ClusterRole labelled %s', (builtIn, label) => {
    const found = of('NSA-RBAC-ISOLATION', findings([feeder(label), roleBinding({ kind: 'ClusterRole', name: builtIn }, [account('web')])]));
    expect(found).toContain(`NSA-RBAC-ISOLATION RoleBinding/shop/b binds the built-in ClusterRole "${builtIn}", which aggregates ClusterRole/leaky rules[0], `
      + 'which grants delete on networkpolicies.networking.k8s.io');
  });

  test('a label that does not feed the bound role adds nothing (aggregate-to-admin does not reach view)', () => {
    const found = findings([feeder('aggregate-to-admin'), roleBinding({ kind: 'ClusterRole', name: 'view' }, [account('web')])]);
    expect(found.filter((f) => f.includes('binds the built-in'))).toEqual([]);
  });
});

describe('aggregated ClusterRoles of the set that select the built-in roles take their rules', () => {
  test('selecting aggregate-to-edit takes the built-in edit rules', () => {
    const aggregate = clusterRole([], 'agg', { body: { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }] } } });
    const found = of('NSA-RBAC-ISOLATION', findings([aggregate, roleBinding({ kind: 'ClusterRole', name: 'agg' }, [account('web')])])).join('\n');
    expect(found).toMatch(/ClusterRole\/agg aggregates ClusterRole\/system:aggregate-to-edit rules\[\d+\], which grants create, update, patch on pods/);
    // view carries aggregate-to-edit too: its (read-only) rules add no finding
    expect(found).not.toMatch(/aggregates ClusterRole\/view/);
  });

  test('a ClusterRole of the set named like a built-in one replaces it', () => {
    const own = clusterRole([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], 'system:aggregate-to-edit', {
      metadata: { labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } },
    });
    const aggregate = clusterRole([], 'agg', { body: { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }] } } });
    expect(of('NSA-RBAC-ISOLATION', findings([own, aggregate, roleBinding({ kind: 'ClusterRole', name: 'agg' }, [account('web')])]))).toEqual([]);
  });
});

describe('status subresources that change labels: pods/status and namespaces/status keep no metadata from being written', () => {
  test.each([
    ['pods/status (relabels pods: other NetworkPolicies and Services select them)', 'pods/status', /patch on pods\/status/],
    ['namespaces/status (relabels the Namespace: its Pod Security level)', 'namespaces/status', /patch on namespaces\/status/],
  ])('%s', (_, resource, message) => {
    const found = of('NSA-RBAC-ISOLATION', findings([role([{ apiGroups: [''], resources: [resource], verbs: ['patch'] }]), roleBinding({ kind: 'Role', name: 'r' }, [account('web')])]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });
});

describe('a binding without a namespace binds the Role of the namespace it is applied to', () => {
  test('a RoleBinding with no namespace and a Role in shop: the Role is judged', () => {
    const found = of('NSA-RBAC-ISOLATION', findings([role([deleteNetworkPolicies]), roleBinding({ kind: 'Role', name: 'r' }, [account('web')], null)]));
    expect(found).toEqual(['NSA-RBAC-ISOLATION Role/shop/r rules[0] grants delete on networkpolicies.networking.k8s.io']);
  });

  test('a Role with no namespace and a RoleBinding in shop: the Role is judged', () => {
    const bare = { ...role([deleteNetworkPolicies]), metadata: { name: 'r' } };
    const found = of('NSA-RBAC-ISOLATION', findings([bare, roleBinding({ kind: 'Role', name: 'r' }, [account('web')])]));
    expect(found).toEqual(['NSA-RBAC-ISOLATION Role/r rules[0] grants delete on networkpolicies.networking.k8s.io']);
  });
});

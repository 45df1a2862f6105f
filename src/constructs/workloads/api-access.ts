import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { grantRules, RbacRule } from './api-grant';
import { ApiGrant } from './api-grant-options';
import { inputError } from '../../core/errors';
import { kube } from '../../k8s/objects';
import { policyObject } from '../../k8s/policy-object';
import { PolicyPack } from '../../policy/pack';
import { fixText } from '../../policy/rule-api/fix-text';

/** What the Role and RoleBinding of a workload's API access are named and bound to. */
export interface ApiAccessProps {
  /** The error context of the workload, e.g. `SecureDeployment shop/web`. */
  readonly where: string;
  /** The metadata of both objects (the workload's name, namespace and labels). */
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels: { readonly [key: string]: string } };
  /** The ServiceAccount the workload runs as. */
  readonly serviceAccountName: string;
  /** The construct path of the workload (the objects are at `<path>/ApiAccess/Role`, `…/RoleBinding`). */
  readonly path: string;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The engine's RBAC rules (CIS 5.1 and the NSA/CISA RBAC checks): a grant they would flag is refused. */
const RBAC_RULE_ID = /^(CIS|NSA)-RBAC-/;

/**
 * A workload's access to the Kubernetes API: a namespaced Role holding its grants and a RoleBinding to its
 * ServiceAccount. Each grant is checked on its own (types, names, Secrets) and, with the grants before it, by the
 * RBAC rules of the default packs; what they would flag is refused with their fix, before anything is added.
 */
export class ApiAccess extends Construct {
  /** The Role. */
  public readonly role: ApiObject;
  /** The RoleBinding to the workload's ServiceAccount. */
  public readonly roleBinding: ApiObject;

  /** Checks the first grant, then creates the Role (with it) and the RoleBinding. */
  public constructor(scope: Construct, id: 'ApiAccess', private readonly props: ApiAccessProps, grant: ApiGrant, private rules: RbacRule[] = checkedRules(props, [], grant)) {
    super(scope, id);
    this.role = kube.role(this, 'Role', { metadata: props.metadata, rules: Lazy.any({ produce: () => this.rules.map((rule) => ({ ...rule })) }) as any });
    this.roleBinding = kube.roleBinding(this, 'RoleBinding', roleBindingProps(props));
  }

  /** Adds a grant, or throws with what is wrong and the fix (adding nothing). */
  public add(grant: ApiGrant): void {
    this.rules = checkedRules(this.props, this.rules, grant);
  }
}

function roleBindingProps(props: ApiAccessProps) {
  return {
    metadata: props.metadata,
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: props.metadata.name },
    subjects: [{ kind: 'ServiceAccount', name: props.serviceAccountName, namespace: props.metadata.namespace }],
  };
}

/** The rules so far and the grant's, once the engine's RBAC rules find nothing in the Role and its binding. */
function checkedRules(props: ApiAccessProps, before: RbacRule[], grant: ApiGrant): RbacRule[] {
  const rules = [...before, ...grantRules(props.where, grant)];
  const path = `${props.path}/ApiAccess`;
  const objects = [
    policyObject({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'Role', metadata: props.metadata, rules }, `${path}/Role`),
    policyObject({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'RoleBinding', ...roleBindingProps(props) }, `${path}/RoleBinding`),
  ];
  for (const rule of PolicyPack.defaults().flatMap((pack) => pack.rules).filter((r) => RBAC_RULE_ID.test(r.id))) {
    const broken = rule.evaluate(objects).find((result) => !result.compliant);
    if (broken) throw inputError(props.where, `the grant would break ${rule.id}: ${broken.message ?? rule.title}`, fixText(rule));
  }
  return rules;
}

import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isClusterScoped } from '../k8s/kinds';
import { policyObject, PolicyObject } from '../k8s/policy-object';

/** An object the app expects the cluster to have: declared, never applied. */
export interface DeclaredObject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** The key under which a construct says what it declares (see `declareObject`). */
const DECLARES = Symbol.for('cdk8s-hardened.declares');

/**
 * Marks a construct as the declaration of an object the cluster already has (a `Prerequisite`): the engine
 * reads it as present, and the report lists it under what the app expects from the cluster.
 * @internal
 */
export function declareObject(construct: IConstruct, declared: DeclaredObject): void {
  Object.defineProperty(construct, DECLARES, { value: Object.freeze({ ...declared }) });
}

/**
 * The objects declared under a scope, as the policy engine sees them: constructs marked with `declareObject`,
 * and cdk8s-plus imports (constructs with a kind, a name and a resource type that emit no object).
 * @internal
 */
export function prerequisitesIn(scope: IConstruct): PolicyObject[] {
  const found = new Map<string, PolicyObject>();
  for (const construct of scope.node.findAll()) {
    const declared = declaredObject(construct);
    if (!declared) continue;
    const manifest = { kind: declared.kind, metadata: { name: declared.name, namespace: declared.namespace } };
    found.set(`${declared.kind}/${declared.namespace ?? ''}/${declared.name}`, policyObject(manifest, construct.node.path));
  }
  return [...found.values()];
}

function declaredObject(construct: IConstruct): DeclaredObject | undefined {
  const marked = (construct as unknown as { [DECLARES]?: DeclaredObject })[DECLARES];
  if (marked) return marked;
  if (construct instanceof ApiObject || construct.node.children.some((c) => c instanceof ApiObject)) return undefined;
  const imported = construct as unknown as { kind?: unknown; name?: unknown; resourceType?: unknown; namespaceName?: unknown };
  if (typeof imported.kind !== 'string' || typeof imported.name !== 'string' || typeof imported.resourceType !== 'string') return undefined;
  const namespace = isClusterScoped(imported.kind) ? undefined
    : typeof imported.namespaceName === 'string' ? imported.namespaceName : chartNamespaceOf(construct);
  return { kind: imported.kind, name: imported.name, namespace };
}

/**
 * The namespace of the chart a construct is in; none outside a chart (directly under the App).
 * @internal
 */
export function chartNamespaceOf(construct: IConstruct): string | undefined {
  const chart = [...construct.node.scopes].reverse().find((scope): scope is Chart => Chart.isChart(scope));
  return chart?.namespace;
}

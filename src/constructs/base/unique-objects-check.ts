import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { isClusterScoped } from '../../k8s/kinds';

const UNIQUE_OBJECTS_ID = 'cdk8s-hardened.UniqueObjects';

/**
 * An app with one of our constructs gets this check once (a child of the app, found by its id: no state outside
 * the tree): two objects of one kind with one name would overwrite each other at apply, whichever constructs and
 * charts emitted them — in one namespace, or anywhere in the app for a cluster-scoped kind (a Namespace, a
 * PriorityClass, a ValidatingAdmissionPolicy, a ClusterImagePolicy, …: charts of different namespaces still share
 * one cluster). The error names both construct paths and the fix; the clashes of one pair of constructs (two
 * AdmissionPolicies emit dozens of objects) make one error.
 */
export class UniqueObjectsCheck extends Construct {
  /** Adds the check to the app (the root of the construct tree), unless it has it. */
  public static ensure(scope: IConstruct): void {
    const root = scope.node.root;
    if (!root.node.tryFindChild(UNIQUE_OBJECTS_ID)) new UniqueObjectsCheck(root);
  }

  private constructor(root: IConstruct) {
    super(root as Construct, UNIQUE_OBJECTS_ID);
    this.node.addValidation({ validate: () => duplicateObjects(root) });
  }
}

/** Two objects that would be one in the cluster. */
interface Clash {
  readonly first: ApiObject;
  readonly second: ApiObject;
}

function duplicateObjects(root: IConstruct): string[] {
  const seen = new Map<string, ApiObject>();
  // The clashes of each pair of emitting constructs, in the order they are found.
  const byConstructs = new Map<string, Clash[]>();
  for (const object of root.node.findAll()) {
    if (!(object instanceof ApiObject)) continue;
    const clusterScoped = isClusterScoped(object.kind);
    const key = `${object.apiGroup}/${object.kind}/${clusterScoped ? '' : object.metadata.namespace ?? ''}/${object.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, object);
      continue;
    }
    const constructs = `${emitter(first)}\n${emitter(object)}`;
    byConstructs.set(constructs, [...byConstructs.get(constructs) ?? [], { first, second: object }]);
  }
  return [...byConstructs.values()].map((clashes) => describeClash(clashes));
}

/** The path of the construct that emitted an object (the object's scope). */
function emitter(object: ApiObject): string {
  return object.node.scope?.node.path ?? '';
}

function describeClash(clashes: Clash[]): string {
  const { first, second } = clashes[0];
  const clusterScoped = isClusterScoped(second.kind);
  const namespace = !clusterScoped && second.metadata.namespace ? `${second.metadata.namespace}/` : '';
  const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more object${clashes.length > 2 ? 's' : ''} of ${emitter(first)} and ${emitter(second)})` : '';
  return `${second.kind} ${namespace}${second.name} is emitted twice, by ${first.node.path} and ${second.node.path}${more}, and the second would `
    + `overwrite the first at apply${clusterScoped ? ` (a ${second.kind} is cluster-scoped: charts of every namespace share it)` : ''}; `
    + 'give one of the constructs another name'
    + (clusterScoped ? ', or, where `name` is optional, leave it unset: the default derives from the construct path and is unique in the app' : '');
}

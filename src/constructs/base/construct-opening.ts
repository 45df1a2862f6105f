import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { INamespaceRef } from './namespace-ref';
import { inputError } from '../../core/errors';
import { suggestDnsLabel, validateDnsLabel } from '../../core/names';
import { checkInstance, checkPropsObject, PropKeys } from '../../core/prop-checks';

/** What every construct of this library resolves first: its error context, namespace and part-of label. */
export interface ConstructOpening {
  /** The construct kind and path errors start with, e.g. `SecureDeployment shop/web`. */
  readonly where: string;
  /** The namespace of the objects: the given reference's, else the chart's (checked), else none. */
  readonly namespace?: string;
  /** The `app.kubernetes.io/part-of` default: the chart id as a DNS label. */
  readonly partOf: string;
}

/** The props every construct shares the handling of. */
export interface OpeningProps {
  /** A namespace reference (e.g. a DefaultDenyNamespace); objects are applied after it. */
  readonly namespace?: INamespaceRef;
}

/**
 * The common opening of every construct: checks that props are an object with only the keys of its interface
 * (JavaScript callers, `cdk8s.yaml` and props passed through a variable bypass the types), resolves and checks
 * the namespace (a reference's or the chart's), makes the construct depend on a namespace defined in the app,
 * and derives the part-of label.
 */
export function openConstruct<P>(construct: Construct, kind: string, props: P, known: PropKeys<P>): ConstructOpening {
  const where = `${kind} ${construct.node.path}`;
  // Props without a `namespace` key have none: the key check refuses it.
  const namespaceRef = (checkPropsObject(where, props, known) as OpeningProps).namespace;
  const chart = Chart.of(construct);
  let namespace: string | undefined;
  if (namespaceRef !== undefined) {
    const ref = checkInstance<INamespaceRef>(where, 'namespace', namespaceRef, 'namespaceName', 'a namespace reference (e.g. a DefaultDenyNamespace)');
    namespace = validateDnsLabel(where, 'namespace', ref.namespaceName);
    if (Construct.isConstruct(ref)) construct.node.addDependency(ref);
  } else if (chart.namespace !== undefined) {
    namespace = validateDnsLabel(where, `the namespace of chart ${chart.node.path || chart.node.id}`, chart.namespace);
  }
  if (!chart.node.tryFindChild(UNIQUE_OBJECTS_ID)) new UniqueObjectsCheck(chart);
  return { where, namespace, partOf: suggestDnsLabel(chart.node.id) };
}

const UNIQUE_OBJECTS_ID = 'cdk8s-hardened.UniqueObjects';

/**
 * A chart with one of our constructs gets this check once (a child of the chart, found by its id: no state
 * outside the tree): two objects of one kind with one name in one namespace would overwrite each other at
 * apply, whichever constructs emitted them.
 */
class UniqueObjectsCheck extends Construct {
  public constructor(chart: Chart) {
    super(chart, UNIQUE_OBJECTS_ID);
    this.node.addValidation({ validate: () => duplicateObjects(chart) });
  }
}

function duplicateObjects(chart: Chart): string[] {
  const seen = new Map<string, ApiObject>();
  const errors: string[] = [];
  for (const object of chart.node.findAll()) {
    if (!(object instanceof ApiObject) || Chart.of(object) !== chart) continue;
    const key = `${object.apiGroup}/${object.kind}/${object.metadata.namespace ?? ''}/${object.name}`;
    const other = seen.get(key);
    if (other) {
      errors.push(
        `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.name} is emitted twice, by ${other.node.path} and ` +
        `${object.node.path}, and the second would overwrite the first at apply; give one of the constructs another name`,
      );
    } else {
      seen.set(key, object);
    }
  }
  return errors;
}

/**
 * Joins a name and a suffix into a DNS label of at most 63 characters that never ends in `-`. When the
 * name must be shortened, a hash of the full name keeps different names different, so the objects a
 * construct derives from one input never collide.
 */
export function derivedName(where: string, name: string, suffix: string): string {
  const full = `${name}-${suffix}`;
  if (full.length <= 63) return full;
  if (suffix.length > 40) throw inputError(where, `suffix ${suffix} is too long to derive a name`, 'use a shorter name');
  // 8 hex characters of the full name keep shortened names apart; the suffix stays readable.
  const hash = shortHash(full);
  const room = 63 - suffix.length - hash.length - 2;
  return `${name.slice(0, room).replace(/-+$/, '')}-${hash}-${suffix}`;
}

/** 8 hex characters of FNV-1a over the text: stable across runs and platforms, for telling derived names apart. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i); // eslint-disable-line no-bitwise
    hash = Math.imul(hash, 0x01000193) >>> 0; // eslint-disable-line no-bitwise
  }
  return hash.toString(16).padStart(8, '0');
}

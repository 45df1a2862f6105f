import { Construct } from 'constructs';
import { inputError, quote } from '../../core/errors';
import { isDnsSubdomain } from '../../core/names';
import { checkOptionalString, checkPropsObject, checkString, PropKeys } from '../../core/prop-checks';
import { isClusterScoped } from '../../k8s/kinds';
import { chartNamespaceOf, declareObject } from '../../policy/declared-prerequisites';
import type { IPriorityClass } from '../base/priority-class-ref';

/** A prerequisite of any kind. */
export interface PrerequisiteOptions {
  /** The kind, e.g. `StorageClass`. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /**
   * Whether the kind is cluster-scoped (no namespace).
   * @default false (the object is in the namespace of the chart)
   */
  readonly clusterScoped?: boolean;
  /**
   * The namespace of a namespaced object.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/**
 * Something the app uses and the cluster already has, provided by the platform: declared, never applied. The
 * policy report lists it under "expects from the cluster", and references to it resolve (K8S-REFERENCES-RESOLVE).
 * cdk8s-plus imports (`Secret.fromSecretName`, `ConfigMap.fromConfigMapName`, …) count as prerequisites too.
 */
export class Prerequisite extends Construct {
  /** A PriorityClass the platform defines, to pass as a workload's `priorityClass`. */
  public static priorityClass(scope: Construct, name: string): IPriorityClass {
    return declare(scope, { kind: 'PriorityClass', name }, (id, o) => new PriorityClassPrerequisite(scope, id, o.kind, o.name, o.namespace));
  }

  /** A Secret in the chart's namespace, managed outside the app (e.g. by External Secrets). */
  public static secret(scope: Construct, name: string): Prerequisite {
    return Prerequisite.of(scope, { kind: 'Secret', name });
  }

  /** A ConfigMap in the chart's namespace, managed outside the app. */
  public static configMap(scope: Construct, name: string): Prerequisite {
    return Prerequisite.of(scope, { kind: 'ConfigMap', name });
  }

  /** A ServiceAccount in the chart's namespace, managed outside the app. */
  public static serviceAccount(scope: Construct, name: string): Prerequisite {
    return Prerequisite.of(scope, { kind: 'ServiceAccount', name });
  }

  /** A PersistentVolumeClaim in the chart's namespace, created outside the app. */
  public static persistentVolumeClaim(scope: Construct, name: string): Prerequisite {
    return Prerequisite.of(scope, { kind: 'PersistentVolumeClaim', name });
  }

  /** A StorageClass the cluster provides (its names differ between clusters and clouds: `gp3`, `standard-rwo`, …). */
  public static storageClass(scope: Construct, name: string): Prerequisite {
    return Prerequisite.of(scope, { kind: 'StorageClass', name });
  }

  /** A RuntimeClass the nodes provide (e.g. gVisor's `gvisor`). */
  public static runtimeClass(scope: Construct, name: string): Prerequisite {
    return Prerequisite.of(scope, { kind: 'RuntimeClass', name });
  }

  /** A ClusterRole the platform defines (the built-in `view`, `edit`, `admin` and `system:` roles need no declaration). */
  public static clusterRole(scope: Construct, name: string): Prerequisite {
    return Prerequisite.of(scope, { kind: 'ClusterRole', name });
  }

  /** A prerequisite of any kind. */
  public static of(scope: Construct, options: PrerequisiteOptions): Prerequisite {
    return declare(scope, options, (id, o) => (o.kind === 'PriorityClass'
      ? new PriorityClassPrerequisite(scope, id, o.kind, o.name, o.namespace) : new Prerequisite(scope, id, o.kind, o.name, o.namespace)));
  }

  /** The kind. */
  public readonly kind: string;
  /** The name. */
  public readonly name: string;
  /** The namespace, for a namespaced object. */
  public readonly namespace?: string;

  protected constructor(scope: Construct, id: string, kind: string, name: string, namespace?: string) {
    super(scope, id);
    this.kind = kind;
    this.name = name;
    this.namespace = namespace;
    declareObject(this, { kind, name, namespace });
  }
}

class PriorityClassPrerequisite extends Prerequisite implements IPriorityClass {
  public get priorityClassName(): string {
    return this.name;
  }
}

const PREREQUISITE_OPTIONS: PropKeys<PrerequisiteOptions> = { kind: true, name: true, clusterScoped: true, namespace: true };

interface CheckedPrerequisite {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Checks a declaration and returns the one construct of the scope that declares it (declaring twice is declaring once). */
function declare<T extends Prerequisite>(scope: Construct, given: PrerequisiteOptions, create: (id: string, object: CheckedPrerequisite) => T): T {
  const where = `Prerequisite ${scope.node.path || '(app)'}`;
  const options = checkPropsObject(where, given, PREREQUISITE_OPTIONS, 'the prerequisite');
  const kind = checkString(where, 'kind', options.kind);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) throw inputError(where, `kind ${quote(kind)} is not a Kubernetes kind`, 'spell it as the API does, e.g. "PriorityClass"');
  const name = checkString(where, `the name of the ${kind}`, options.name);
  if (!isDnsSubdomain(name) && !(kind === 'ClusterRole' && /^[a-z0-9:.-]+$/.test(name))) {
    throw inputError(where, `the name of the ${kind} ${quote(name)} is not a valid object name`, 'use lower-case letters, digits, "-" and "."');
  }
  const clusterScoped = isClusterScoped(kind) || options.clusterScoped === true;
  const namespace = clusterScoped ? undefined : checkOptionalString(where, 'namespace', options.namespace) ?? chartNamespaceOf(scope);
  const id = `Prerequisite ${kind} ${namespace ?? ''} ${name}`;
  const existing = scope.node.tryFindChild(id);
  if (existing) return existing as T;
  return create(id, { kind, name, namespace });
}

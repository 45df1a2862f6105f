/** One CEL validation of a ValidatingAdmissionPolicy: an expression that is true for compliant objects. */
export interface CelValidation {
  /**
   * CEL that is true when the object complies. Pod-spec checks read the variables listed at
   * `AdmissionCheck.podSpec`; object checks read `object` and `request`. Guard optional fields with `has()`
   * or optional chaining (`x.?f.orValue(d)`), and use only the Kubernetes CEL libraries.
   */
  readonly expression: string;
  /**
   * CEL that yields the message naming what is wrong (a string, one line), e.g. the offending containers.
   * @default - the static message
   */
  readonly messageExpression?: string;
  /**
   * What is wrong, in words, on one line. The rule id and fix are added to it.
   * @default - the rule's title
   */
  readonly message?: string;
}

/** The API resources an object check applies to (one API group). */
export interface AdmissionResources {
  /** The API group, `""` for the core group. */
  readonly apiGroup: string;
  /** The API version. */
  readonly apiVersion: string;
  /** The resources (plural, lower case), e.g. `services`. */
  readonly resources: string[];
}

/** Where an admission check applies. */
export enum AdmissionTarget {
  /** The pod spec of Pods and of every built-in workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController, PodTemplate). */
  POD_SPEC = 'pod-spec',
  /** Objects of the listed resources. */
  OBJECTS = 'objects',
  /** Nowhere: the rule cannot be judged by the API server one object at a time. */
  NONE = 'none',
}

/**
 * How a rule is checked by the API server, in a ValidatingAdmissionPolicy (`AdmissionPolicies`): CEL
 * validations over the pod spec of every workload, CEL over objects of given resources, or not at all
 * (with the reason: rules that read other objects, such as selectors, quotas or network coverage).
 */
export class AdmissionCheck {
  /**
   * CEL validations of every pod spec. The expressions may read, besides `object` and `request`:
   * `variables.podSpec` (the pod spec, wherever the kind keeps it), `variables.podLabels` and
   * `variables.podAnnotations` (of the pod or pod template, `{}` when unset), `variables.initContainers`,
   * `variables.containers`, `variables.ephemeralContainers` (`[]` when unset), `variables.allContainers`
   * (the three together) and `variables.securityContexts` (the pod's and every container's, `{}` when unset).
   * No validations means there is nothing to check at the rule's version.
   */
  public static podSpec(validations: CelValidation[]): AdmissionCheck {
    return new AdmissionCheck(AdmissionTarget.POD_SPEC, checkValidations(validations), undefined, undefined);
  }

  /** CEL validations of the objects of some resources (e.g. Services): expressions read `object` and `request`. */
  public static objects(resources: AdmissionResources, validations: CelValidation[]): AdmissionCheck {
    if (resources === null || typeof resources !== 'object' || !Array.isArray(resources.resources) || resources.resources.length === 0) {
      throw new Error('AdmissionCheck.objects: resources must name an API group, version and at least one resource, e.g. { apiGroup: "", apiVersion: "v1", resources: ["services"] }');
    }
    return new AdmissionCheck(AdmissionTarget.OBJECTS, checkValidations(validations), resources, undefined);
  }

  /**
   * The rule cannot be checked by the API server one object at a time.
   * @param reason why, e.g. "reads the NetworkPolicies that select the pod"
   */
  public static notExpressible(reason: string): AdmissionCheck {
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error('AdmissionCheck.notExpressible: give the reason, e.g. "reads the NetworkPolicies that select the pod"');
    }
    return new AdmissionCheck(AdmissionTarget.NONE, [], undefined, reason.trim());
  }

  private constructor(
    /** Where the check applies. */
    public readonly target: AdmissionTarget,
    /** The CEL validations (none when not expressible). */
    public readonly validations: CelValidation[],
    /**
     * The resources of an object check.
     * @default - none (pod-spec checks apply to every workload)
     */
    public readonly resources: AdmissionResources | undefined,
    /**
     * Why the rule cannot be checked by the API server.
     * @default - none: it can
     */
    public readonly notExpressibleReason: string | undefined,
  ) {}

  /** Whether the API server can check the rule. */
  public get expressible(): boolean {
    return this.target !== AdmissionTarget.NONE;
  }
}

function checkValidations(validations: CelValidation[]): CelValidation[] {
  if (!Array.isArray(validations)) throw new Error('AdmissionCheck: validations must be a list of { expression, message? }');
  for (const v of validations) {
    if (v === null || typeof v !== 'object' || typeof v.expression !== 'string' || v.expression.trim() === '') {
      throw new Error('AdmissionCheck: every validation needs a CEL expression (a non-empty string)');
    }
    for (const text of [v.message, v.messageExpression]) {
      if (text !== undefined && (typeof text !== 'string' || /[\r\n]/.test(text))) {
        throw new Error('AdmissionCheck: messages are one line of text (the API server drops multi-line messages)');
      }
    }
  }
  return [...validations];
}

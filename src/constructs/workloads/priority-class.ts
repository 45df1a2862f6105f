import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { inputError } from '../../core/errors';
import { recommendedLabels } from '../../core/labels';
import { validateDnsSubdomain } from '../../core/names';
import { checkInteger, checkOptionalBoolean, checkOptionalString, PropKeys } from '../../core/prop-checks';
import { kube } from '../../k8s/objects';
import { HardenedConstruct } from '../base/hardened-construct';
import { IPriorityClass } from '../base/priority-class-ref';

/** The props of a {@link PriorityClass}. */
export interface PriorityClassProps {
  /**
   * The scheduling priority: higher is scheduled first and may preempt lower. User classes go up to 1,000,000,000
   * (higher values are the system's).
   */
  readonly value: number;

  /**
   * The name (cluster-wide: two PriorityClasses of one name in the app fail synth).
   * @default - the chart's id and the construct's, joined with `-` (`shop-batch`; cluster-scoped objects share one space); see README "Object names"
   */
  readonly name?: string;

  /**
   * What the class is for, shown by `kubectl get priorityclass`.
   * @default - none
   */
  readonly description?: string;

  /**
   * Whether pods of this class may evict lower-priority pods to be scheduled. Off, they wait in the queue ahead
   * of lower-priority pods but never preempt them.
   * @default true
   */
  readonly preempting?: boolean;
}

/** The highest value a user-defined PriorityClass may have (scheduling.k8s.io: HighestUserDefinablePriority). */
const HIGHEST_USER_PRIORITY = 1_000_000_000;

const PRIORITY_CLASS_PROPS: PropKeys<PriorityClassProps> = { value: true, name: true, description: true, preempting: true };

/**
 * A PriorityClass (scheduling.k8s.io/v1, cluster-wide), never the global default: pods get it only by naming it,
 * e.g. with SecureDeployment's `priorityClass`.
 */
export class PriorityClass extends HardenedConstruct implements IPriorityClass {
  /** The name pods give as `priorityClassName`. */
  public readonly priorityClassName: string;
  /** The PriorityClass object. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: PriorityClassProps) {
    super(scope, id, 'PriorityClass', props, Object.keys(PRIORITY_CLASS_PROPS));
    const { where, chartPartOf: partOf } = this;
    const name = validateDnsSubdomain(where, 'name', checkOptionalString(where, 'name', props.name) ?? this.defaultName(true));
    if (name.startsWith('system-')) {
      throw inputError(where, `name ${name} starts with "system-", which the API server reserves for its own classes`, 'choose another name, e.g. "platform-high"');
    }
    const value = checkInteger(where, 'value', props.value, { min: -2147483648, max: HIGHEST_USER_PRIORITY, hint: `use a whole number up to ${HIGHEST_USER_PRIORITY} (higher values are the system's)` });
    this.priorityClassName = name;
    this.apiObject = kube.priorityClass(this, 'Resource', {
      metadata: { name, labels: recommendedLabels(where, { name, instance: name, component: 'priority-class', partOf }) },
      value,
      globalDefault: false,
      description: checkOptionalString(where, 'description', props.description),
      preemptionPolicy: (checkOptionalBoolean(where, 'preempting', props.preempting) ?? true) ? 'PreemptLowerPriority' : 'Never',
    });
    if (this.apiObject.metadata.namespace !== undefined) this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}

import { AdmissionCheck } from './admission-check';
import { EvaluationFacts } from './evaluation-facts';
import { Severity } from './severity';
import { PolicyObject } from '../../k8s/policy-object';

/** What a rule is and how to comply with it. */
export interface PolicyRuleProps {
  /** Stable upper-case id with a pack prefix, e.g. `PSS-PRIVILEGED`. */
  readonly id: string;
  /** One line: what compliant objects do. */
  readonly title: string;
  /** Why it matters: the attack or failure it prevents. */
  readonly rationale: string;
  /** Error (fails synth) or warning. */
  readonly severity: Severity;
  /** The standard and control this rule implements, e.g. `Pod Security Standards (baseline): Privileged Containers`. */
  readonly standard: string;
  /**
   * How to fix a violation in the manifest, in plain YAML terms (which field to set to what), so that it reads right
   * for any YAML (Helm output, `cdk8s-hardened check`): no construct or library API.
   */
  readonly fix: string;
  /**
   * How to fix it with this library's constructs (e.g. `DefaultDenyNamespace creates it.`), shown after `fix` for
   * cdk8s apps only (`Policy.enforce`, `HardenedApp`, the cdk8s CLI plugin), never by `cdk8s-hardened check`.
   * @default - none: the manifest fix is all there is to say
   */
  readonly constructFix?: string;
  /**
   * How the API server checks the rule (`AdmissionPolicies`): CEL over every pod spec, CEL over objects of
   * some resources, or not at all.
   * @default - not checked in the cluster (a custom rule that gives no CEL)
   */
  readonly admission?: AdmissionCheck;
}

/**
 * The verdict of a rule on one object. The object is named by its position in the list the rule was given,
 * so that a result crosses to and from other languages by value (a struct is copied, never shared).
 */
export interface RuleResult {
  /** The position of the judged object in the `objects` given to `evaluate` (0 for the first). */
  readonly objectIndex: number;
  /** Whether it complies. */
  readonly compliant: boolean;
  /**
   * What is wrong, for a non-compliant object.
   * @default - the rule's title
   */
  readonly message?: string;
}

/**
 * A policy rule: judges synthesized objects, one at a time or as a whole set (for cross-object rules).
 * Objects a rule does not apply to get no result. Subclass it for your own rules and put them in a
 * `PolicyPack`. Rules are plain values: there is no registry, so the same rule may be constructed any
 * number of times (ids are checked against the packs being evaluated).
 */
export abstract class PolicyRule {
  /** Stable id. */
  public readonly id: string;
  /** What compliant objects do. */
  public readonly title: string;
  /** Why it matters. */
  public readonly rationale: string;
  /** Error or warning. */
  public readonly severity: Severity;
  /** The standard and control implemented. */
  public readonly standard: string;
  /** How to fix a violation in the manifest (plain YAML terms). */
  public readonly fix: string;
  /**
   * How to fix it with this library's constructs, for cdk8s apps.
   * @default - none
   */
  public readonly constructFix?: string;
  /** How the API server checks the rule. */
  public readonly admission: AdmissionCheck;

  protected constructor(props: PolicyRuleProps) {
    if (!/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/.test(props.id)) {
      throw new Error(`PolicyRule ${JSON.stringify(props.id)}: ids are upper case with a pack prefix; use e.g. "ACME-NO-HOSTPATH"`);
    }
    this.id = props.id;
    this.title = props.title;
    this.rationale = props.rationale;
    this.severity = props.severity;
    this.standard = props.standard;
    this.fix = props.fix;
    this.constructFix = props.constructFix;
    this.admission = props.admission ?? AdmissionCheck.notExpressible('a custom rule that gives no CEL (set admission in its props)');
  }

  /** Judges the objects. Objects the rule does not apply to are left out of the results. */
  public abstract evaluate(objects: PolicyObject[]): RuleResult[];

  /**
   * Judges the objects with what the evaluation knows of them (the declared prerequisites, the workloads).
   * Built-in rules that use those facts override it; the others judge the objects alone.
   * @internal
   */
  public _evaluateWith(objects: PolicyObject[], _facts: EvaluationFacts): RuleResult[] {
    return this.evaluate(objects);
  }
}

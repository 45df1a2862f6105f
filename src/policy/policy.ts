import { IConstruct } from 'constructs';
import { checkAcknowledgement, checkAcknowledgementTerms, recordAcknowledgement } from './acknowledgement';
import { checkIsoDate } from './acknowledgement-expiry';
import { PolicyValidation } from './enforcement';
import { evaluate } from './evaluation';
import { PolicyPack } from './pack';
import { PolicyReport } from './report';
import { Severity } from './rule-api/severity';

/** Options of {@link Policy.enforce} and {@link Policy.report}. */
export interface PolicyOptions {
  /**
   * The packs to check against.
   * @default - PolicyPack.defaults(): PolicyPack.RESTRICTED, PolicyPack.NSA_CISA, PolicyPack.CIS, PolicyPack.CLUSTER_FIT and PolicyPack.BEST_PRACTICES
   */
  readonly packs?: PolicyPack[];
  /**
   * Fail synth on warnings too.
   * @default false
   */
  readonly failOnWarnings?: boolean;
  /**
   * Print warnings and acknowledgements to stderr at synth.
   * @default true
   */
  readonly printWarnings?: boolean;
  /**
   * The day acknowledgements' expiry dates are judged against, as `YYYY-MM-DD` (UTC). Pin it to make a report
   * reproducible (tests, re-running an old build).
   * @default - the current day (UTC) when the policy is evaluated
   */
  readonly today?: string;
}

/** Options of {@link Policy.acknowledge}: who answers for the acknowledgement, and until when it holds. */
export interface AcknowledgementOptions {
  /**
   * The team or person who answers for the exception, e.g. "team-shop"; shown in every report.
   * @default - none
   */
  readonly owner?: string;
  /**
   * The last day the acknowledgement holds, as `YYYY-MM-DD` (at most a year after the day the policy is evaluated).
   * From the day after, it covers nothing: its findings are reported again, marked as an expired acknowledgement.
   * @default - it never expires
   */
  readonly expires?: string;
}

/**
 * The policy engine: checks every object synthesized under a scope (ours, cdk8s-plus objects and raw
 * ApiObjects alike) against rule packs. It reads the construct tree and never changes it: a report is a
 * function of the tree, its acknowledgements and the options.
 */
export class Policy {
  /**
   * Makes `app.synth()` fail with every error-level finding (rule id, construct path, object, fix).
   * Warnings (and stale acknowledgements) are printed, and fail only with `failOnWarnings`.
   *
   * It adds a validation to the scope (`node.addValidation`). Under a plain `App` that validation evaluates
   * the packs each time cdk8s validates: N + 1 times per synth for N charts. Under a `HardenedApp` (which
   * enforces its own packs) it evaluates once per synth, and not at all when its scope and packs are the app's.
   *
   * @param scope an App or a Chart
   */
  public static enforce(scope: IConstruct, options: PolicyOptions = {}): void {
    enforcePolicy('Policy.enforce', scope, options);
  }

  /**
   * Accepts the findings of one rule for every object under a construct. The reason (at least 10
   * characters) is shown in every report. Error-level rules cannot be acknowledged on the App (that would
   * cover charts added later): acknowledge the chart or the construct. An acknowledgement that matches no
   * finding, or names a rule that no evaluated pack holds, is reported at synth.
   *
   * With an expiry (`{ expires: '2027-03-01', owner: 'team-shop' }`) it covers the findings through that day; from
   * the day after, they are reported again, marked as an expired acknowledgement with its reason, owner and date. An
   * expiry more than a year after the day of evaluation is refused at synth (error ACK-EXPIRY-TOO-FAR).
   *
   * @param options its owner and expiry
   * @throws an Error for a malformed rule id, a short reason (invisible characters do not count), a reason or owner that
   *   is not one printable line (line breaks, control characters, bidirectional overrides forge report lines), a
   *   malformed expiry date or an empty owner
   */
  public static acknowledge(construct: IConstruct, ruleId: string, reason: string, options: AcknowledgementOptions = {}): void {
    checkScope('Policy.acknowledge', construct);
    const where = `Policy.acknowledge ${construct.node.path || '(app)'}`;
    const trimmed = checkAcknowledgement(where, ruleId, reason);
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new Error(`${where}: options are ${JSON.stringify(options)}, not an object; pass e.g. { owner: 'team-shop', expires: '2027-03-01' }`);
    }
    const terms = checkAcknowledgementTerms(where, options.owner, options.expires);
    if (construct.node.scope === undefined && isBuiltInErrorRule(ruleId)) {
      throw new Error(`${where}: ${ruleId} is an error-level rule and cannot be acknowledged for the whole app (that would hide it in `
        + 'every chart, including charts added later); acknowledge the chart or the construct that needs the exception');
    }
    recordAcknowledgement(construct, ruleId, trimmed, terms);
  }

  /** Checks everything under the scope and returns findings, acknowledgements and scores per pack. */
  public static report(scope: IConstruct, options: PolicyOptions = {}): PolicyReport {
    checkOptions('Policy.report', scope, options);
    return evaluate(scope, options).report;
  }

  private constructor() {}
}

/**
 * Adds the policy validation to the scope (through `node.addValidation`, the hook cdk8s documents).
 * @internal
 */
export function enforcePolicy(method: string, scope: IConstruct, options: PolicyOptions): void {
  checkOptions(method, scope, options);
  scope.node.addValidation(new PolicyValidation(scope, options));
}

/** Whether the id is one of a built-in error-level rule (custom rules are judged at synth). */
function isBuiltInErrorRule(ruleId: string): boolean {
  return PolicyPack.builtIn().some((pack) => pack.rules.some((rule) => rule.id === ruleId && rule.severity === Severity.ERROR));
}

/** JavaScript callers bypass the types: the scope must be a construct. */
function checkScope(method: string, scope: IConstruct): void {
  if (scope === null || typeof scope !== 'object' || typeof scope.node?.findAll !== 'function') {
    throw new Error(`${method}: the scope is ${scope === null ? 'null' : typeof scope}, not a construct; pass an App, a Chart or a construct`);
  }
}

/** JavaScript callers bypass the types: options are an object, packs a list of PolicyPacks, flags booleans. */
function checkOptions(method: string, scope: IConstruct, options: PolicyOptions): void {
  checkScope(method, scope);
  const where = `${method} ${scope.node.path || '(app)'}`;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${where}: options are ${Array.isArray(options) ? 'a list' : typeof options}, not an object; pass e.g. { packs: [PolicyPack.RESTRICTED] }`);
  }
  if (options.packs !== undefined && (!Array.isArray(options.packs) || !options.packs.every((pack) => pack instanceof PolicyPack))) {
    throw new Error(`${where}: packs must be a list of PolicyPacks; use e.g. [PolicyPack.RESTRICTED, PolicyPack.NSA_CISA] (pack names are for cdk8s.yaml)`);
  }
  for (const flag of ['failOnWarnings', 'printWarnings'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') {
      throw new Error(`${where}: ${flag} is a ${typeof options[flag]}, not true or false`);
    }
  }
  if (options.today !== undefined) checkIsoDate(where, 'today', options.today);
}

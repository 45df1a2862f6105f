import { Chart } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { ConstructPolicyObject, evaluate } from './evaluation';
import { PolicyOptions } from './policy';
import { Finding, PolicyReport } from './report';
import { handOverToSynth, withdrawFromSynth } from '../k8s/objects';

/** The report of a validation, kept for the validations nested in the same `App.synth` call. */
interface Evaluation {
  readonly report: PolicyReport;
  /** The nested validations still expected (one per chart), after which the report is not reused. */
  nestedLeft: number;
}

/**
 * The validation `Policy.enforce` adds to its scope.
 *
 * cdk8s validates the whole app once at the start of `App.synth()`/`App.synthYaml()`, then again inside
 * each `Chart.toJson()` that synth calls (one nested validation per chart, with nothing changed in
 * between). This validation evaluates the packs at the first of those and hands the same report to the
 * nested ones of that synth call; every other validation (a later synth, `Testing.synth`, a user's own
 * `chart.toJson()`) evaluates afresh. Nested validations are recognised from the call stack (read, never
 * changed); where they cannot be (stack traces turned off, a cdk8s that names its methods otherwise), each
 * validation simply evaluates again: slower, never stale. The kept report lives in this validation object
 * only, and only until the synth call that made it returns.
 *
 * The manifests serialized for that first validation are handed to the serialization of the same synth
 * call for the library's own objects (their class uses a handed-over manifest once, then serializes
 * again); other objects (raw ApiObjects, cdk8s-plus) serialize twice. Nothing is handed over when the
 * validation fails, and every evaluation withdraws what is left before it serializes.
 */
export class PolicyValidation implements IValidation {
  private kept: Evaluation | undefined;

  constructor(
    private readonly scope: IConstruct,
    private readonly options: PolicyOptions,
  ) {}

  public validate(): string[] {
    // Read here rather than in a helper: the frames up to App.synth must fit Error.stackTraceLimit (10).
    const caller = synthCaller(new Error().stack ?? '');
    let report: PolicyReport;
    if (caller === 'nested' && this.kept && this.kept.nestedLeft > 0) {
      this.kept.nestedLeft--;
      report = this.kept.report;
    } else {
      this.kept = undefined;
      const evaluation = evaluate(this.scope, this.options);
      report = evaluation.report;
      this.printWarnings(report);
      if (caller === 'synth' && this.failing(report).length === 0) this.keepForThisSynth(report, evaluation.objects);
    }
    const failing = this.failing(report);
    if (failing.length) this.kept = undefined;
    return failing.map(errorLine);
  }

  private failing(report: PolicyReport): Finding[] {
    return this.options.failOnWarnings ? report.findings : report.errors;
  }

  /**
   * Keeps the report for the nested validations of this synth call, and hands the manifests of the
   * library's own objects to the serialization that follows, so that they are serialized once.
   */
  private keepForThisSynth(report: PolicyReport, objects: ConstructPolicyObject[]): void {
    const kept: Evaluation = { report, nestedLeft: countCharts(this.scope) };
    this.kept = kept;
    const handedOver = objects.filter((o) => handOverToSynth(o.owner, o.manifest)).map((o) => o.owner);
    // Forget both once the synth call returns (synth is synchronous: the microtask runs after it).
    queueMicrotask(() => {
      if (this.kept === kept) this.kept = undefined;
      handedOver.forEach(withdrawFromSynth);
    });
  }

  private printWarnings(report: PolicyReport): void {
    if (!(this.options.printWarnings ?? true)) return;
    const failing = new Set(this.options.failOnWarnings ? report.findings : report.errors);
    for (const f of report.findings) {
      if (failing.has(f)) continue;
      process.stderr.write(`cdk8s-hardened: WARNING [${f.ruleId}] ${f.path}${f.kind ? ` (${f.kind}/${f.name})` : ''}: ${f.message}; fix: ${f.fix}\n`);
    }
  }
}

function errorLine(f: Finding): string {
  const object = f.kind ? ` (${f.kind}/${f.name})` : '';
  const acknowledge = f.ruleId.startsWith('ACK-') ? '' : ` (or Policy.acknowledge(construct, '${f.ruleId}', reason))`;
  return `[${f.ruleId}] ${f.path}${object}: ${f.message}. Fix: ${f.fix}${acknowledge}`;
}

/** How many nested validations an App.synth call will make: one per chart of the app. */
function countCharts(scope: IConstruct): number {
  const app = scope.node.root;
  return app.node.findAll().filter((c) => Chart.isChart(c)).length;
}

/**
 * Which cdk8s call validates: `synth` (App.synth/synthYaml directly), `nested` (a Chart.toJson called by
 * App.synth/synthYaml) or `other`.
 */
function synthCaller(stack: string): 'synth' | 'nested' | 'other' {
  if (!/ App\.(synth|synthYaml) \(/.test(stack)) return 'other';
  return /\._synthChart \(/.test(stack) ? 'nested' : 'synth';
}

import { IConstruct, IValidation } from 'constructs';
import { evaluate } from './evaluation';
import { PolicyPack } from './pack';
import { PolicyOptions } from './policy';
import { Finding, PolicyReport } from './report';

/** A report made during one synth call, and whether its warnings were printed. */
interface SharedReport {
  readonly scope: IConstruct;
  readonly packs: PolicyPack[];
  readonly report: PolicyReport;
  warned: boolean;
}

/**
 * The evaluations of one `HardenedApp.synth()`/`synthYaml()` call. cdk8s validates the whole app once at the
 * start of synth and again inside every `Chart.toJson()` that synth calls, with nothing changed in between:
 * the first validation of a scope and its packs evaluates, the others of the same call reuse its report.
 * It is made when the call starts and dropped when it returns, so no report outlives the synth that made it.
 * @internal
 */
export class SynthEvaluations {
  private readonly reports: SharedReport[] = [];

  /** The report on the scope for the packs, evaluated on first request in this synth call. */
  public reportOn(scope: IConstruct, packs: PolicyPack[]): SharedReport {
    const found = this.reports.find((r) => r.scope === scope && samePacks(r.packs, packs));
    if (found) return found;
    const made: SharedReport = { scope, packs, report: evaluate(scope, { packs }).report, warned: false };
    this.reports.push(made);
    return made;
  }
}

/**
 * The validation `Policy.enforce` (and `HardenedApp`) adds to its scope, through the documented cdk8s hook
 * (`node.addValidation`). Under a `HardenedApp` synth it evaluates once per synth call and prints the
 * warnings of that call once (see `SynthEvaluations`). Elsewhere (a plain `App`, `Testing.synth`, a user's
 * own `chart.toJson()`) it evaluates at every validation: `App.synth()` of an app with N charts validates
 * N + 1 times. It cannot tell those validations apart, so it prints warnings when they differ from the
 * ones it printed last: once per plain-App synth, and not again while they stay the same.
 */
export class PolicyValidation implements IValidation {
  /** The warnings of the last validation outside a HardenedApp synth. */
  private lastPrinted = '';

  constructor(
    private readonly scope: IConstruct,
    private readonly options: PolicyOptions,
  ) {}

  public validate(): string[] {
    const packs = this.options.packs ?? PolicyPack.defaults();
    const synth = synthInProgress(this.scope);
    if (synth) {
      const shared = synth.reportOn(this.scope, packs);
      if (!shared.warned) shared.warned = this.printWarnings(this.warningLines(shared.report));
      return this.failing(shared.report).map(errorLine);
    }
    const report = evaluate(this.scope, { packs }).report;
    const warnings = this.warningLines(report);
    if (warnings.join('') !== this.lastPrinted) this.printWarnings(warnings);
    this.lastPrinted = warnings.join('');
    return this.failing(report).map(errorLine);
  }

  private failing(report: PolicyReport): Finding[] {
    return this.options.failOnWarnings ? report.findings : report.errors;
  }

  /** Prints the warnings unless printWarnings is off; returns whether it printed. */
  private printWarnings(lines: string[]): boolean {
    if (!(this.options.printWarnings ?? true)) return false;
    lines.forEach((line) => process.stderr.write(line));
    return true;
  }

  /** The findings of the report that do not fail synth, one line each. */
  private warningLines(report: PolicyReport): string[] {
    const failing = new Set(this.failing(report));
    return report.findings.filter((f) => !failing.has(f))
      .map((f) => `cdk8s-hardened: WARNING [${f.ruleId}] ${f.path}${f.kind ? ` (${f.kind}/${f.name})` : ''}: ${f.message}; fix: ${f.fix}\n`);
  }
}

/** The evaluations of the synth call in progress, when the scope's app is a HardenedApp that is synthesizing. */
function synthInProgress(scope: IConstruct): SynthEvaluations | undefined {
  const evaluations = (scope.node.root as { _synthEvaluations?: unknown })._synthEvaluations;
  return evaluations instanceof SynthEvaluations ? evaluations : undefined;
}

function samePacks(a: PolicyPack[], b: PolicyPack[]): boolean {
  return a.length === b.length && a.every((pack, i) => pack === b[i]);
}

function errorLine(f: Finding): string {
  const object = f.kind ? ` (${f.kind}/${f.name})` : '';
  const acknowledge = f.ruleId.startsWith('ACK-') ? '' : ` (or Policy.acknowledge(construct, '${f.ruleId}', reason))`;
  return `[${f.ruleId}] ${f.path}${object}: ${f.message}. Fix: ${f.fix}${acknowledge}`;
}

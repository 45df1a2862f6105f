import { IConstruct, IValidation } from 'constructs';
import { evaluate, ManifestOf } from './evaluation';
import { PolicyPack } from './pack';
import { PolicyOptions } from './policy';
import { Finding, PolicyReport } from './report';
import { fixText } from './rule-api/fix-text';

/**
 * The policy validations of one `HardenedApp.synth()`/`synthYaml()` call. The app serializes every chart for its
 * output (cdk8s validates the app inside each `Chart.toJson()`): the policy validations met there are deferred,
 * then run once over the manifests the app serialized — so each object is serialized once per synth, and each
 * scope and its packs evaluated once. It is made when the call starts and dropped when it returns.
 * @internal
 */
export class SynthEvaluations {
  private readonly deferred: PolicyValidation[] = [];

  /** Records a validation met while the app serializes its charts. */
  public defer(validation: PolicyValidation): void {
    if (!this.deferred.includes(validation)) this.deferred.push(validation);
  }

  /**
   * Runs the deferred validations over the serialized manifests (validations of the same scope and packs share one
   * evaluation and print its warnings once); returns their errors as cdk8s words them, `[construct path] error`.
   */
  public run(manifestOf: ManifestOf): string[] {
    const reports: Array<{
      readonly scope: IConstruct;
      readonly packs: PolicyPack[];
      readonly today?: string;
      readonly report: PolicyReport;
      warned: boolean;
    }> = [];
    return this.deferred.flatMap((validation) => {
      const { scope, packs, today } = validation;
      let shared = reports.find((r) => r.scope === scope && samePacks(r.packs, packs) && r.today === today);
      if (!shared) {
        shared = { scope, packs, today, report: evaluate(scope, { packs, today }, manifestOf).report, warned: false };
        reports.push(shared);
      }
      if (!shared.warned) shared.warned = validation._printWarnings(shared.report);
      return validation._errors(shared.report).map((error) => `[${scope.node.path}] ${error}`);
    });
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
  /** The packs it evaluates. */
  public readonly packs: PolicyPack[];
  /** The day it judges expiries on (default: the day of each evaluation). */
  public readonly today?: string;
  /** The warnings of the last validation outside a HardenedApp synth. */
  private lastPrinted = '';

  constructor(
    public readonly scope: IConstruct,
    private readonly options: PolicyOptions,
  ) {
    this.packs = options.packs ?? PolicyPack.defaults();
    this.today = options.today;
  }

  public validate(): string[] {
    const synth = synthInProgress(this.scope);
    if (synth) {
      synth.defer(this);
      return [];
    }
    const report = evaluate(this.scope, { packs: this.packs, today: this.today }).report;
    const warnings = this.warningLines(report);
    if (warnings.join('') !== this.lastPrinted) this.print(warnings);
    this.lastPrinted = warnings.join('');
    return this._errors(report);
  }

  /**
   * The error lines of a report: its error-level findings (every finding with failOnWarnings).
   * @internal
   */
  public _errors(report: PolicyReport): string[] {
    return this.failing(report).map(errorLine);
  }

  /**
   * Prints the warnings of a report unless printWarnings is off; returns whether it printed.
   * @internal
   */
  public _printWarnings(report: PolicyReport): boolean {
    return this.print(this.warningLines(report));
  }

  private failing(report: PolicyReport): Finding[] {
    return this.options.failOnWarnings ? report.findings : report.errors;
  }

  private print(lines: string[]): boolean {
    if (!(this.options.printWarnings ?? true)) return false;
    lines.forEach((line) => process.stderr.write(line));
    return true;
  }

  /** The findings of the report that do not fail synth, one line each. */
  private warningLines(report: PolicyReport): string[] {
    const failing = new Set(this.failing(report));
    return report.findings.filter((f) => !failing.has(f))
      .map((f) => `cdk8s-hardened: WARNING [${f.ruleId}] ${f.path}${f.kind ? ` (${f.kind}/${f.name})` : ''}: ${f.message}; fix: ${fixText(f)}${expired(f)}\n`);
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
  return `[${f.ruleId}] ${f.path}${object}: ${f.message}. Fix: ${fixText(f)}${acknowledge}${expired(f)}`;
}

/** The note on a finding whose acknowledgement expired. */
function expired(f: Finding): string {
  const ack = f.expiredAcknowledgement;
  return ack ? ` (ACKNOWLEDGEMENT EXPIRED on ${ack.expires}${ack.owner ? `, owner ${ack.owner}` : ''}: "${ack.reason}")` : '';
}

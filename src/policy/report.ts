import { AcknowledgementLookup } from './acknowledgement';
import { PolicyPack } from './pack';
import { EvaluationFacts } from './rule-api/evaluation-facts';
import { fixText } from './rule-api/fix-text';
import { PolicyRule, RuleResult } from './rule-api/rule';
import { Severity } from './rule-api/severity';
import { scoreText } from './score-text';
import { toolVersion } from '../core/tool-version';
import { describeObject, PolicyObject } from '../k8s/policy-object';

// Verdicts of a rule on an object, in increasing order of severity (the worst result wins).
const NOT_APPLICABLE = 0;
const PASSED = 1;
const ACKNOWLEDGED = 2;
const FAILED = 3;

/** A rule violated by one object. */
export interface Finding {
  /** The rule id, e.g. `PSS-PRIVILEGED`. */
  readonly ruleId: string;
  /** Error or warning. */
  readonly severity: Severity;
  /** What the rule requires. */
  readonly title: string;
  /** The standard and control. */
  readonly standard: string;
  /** How to fix it in the manifest. */
  readonly fix: string;
  /**
   * How to fix it with this library's constructs (reports of cdk8s apps only).
   * @default - none: the rule has no construct hint, or the report is of plain YAML (`cdk8s-hardened check`)
   */
  readonly constructFix?: string;
  /** What is wrong with this object. */
  readonly message: string;
  /** Construct path of the object. */
  readonly path: string;
  /** Kind of the object. */
  readonly kind: string;
  /** Name of the object. */
  readonly name: string;
  /**
   * Namespace of the object.
   * @default - none
   */
  readonly namespace?: string;
  /**
   * Why the finding is accepted, when it is acknowledged.
   * @default - not acknowledged
   */
  readonly acknowledgedReason?: string;
}

/** The compliance score of one pack: passed checks over applicable checks (rule × object). */
export interface PackScore {
  /** The pack name. */
  readonly pack: string;
  /** Checks passed. */
  readonly passed: number;
  /** Checks acknowledged (counted as applicable, not as passed). */
  readonly acknowledged: number;
  /** Checks that applied. */
  readonly applicable: number;
  /**
   * passed / applicable.
   * @default - none: nothing in the set is judged by the pack (applicable is 0)
   */
  readonly score?: number;
}

/** An accepted finding: a rule, the objects it covers and why. */
export interface Acknowledgement {
  /** The rule id. */
  readonly ruleId: string;
  /**
   * What the acknowledgement covers, e.g. `shop/web` (every object under that construct path) or
   * `shop/web Service/shop/web` (one object, from cdk8s.yaml); `(app)` for the whole app.
   */
  readonly scope: string;
  /** Why the findings are accepted. */
  readonly reason: string;
  /** Whether it covers the whole app, including charts added later. */
  readonly appWide: boolean;
}

/** An acknowledgement in scope of a report, and what it did. */
export interface AcknowledgementUse extends Acknowledgement {
  /** How many findings it accepted. */
  readonly findings: number;
  /**
   * Why it accepted nothing, or was refused.
   * @default - none: it accepted at least one finding
   */
  readonly problem?: string;
}

/** Where SARIF viewers link the tool's name. */
const INFORMATION_URI = 'https://github.com/cdk8s-hardened/cdk8s-hardened';

/** Ids of the findings about acknowledgements themselves (they cannot be acknowledged). */
export const ACKNOWLEDGEMENT_FINDINGS = {
  /** An acknowledgement that matches no finding: stale, or aimed at the wrong construct. */
  STALE: 'ACK-STALE',
  /** An acknowledgement of a rule that none of the evaluated packs holds. */
  UNKNOWN_RULE: 'ACK-UNKNOWN-RULE',
  /** An app-wide acknowledgement of an error-level rule, refused. */
  APP_WIDE: 'ACK-APP-WIDE',
};

/** The result of checking a set of objects against packs: findings, acknowledgements and scores. */
export class PolicyReport {
  /**
   * Checks the objects against the packs (each rule runs once, however many packs hold it).
   * @param constructHints whether the objects come from a cdk8s app, so that findings carry their rules' construct hints
   *   (false for plain YAML: `cdk8s-hardened check`)
   * @internal
   */
  public static _evaluate(objects: PolicyObject[], packs: PolicyPack[], acknowledged: AcknowledgementLookup,
    declared: Acknowledgement[] = [], prerequisites: PolicyObject[] = [], constructHints = true): PolicyReport {
    // Each rule instance runs once, however many packs hold it; packs at different Pod Security versions
    // hold different instances under the same id, and a finding they share is reported once.
    const rules = new Set<PolicyRule>();
    for (const pack of packs) for (const rule of pack.rules) rules.add(rule);
    const ruleIds = new Set([...rules].map((rule) => rule.id));
    const findings: Finding[] = [];
    const reported = new Set<string>();
    const uses = new Map<Acknowledgement, number>();
    const refused = new Set<Acknowledgement>();
    // Per rule, the verdict on each object (by position): the worst of its results.
    const verdicts = new Map<PolicyRule, Uint8Array>();
    const facts = new EvaluationFacts(objects, prerequisites);
    for (const rule of rules) {
      const verdict = new Uint8Array(objects.length);
      verdicts.set(rule, verdict);
      for (const result of rule._evaluateWith(objects, facts)) {
        const i = checkedIndex(rule, result, objects.length);
        if (result.compliant) {
          verdict[i] = Math.max(verdict[i], PASSED);
          continue;
        }
        const object = objects[i];
        let acknowledgement = acknowledged(object, rule.id);
        // Errors are accepted construct by construct, never for everything the app will ever hold.
        if (acknowledgement?.appWide && rule.severity === Severity.ERROR) {
          refused.add(acknowledgement);
          acknowledgement = undefined;
        }
        verdict[i] = Math.max(verdict[i], acknowledgement === undefined ? FAILED : ACKNOWLEDGED);
        const finding = toFinding(rule, object, result.message, acknowledgement?.reason, constructHints);
        const key = `${finding.ruleId}\u0000${i}\u0000${finding.message}`;
        if (reported.has(key)) continue;
        reported.add(key);
        if (acknowledgement) uses.set(acknowledgement, (uses.get(acknowledgement) ?? 0) + 1);
        findings.push(finding);
      }
    }
    const acknowledgements = declared.map((ack): AcknowledgementUse => {
      const [id, problem] = acknowledgementProblem(ack, refused.has(ack), ruleIds.has(ack.ruleId), uses.has(ack), packs);
      const use: AcknowledgementUse = { ...ack, findings: uses.get(ack) ?? 0, ...(problem ? { problem } : {}) };
      if (id) findings.push(acknowledgementFinding(use, id));
      return use;
    });
    const scores = packs.map((pack) => {
      let passed = 0;
      let acknowledgedCount = 0;
      let applicable = 0;
      for (const rule of pack.rules) {
        for (const verdict of verdicts.get(rule)!) {
          if (verdict === NOT_APPLICABLE) continue;
          applicable++;
          if (verdict === PASSED) passed++;
          if (verdict === ACKNOWLEDGED) acknowledgedCount++;
        }
      }
      return { pack: pack.name, passed, acknowledged: acknowledgedCount, applicable, ...(applicable ? { score: passed / applicable } : {}) };
    });
    return new PolicyReport(findings, scores, objects.length, acknowledgements, prerequisites.map(describeObjectOf).sort());
  }

  /** Findings that are not acknowledged. */
  public readonly findings: Finding[];
  /** Findings that are acknowledged, with their reasons. */
  public readonly acknowledged: Finding[];

  private constructor(
    allFindings: Finding[],
    /** The compliance score per pack. */
    public readonly scores: PackScore[],
    /** How many objects were checked. */
    public readonly objectCount: number,
    /** Every acknowledgement in scope, with its scope, how many findings it accepted, and any problem. */
    public readonly acknowledgements: AcknowledgementUse[],
    /** What the app expects from the cluster (its declared prerequisites), e.g. `PriorityClass platform-high`, `Secret shop/db`. */
    public readonly prerequisites: string[],
  ) {
    this.findings = allFindings.filter((f) => f.acknowledgedReason === undefined);
    this.acknowledged = allFindings.filter((f) => f.acknowledgedReason !== undefined);
  }

  /** Unacknowledged error-level findings. */
  public get errors(): Finding[] {
    return this.findings.filter((f) => f.severity === Severity.ERROR);
  }

  /** Unacknowledged warning-level findings. */
  public get warnings(): Finding[] {
    return this.findings.filter((f) => f.severity === Severity.WARNING);
  }

  /** A human-readable report: scores, findings with their fixes (and construct hints), acknowledgements with their reasons. */
  public toText(): string {
    const counts = `${this.errors.length} errors, ${this.warnings.length} warnings, ${this.acknowledged.length} acknowledged`;
    const lines = [`${this.objectCount} objects checked: ${counts}`];
    for (const s of this.scores) lines.push(`  ${s.pack}: ${scoreText(s)}`);
    for (const f of this.findings) {
      lines.push(`${f.severity.toUpperCase()} [${f.ruleId}] ${f.path} (${describe(f)}): ${f.message}`, `    fix: ${f.fix}`);
      if (f.constructFix) lines.push(`    with cdk8s-hardened: ${f.constructFix}`);
    }
    for (const f of this.acknowledged) {
      lines.push(`ACKNOWLEDGED [${f.ruleId}] ${f.path} (${describe(f)}): ${f.message}`, `    reason: ${f.acknowledgedReason}`);
    }
    if (this.prerequisites.length) lines.push(`expects from the cluster: ${this.prerequisites.join(', ')}`);
    if (this.acknowledgements.length) lines.push('acknowledgements:');
    for (const a of this.acknowledgements) {
      lines.push(`  ${a.ruleId} at ${a.scope}${a.appWide ? ' (whole app)' : ''}: ${a.problem ?? `${a.findings} finding${a.findings === 1 ? '' : 's'} accepted`} — ${a.reason}`);
    }
    return lines.join('\n');
  }

  /** The report as JSON; a pack that judged nothing has `applicable: 0` and `score: null`. */
  public toJson(): string {
    const { objectCount, findings, acknowledged, acknowledgements, prerequisites } = this;
    return JSON.stringify({ objectCount, scores: this.scoresWithNull(), findings, acknowledged, acknowledgements, prerequisites }, undefined, 2);
  }

  /**
   * The report as SARIF 2.1.0, for code-scanning UIs: one run whose driver is this tool at its version; acknowledged
   * findings carry a suppression; the scores are in the run's properties (`score: null` where nothing applied).
   */
  public toSarif(): string {
    const all = [...this.findings, ...this.acknowledged];
    const ruleIds = [...new Set(all.map((f) => f.ruleId))].sort();
    const rules = ruleIds.map((id) => {
      const f = all.find((x) => x.ruleId === id)!;
      return {
        id,
        shortDescription: { text: f.title },
        help: { text: fixText(f) },
        defaultConfiguration: { level: f.severity },
        properties: { standard: f.standard },
      };
    });
    const results = all.map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: ruleIds.indexOf(f.ruleId),
      level: f.severity,
      message: { text: `${describe(f)}: ${f.message}` },
      locations: [{ logicalLocations: [{ fullyQualifiedName: f.path, kind: 'resource' }] }],
      ...(f.acknowledgedReason === undefined ? {} : { suppressions: [{ kind: 'inSource', justification: f.acknowledgedReason }] }),
    }));
    return JSON.stringify({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{
        tool: { driver: { name: 'cdk8s-hardened', version: toolVersion(), semanticVersion: toolVersion(), informationUri: INFORMATION_URI, rules } },
        results,
        properties: { scores: this.scoresWithNull() },
      }],
    }, undefined, 2);
  }

  /** The scores for JSON: `score: null` (not left out) where nothing applied. */
  private scoresWithNull(): Array<Omit<PackScore, 'score'> & { score: number | null }> {
    return this.scores.map((s) => ({ ...s, score: s.score ?? null }));
  }
}

/** The position a result names, refused unless it is one of the objects the rule was given. */
function checkedIndex(rule: PolicyRule, result: RuleResult, count: number): number {
  const i = result?.objectIndex;
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= count) {
    const given = count === 0 ? 'no objects' : `objects 0 to ${count - 1}`;
    throw new Error(`Rule ${rule.id}: a result names object ${typeof i === 'number' ? i : JSON.stringify(i) ?? 'undefined'}, but the rule was given ${given}; `
      + 'set objectIndex to the position of the judged object in the objects passed to evaluate');
  }
  return i;
}

function toFinding(rule: PolicyRule, object: PolicyObject, message: string | undefined, acknowledgedReason: string | undefined,
  constructHints: boolean): Finding {
  return {
    ruleId: rule.id,
    severity: rule.severity,
    title: rule.title,
    standard: rule.standard,
    fix: rule.fix,
    ...(constructHints && rule.constructFix ? { constructFix: rule.constructFix } : {}),
    message: message ?? rule.title,
    path: object.path,
    kind: object.kind,
    name: object.name,
    namespace: object.namespace,
    acknowledgedReason,
  };
}

/** What is wrong with an acknowledgement, if anything: the finding id and the problem. */
function acknowledgementProblem(ack: Acknowledgement, refused: boolean, known: boolean, used: boolean, packs: PolicyPack[]): [string?, string?] {
  if (refused) {
    return [ACKNOWLEDGEMENT_FINDINGS.APP_WIDE,
      `refused: ${ack.ruleId} is an error-level rule and cannot be acknowledged for the whole app; acknowledge the chart or construct that needs it`];
  }
  if (!known) return [ACKNOWLEDGEMENT_FINDINGS.UNKNOWN_RULE, `unknown: none of the packs evaluated (${packs.map((p) => p.name).join(', ')}) holds ${ack.ruleId}`];
  if (!used) return [ACKNOWLEDGEMENT_FINDINGS.STALE, `stale: no ${ack.ruleId} finding under ${ack.scope}; remove it`];
  return [];
}

function acknowledgementFinding(ack: AcknowledgementUse, ruleId: string): Finding {
  const refused = ruleId === ACKNOWLEDGEMENT_FINDINGS.APP_WIDE;
  return {
    ruleId,
    severity: refused ? Severity.ERROR : Severity.WARNING,
    title: 'Acknowledgements accept exactly the findings they name',
    standard: 'cdk8s-hardened: acknowledgements',
    fix: refused ? 'Acknowledge the rule on the chart or construct that needs it, not on the App.'
      : 'Remove the acknowledgement, or correct its rule id or construct.',
    message: `the acknowledgement of ${ack.ruleId} ("${ack.reason}") is ${ack.problem}`,
    path: ack.scope,
    kind: '',
    name: '',
  };
}

function describe(f: Finding): string {
  return describeObject({ kind: f.kind, namespace: f.namespace, name: f.name } as PolicyObject);
}

/** `PriorityClass platform-high`, `Secret shop/db`. */
function describeObjectOf(object: PolicyObject): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

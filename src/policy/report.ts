import { AcknowledgementLookup } from './acknowledgement';
import { AnnotationAcknowledgements } from './acknowledgement-annotations';
import { ExpiryProblem, expiryProblem, isoDay, latestExpiry } from './acknowledgement-expiry';
import { PolicyPack } from './pack';
import { EvaluationFacts } from './rule-api/evaluation-facts';
import { fixText } from './rule-api/fix-text';
import { PolicyRule, RuleResult } from './rule-api/rule';
import { Severity } from './rule-api/severity';
import { scoreText } from './score-text';
import { printableLine } from '../core/printable';
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
  /**
   * The acknowledgement that accepts the finding (its reason, owner and expiry).
   * @default - not acknowledged
   */
  readonly acknowledgement?: Acknowledgement;
  /**
   * The acknowledgement that accepted the finding until it expired: the finding is reported again.
   * @default - none
   */
  readonly expiredAcknowledgement?: Acknowledgement;
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
  /**
   * Who answers for it.
   * @default - none
   */
  readonly owner?: string;
  /**
   * The last day it holds (`YYYY-MM-DD`); from the day after, its findings are reported again.
   * @default - it never expires
   */
  readonly expires?: string;
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
  /** An acknowledgement past its expiry date: the findings it accepted are reported again. */
  EXPIRED: 'ACK-EXPIRED',
  /** An acknowledgement that expires more than a year ahead, refused. */
  EXPIRY_TOO_FAR: 'ACK-EXPIRY-TOO-FAR',
};

/** The result of checking a set of objects against packs: findings, acknowledgements and scores. */
export class PolicyReport {
  /**
   * Checks the objects against the packs (each rule runs once, however many packs hold it). Acknowledgements come from
   * the lookup (`declared` lists them) and from the objects' own annotations; their expiry dates are judged against today.
   * @param constructHints whether the objects come from a cdk8s app, so that findings carry their rules' construct hints
   *   (false for plain YAML: `cdk8s-hardened check`)
   * @param today the day expiry dates are judged against, `YYYY-MM-DD`
   * @internal
   */
  public static _evaluate(objects: PolicyObject[], packs: PolicyPack[], acknowledged: AcknowledgementLookup,
    declared: Acknowledgement[] = [], prerequisites: PolicyObject[] = [], constructHints = true,
    today: string = isoDay(new Date())): PolicyReport {
    // Each rule instance runs once, however many packs hold it; packs at different Pod Security versions
    // hold different instances under the same id, and a finding they share is reported once.
    const rules = new Set<PolicyRule>();
    for (const pack of packs) for (const rule of pack.rules) rules.add(rule);
    const ruleIds = new Set([...rules].map((rule) => rule.id));
    const findings: Finding[] = [];
    const reported = new Set<string>();
    const uses = new Map<Acknowledgement, number>();
    const refused = new Set<Acknowledgement>();
    const annotated = new AnnotationAcknowledgements(objects);
    findings.push(...annotated.invalid);
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
        let acknowledgement = annotated.find(i, rule.id) ?? acknowledged(object, rule.id);
        let expired: Acknowledgement | undefined;
        // Errors are accepted construct by construct, never for everything the app will ever hold.
        if (acknowledgement?.appWide && rule.severity === Severity.ERROR) {
          refused.add(acknowledgement);
          acknowledgement = undefined;
        } else if (acknowledgement?.expires !== undefined) {
          // An expired acknowledgement no longer accepts: the finding is reported again, marked with it; one too far ahead is refused.
          const lapse = expiryProblem(acknowledgement.expires, today);
          if (lapse === ExpiryProblem.EXPIRED) expired = acknowledgement;
          if (lapse !== undefined) acknowledgement = undefined;
        }
        verdict[i] = Math.max(verdict[i], acknowledgement === undefined ? FAILED : ACKNOWLEDGED);
        const finding = toFinding(rule, object, result.message, acknowledgement, expired, constructHints);
        const key = `${finding.ruleId}\u0000${i}\u0000${finding.message}`;
        if (reported.has(key)) continue;
        reported.add(key);
        if (acknowledgement) uses.set(acknowledgement, (uses.get(acknowledgement) ?? 0) + 1);
        findings.push(finding);
      }
    }
    const acknowledgements = [...declared, ...annotated.all].map((ack): AcknowledgementUse => {
      const [id, problem] = acknowledgementProblem(ack, refused.has(ack), ruleIds.has(ack.ruleId), uses.has(ack), packs, today);
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

  /**
   * A human-readable report: scores, findings with their fixes (and construct hints), acknowledgements with their reasons.
   * Control characters, line separators and bidirectional overrides in what it quotes are written as escapes (`\n`, `\u001b`).
   */
  public toText(): string {
    const counts = `${this.errors.length} errors, ${this.warnings.length} warnings, ${this.acknowledged.length} acknowledged`;
    const lines = [`${this.objectCount} objects checked: ${counts}`];
    for (const s of this.scores) lines.push(`  ${s.pack}: ${scoreText(s)}`);
    for (const f of this.findings) {
      lines.push(`${f.severity.toUpperCase()} [${f.ruleId}] ${f.path} (${describe(f)}): ${f.message}`, `    fix: ${f.fix}`);
      if (f.constructFix) lines.push(`    with cdk8s-hardened: ${f.constructFix}`);
      if (f.expiredAcknowledgement) lines.push(`    ${expiredNote(f.expiredAcknowledgement)}`);
    }
    for (const f of this.acknowledged) {
      lines.push(`ACKNOWLEDGED [${f.ruleId}] ${f.path} (${describe(f)}): ${f.message}`, `    reason: ${f.acknowledgedReason}${terms(f.acknowledgement)}`);
    }
    if (this.prerequisites.length) lines.push(`expects from the cluster: ${this.prerequisites.join(', ')}`);
    if (this.acknowledgements.length) lines.push('acknowledgements:');
    for (const a of this.acknowledgements) {
      lines.push(`  ${a.ruleId} at ${a.scope}${a.appWide ? ' (whole app)' : ''}: ${a.problem ?? `${a.findings} finding${a.findings === 1 ? '' : 's'} accepted`} — ${a.reason}${terms(a)}`);
    }
    // Names, paths and messages come from the manifests: none of them may start a line of its own.
    return lines.map(printableLine).join('\n');
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
      message: { text: `${describe(f)}: ${f.message}${f.expiredAcknowledgement ? `; ${expiredNote(f.expiredAcknowledgement)}` : ''}` },
      locations: [{ logicalLocations: [{ fullyQualifiedName: f.path, kind: 'resource' }] }],
      ...suppressions(f),
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

function toFinding(rule: PolicyRule, object: PolicyObject, message: string | undefined, acknowledgement: Acknowledgement | undefined,
  expiredAcknowledgement: Acknowledgement | undefined, constructHints: boolean): Finding {
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
    acknowledgedReason: acknowledgement?.reason,
    ...(acknowledgement ? { acknowledgement } : {}),
    ...(expiredAcknowledgement ? { expiredAcknowledgement } : {}),
  };
}

/** What is wrong with an acknowledgement, if anything: the finding id and the problem. */
function acknowledgementProblem(ack: Acknowledgement, refused: boolean, known: boolean, used: boolean, packs: PolicyPack[],
  today: string): [string?, string?] {
  if (refused) {
    return [ACKNOWLEDGEMENT_FINDINGS.APP_WIDE,
      `refused: ${ack.ruleId} is an error-level rule and cannot be acknowledged for the whole app; acknowledge the chart or construct that needs it`];
  }
  const lapse = expiryProblem(ack.expires, today);
  if (lapse === ExpiryProblem.TOO_FAR) {
    return [ACKNOWLEDGEMENT_FINDINGS.EXPIRY_TOO_FAR, `refused: it expires ${ack.expires}, more than a year after today (${today}); `
      + `acknowledge for at most a year (expires on or before ${latestExpiry(today)}) and renew it when it comes due`];
  }
  if (lapse === ExpiryProblem.EXPIRED) {
    return [ACKNOWLEDGEMENT_FINDINGS.EXPIRED, `EXPIRED on ${ack.expires}${ack.owner ? ` (owner ${ack.owner})` : ''}: `
      + 'the findings it accepted are reported again; fix them, or renew it with a new expiry date'];
  }
  if (!known) return [ACKNOWLEDGEMENT_FINDINGS.UNKNOWN_RULE, `unknown: none of the packs evaluated (${packs.map((p) => p.name).join(', ')}) holds ${ack.ruleId}`];
  if (!used) return [ACKNOWLEDGEMENT_FINDINGS.STALE, `stale: no ${ack.ruleId} finding under ${ack.scope}; remove it`];
  return [];
}

function acknowledgementFinding(ack: AcknowledgementUse, ruleId: string): Finding {
  const refused = ruleId === ACKNOWLEDGEMENT_FINDINGS.APP_WIDE || ruleId === ACKNOWLEDGEMENT_FINDINGS.EXPIRY_TOO_FAR;
  const fixes: { [id: string]: string } = {
    [ACKNOWLEDGEMENT_FINDINGS.APP_WIDE]: 'Acknowledge the rule on the chart or construct that needs it, not on the App.',
    [ACKNOWLEDGEMENT_FINDINGS.EXPIRY_TOO_FAR]: 'Give the acknowledgement an expiry date at most a year ahead, and renew it when it comes due.',
    [ACKNOWLEDGEMENT_FINDINGS.EXPIRED]: 'Fix the findings, or renew the acknowledgement with a new expiry date (at most a year ahead).',
  };
  return {
    ruleId,
    severity: refused ? Severity.ERROR : Severity.WARNING,
    title: 'Acknowledgements accept exactly the findings they name',
    standard: 'cdk8s-hardened: acknowledgements',
    fix: fixes[ruleId] ?? 'Remove the acknowledgement, or correct its rule id or construct.',
    message: `the acknowledgement of ${ack.ruleId} ("${ack.reason}") is ${ack.problem}`,
    path: ack.scope,
    kind: '',
    name: '',
  };
}

/** ` (owner team-shop, expires 2027-03-01)`, or nothing. */
function terms(ack: Acknowledgement | undefined): string {
  const parts = [ack?.owner && `owner ${ack.owner}`, ack?.expires && `expires ${ack.expires}`].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** What a finding's expired acknowledgement said, for the reports. */
function expiredNote(ack: Acknowledgement): string {
  return `ACKNOWLEDGEMENT EXPIRED on ${ack.expires}${ack.owner ? ` (owner ${ack.owner})` : ''}: "${ack.reason}" — fix it, or renew the acknowledgement`;
}

/**
 * SARIF suppressions: an acknowledged finding's (accepted), an expired acknowledgement's (rejected: the result stands).
 * Owner and expiry go in its properties.
 */
function suppressions(f: Finding): { suppressions?: object[] } {
  const ack = f.acknowledgement ?? f.expiredAcknowledgement;
  if (!ack) return {};
  const properties = { ...(ack.owner ? { owner: ack.owner } : {}), ...(ack.expires ? { expires: ack.expires } : {}) };
  return {
    suppressions: [{
      kind: 'inSource',
      ...(f.acknowledgement ? {} : { status: 'rejected' }),
      justification: ack.reason,
      ...(Object.keys(properties).length ? { properties } : {}),
    }],
  };
}

function describe(f: Finding): string {
  return describeObject({ kind: f.kind, namespace: f.namespace, name: f.name } as PolicyObject);
}

/** `PriorityClass platform-high`, `Secret shop/db`. */
function describeObjectOf(object: PolicyObject): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

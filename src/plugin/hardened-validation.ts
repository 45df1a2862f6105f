import { readFileSync } from 'fs';
import { outputExpectations } from './output-expectations';
import { appliedObjects } from '../k8s/applied-objects';
import { describeObject, policyObject, PolicyObject } from '../k8s/policy-object';
import { parseKubernetesYaml } from '../parsers/kube-yaml';
import { manifestText } from '../parsers/manifest-bytes';
import { checkAcknowledgement, checkAcknowledgementTerms } from '../policy/acknowledgement';
import { checkExpiryHorizon, checkIsoDate, isoDay } from '../policy/acknowledgement-expiry';
import { Expectations, prerequisiteObjects } from '../policy/expectations';
import { PolicyPack } from '../policy/pack';
import { packsByName } from '../policy/pack-names';
import { Acknowledgement, Finding, PolicyReport } from '../policy/report';
import { fixText } from '../policy/rule-api/fix-text';
import { Severity } from '../policy/rule-api/severity';

/**
 * An acknowledged finding, declared in cdk8s.yaml. It covers the objects under a construct path; `kind`,
 * `namespace` and `name` narrow it to one object. The cdk8s CLI records construct paths by object name
 * only, so an object whose name another object of the output shares has no trustworthy path: the report
 * names it by its identity `Kind/namespace/name` (e.g. `Deployment/shop/web`), and it is covered by an
 * acknowledgement whose constructPath is that identity, or that names its kind, namespace (when it has one) and name.
 */
export interface ValidationAcknowledgement {
  /** The rule id. */
  readonly ruleId: string;
  /**
   * The construct path (or a prefix of it) of the objects the acknowledgement covers, or the identity
   * `Kind/namespace/name` the report shows for an object without a trustworthy path.
   */
  readonly constructPath: string;
  /** Why the finding is acceptable (at least 10 characters). */
  readonly reason: string;
  /**
   * The kind of the one object covered.
   * @default - any kind under the construct path
   */
  readonly kind?: string;
  /**
   * The namespace of the one object covered.
   * @default - any namespace under the construct path
   */
  readonly namespace?: string;
  /**
   * The name of the one object covered.
   * @default - any name under the construct path
   */
  readonly name?: string;
  /**
   * Who answers for the exception, e.g. "team-shop"; shown in the report.
   * @default - none
   */
  readonly owner?: string;
  /**
   * The last day it holds, `YYYY-MM-DD`, at most a year ahead; from the day after, its findings are reported again.
   * @default - it never expires
   */
  readonly expires?: string;
}

/** Properties of the cdk8s CLI validation plugin (the `properties:` of its entry in cdk8s.yaml). */
export interface HardenedValidationProps {
  /**
   * Names of the packs to apply: pss-baseline, pss-restricted, nsa-cisa, cis, cluster-fit, best-practices,
   * image-digests.
   * @default - pss-restricted, nsa-cisa, cis, cluster-fit and best-practices (the packs of PolicyPack.defaults())
   */
  readonly packs?: string[];
  /**
   * The Pod Security Standards version the pss-baseline and pss-restricted packs judge at ("v1.27" to
   * "v1.37", or "latest"): the `enforce-version` your namespaces pin.
   * @default "latest"
   */
  readonly podSecurityVersion?: string;
  /**
   * Fail on warnings too.
   * @default false
   */
  readonly failOnWarnings?: boolean;
  /**
   * Findings to accept, each with a reason.
   * @default - none
   */
  readonly acknowledgements?: ValidationAcknowledgement[];
  /**
   * The day expiry dates are judged against, `YYYY-MM-DD` (UTC): pin it to re-run an old build as it ran.
   * @default - the current day (UTC)
   */
  readonly today?: string;
}

const PROPS = ['packs', 'podSecurityVersion', 'failOnWarnings', 'acknowledgements', 'today'];
const ACKNOWLEDGEMENT_PROPS = ['ruleId', 'constructPath', 'reason', 'kind', 'namespace', 'name', 'owner', 'expires'];

/**
 * The policy engine as a cdk8s CLI validation plugin, so that `cdk8s synth` runs the same packs. In cdk8s.yaml:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-hardened
 *     version: 0.1.0
 *     class: HardenedValidation
 *     properties:
 *       packs: [pss-restricted, nsa-cisa, best-practices]
 * ```
 */
export class HardenedValidation {
  private readonly packs: PolicyPack[];
  private readonly failOnWarnings: boolean;
  private readonly acknowledgements: Array<Acknowledgement & ValidationAcknowledgement>;
  private readonly today: string;

  public constructor(props: HardenedValidationProps = {}) {
    checkProps(props);
    this.today = props.today === undefined ? isoDay(new Date()) : checkIsoDate('HardenedValidation', '"today"', props.today);
    this.packs = packsByName('HardenedValidation', '"packs"', props.packs, props.podSecurityVersion);
    this.failOnWarnings = props.failOnWarnings ?? false;
    const ruleIds = new Set(this.packs.flatMap((pack) => pack.rules.map((rule) => rule.id)));
    this.acknowledgements = (props.acknowledgements ?? []).map((ack, i) => {
      const where = `HardenedValidation: acknowledgements[${i}]`;
      for (const key of Object.keys(ack)) {
        if (!ACKNOWLEDGEMENT_PROPS.includes(key)) throw new Error(`${where}: unknown key ${JSON.stringify(key)}; use ${ACKNOWLEDGEMENT_PROPS.join(', ')}`);
      }
      const reason = checkAcknowledgement(where, ack.ruleId, ack.reason);
      const terms = checkAcknowledgementTerms(where, ack.owner, ack.expires);
      checkExpiryHorizon(where, terms.expires, this.today);
      if (!ruleIds.has(ack.ruleId)) {
        throw new Error(`${where}: unknown rule id ${JSON.stringify(ack.ruleId)}: none of the packs ${this.packs.map((p) => p.name).join(', ')} holds it`);
      }
      for (const key of ['constructPath', 'kind', 'namespace', 'name'] as const) {
        if (ack[key] !== undefined && (typeof ack[key] !== 'string' || ack[key] === '')) {
          throw new Error(`${where}: ${key} must be a non-empty string, got ${JSON.stringify(ack[key])}`);
        }
      }
      if (ack.constructPath === undefined) throw new Error(`${where}: constructPath is required (the path shown in the finding, e.g. "shop/web")`);
      const identity = describeObject({ kind: ack.kind ?? '', namespace: ack.namespace, name: ack.name ?? '' } as PolicyObject);
      return {
        ruleId: ack.ruleId,
        reason,
        scope: identity ? `${ack.constructPath} ${identity}` : ack.constructPath,
        appWide: false,
        constructPath: ack.constructPath,
        kind: ack.kind,
        namespace: ack.namespace,
        name: ack.name,
        ...terms,
      };
    });
  }

  /**
   * Checks the synthesized manifests and reports violations, grouped by rule, to the CLI. When the app wrote an
   * expectations file beside them (`HardenedApp.synth`), what it declares is known to be in the cluster, and objects
   * that share a name are shown and acknowledged by their own construct paths.
   * @param context the cdk8s CLI validation context
   */
  public async validate(context: any): Promise<void> {
    const expected = outputExpectations(context.manifests);
    const read = readObjects(context.manifests, context.metadata ?? {}, expected?.expectations);
    const pathKnown = new Set(read.filter((o) => o.shownAs !== undefined).map((o) => o.object));
    const key = (f: { path: string; kind: string; namespace?: string; name: string }) => `${f.path}|${f.kind}|${f.namespace ?? ''}|${f.name}`;
    const fileOf = new Map(read.map(({ object, file }) => [key(object), file]));
    const shownAs = new Map(read.map((o) => [key(o.object), o.shownAs ?? o.object.path]));
    const report = PolicyReport._evaluate(read.map((o) => o.object), this.packs,
      (object, ruleId) => this.acknowledgements.find((a) => a.ruleId === ruleId && covers(a, object, pathKnown.has(object))),
      this.acknowledgements, expected ? prerequisiteObjects(expected.expectations) : [], true, this.today);

    const byRule = new Map<string, Finding[]>();
    for (const finding of report.findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
    for (const [ruleId, findings] of byRule) {
      const first = findings[0];
      context.report.addViolation({
        ruleName: `${ruleId} (${first.severity})`,
        recommendation: `${first.title} — ${first.standard}`,
        fix: fixText(first),
        // The CLI shows the construct path it recorded for resourceName (by object name): the name where that path is the
        // object's own, else a name for which no path is recorded (so that no other path is shown): the identity
        // (Kind/namespace/name), with the construct path from the expectations file when there is one.
        violatingResources: findings.map((f) => ({
          resourceName: shownAs.get(key(f)) ?? f.path,
          locations: [f.message, ...expiredNote(f)],
          manifestPath: fileOf.get(key(f)) ?? '',
        })),
      });
    }
    const failing = report.findings.filter((f) => this.failOnWarnings || f.severity === Severity.ERROR);
    const scores = Object.fromEntries(report.scores.map((s) => [`score ${s.pack}`,
      s.score === undefined ? 'not applicable (no objects it judges)' : `${(s.score * 100).toFixed(1)}% (${s.passed}/${s.applicable})`]));
    context.report.submit(failing.length ? 'failure' : 'success', {
      ...scores,
      acknowledged: report.acknowledged.map((f) => `${f.ruleId} ${f.path}: ${f.acknowledgedReason}${ownerAndExpiry(f)}`).join('; ') || 'none',
      ...(expected ? { 'expects from the cluster': `${report.prerequisites.join(', ') || 'nothing'} (${expected.file})` } : {}),
    });
  }
}

/** One object of the synthesized manifests, with the file it is in and how the report names it. */
interface ReadObject {
  readonly object: PolicyObject;
  readonly file: string;
  /**
   * The resource name the report gives it, when its path is its construct path: its name (the CLI shows the path it
   * recorded for it), or `Kind/namespace/name at path` (a path from the expectations file, which the CLI does not know).
   * Undefined when its path is its identity.
   */
  readonly shownAs?: string;
}

/**
 * The objects of the manifest files as kubectl applies them (parsers/kube-yaml, lists expanded). The CLI records
 * construct paths by object name only (the last object of a name wins), so a path is an object's own only where no
 * other object has its name; any other object's path is the one the expectations file gives its identity (when
 * exactly one entry has it), else its identity, `Kind/namespace/name`.
 */
function readObjects(manifests: string[], metadata: { [name: string]: { path?: string } | undefined }, expectations?: Expectations): ReadObject[] {
  const read = manifests.flatMap((file) => parseKubernetesYaml(manifestText(readFileSync(file)), file).flatMap((document, d) => {
    try {
      return appliedObjects(document).map(({ manifest }) => ({ manifest, file }));
    } catch (e) {
      throw new Error(`${file}: document ${d + 1}: ${(e as Error).message}`);
    }
  }));
  const names = new Map<string, number>();
  for (const { manifest } of read) names.set(nameOf(manifest), (names.get(nameOf(manifest)) ?? 0) + 1);
  const expectedPaths = new Map<string, string | undefined>();
  for (const e of expectations?.objects ?? []) {
    const identity = describeObject(e as unknown as PolicyObject);
    expectedPaths.set(identity, expectedPaths.has(identity) ? undefined : e.path);
  }
  return read.map(({ manifest, file }) => {
    const identity = describeObject(policyObject(manifest, ''));
    const recorded = names.get(nameOf(manifest)) === 1 ? metadata[nameOf(manifest)]?.path : undefined;
    const expected = expectedPaths.get(identity);
    if (recorded !== undefined) return { object: policyObject(manifest, recorded), file, shownAs: nameOf(manifest) };
    if (expected !== undefined) return { object: policyObject(manifest, expected), file, shownAs: `${identity} at ${expected}` };
    return { object: policyObject(manifest, identity), file };
  });
}

/** ` (owner team-shop, expires 2027-03-01)`, or nothing. */
function ownerAndExpiry(f: Finding): string {
  const parts = [f.acknowledgement?.owner && `owner ${f.acknowledgement.owner}`, f.acknowledgement?.expires && `expires ${f.acknowledgement.expires}`];
  return parts.some(Boolean) ? ` (${parts.filter(Boolean).join(', ')})` : '';
}

/** The location line of a finding whose acknowledgement expired: what it said, who owns it, and when it expired. */
function expiredNote(f: Finding): string[] {
  const ack = f.expiredAcknowledgement;
  return ack ? [`ACKNOWLEDGEMENT EXPIRED on ${ack.expires}${ack.owner ? ` (owner ${ack.owner})` : ''}: "${ack.reason}"`] : [];
}

function nameOf(manifest: any): string {
  return typeof manifest.metadata?.name === 'string' ? manifest.metadata.name : '';
}

/**
 * Whether an acknowledgement covers an object: by construct path and, where given, by identity. An object without a
 * trustworthy path is covered by its identity, given as the path (as the report shows it) or as kind, namespace and name.
 */
function covers(ack: ValidationAcknowledgement, object: PolicyObject, pathKnown: boolean): boolean {
  if (ack.kind !== undefined && ack.kind !== object.kind) return false;
  if (ack.namespace !== undefined && ack.namespace !== object.namespace) return false;
  if (ack.name !== undefined && ack.name !== object.name) return false;
  // Without a trustworthy path, only an acknowledgement naming this very object covers it.
  if (!pathKnown) {
    return ack.constructPath === object.path
      || (ack.kind !== undefined && ack.name !== undefined && (object.namespace === undefined || ack.namespace !== undefined));
  }
  return object.path === ack.constructPath || object.path.startsWith(`${ack.constructPath}/`);
}

/** cdk8s.yaml is not type-checked: refuse what the types would have refused. */
function checkProps(props: HardenedValidationProps): void {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw new Error(`HardenedValidation: properties must be a mapping, got ${JSON.stringify(props)}`);
  }
  for (const key of Object.keys(props)) {
    if (!PROPS.includes(key)) throw new Error(`HardenedValidation: unknown property ${JSON.stringify(key)}; use ${PROPS.join(', ')}`);
  }
  if (props.packs !== undefined && (!Array.isArray(props.packs) || props.packs.some((p) => typeof p !== 'string'))) {
    throw new Error(`HardenedValidation: "packs" must be a list of pack names, got ${JSON.stringify(props.packs)}; e.g. packs: [pss-restricted, nsa-cisa]`);
  }
  if (props.podSecurityVersion !== undefined && typeof props.podSecurityVersion !== 'string') {
    throw new Error(`HardenedValidation: "podSecurityVersion" must be a string such as "v1.33", got ${JSON.stringify(props.podSecurityVersion)}`);
  }
  if (props.today !== undefined && typeof props.today !== 'string') {
    throw new Error(`HardenedValidation: "today" must be a date such as "2026-03-01", got ${JSON.stringify(props.today)}`);
  }
  if (props.failOnWarnings !== undefined && typeof props.failOnWarnings !== 'boolean') {
    throw new Error(`HardenedValidation: "failOnWarnings" must be true or false, got ${JSON.stringify(props.failOnWarnings)}`);
  }
  if (props.acknowledgements !== undefined && (!Array.isArray(props.acknowledgements)
    || props.acknowledgements.some((a) => a === null || typeof a !== 'object' || Array.isArray(a)))) {
    throw new Error('HardenedValidation: "acknowledgements" must be a list of mappings with ruleId, constructPath and reason');
  }
}

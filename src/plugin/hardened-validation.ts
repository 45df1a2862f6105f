import { describeObject, policyObject, PolicyObject } from '../k8s/policy-object';
import { checkAcknowledgement } from '../policy/acknowledgement';
import { PolicyPack } from '../policy/pack';
import { packsByName } from '../policy/pack-names';
import { Acknowledgement, Finding, PolicyReport } from '../policy/report';
import { Severity } from '../policy/rule-api/severity';

/**
 * An acknowledged finding, declared in cdk8s.yaml. It covers the objects under a construct path; `kind`,
 * `namespace` and `name` narrow it to one object. The cdk8s CLI records construct paths by object name
 * only, so an object whose name another object of the output shares has no trustworthy path: it is
 * covered only by an acknowledgement that names its kind, namespace (when it has one) and name.
 */
export interface ValidationAcknowledgement {
  /** The rule id. */
  readonly ruleId: string;
  /** The construct path (or a prefix of it) of the objects the acknowledgement covers. */
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
}

const PROPS = ['packs', 'podSecurityVersion', 'failOnWarnings', 'acknowledgements'];
const ACKNOWLEDGEMENT_PROPS = ['ruleId', 'constructPath', 'reason', 'kind', 'namespace', 'name'];

/**
 * The policy engine as a cdk8s CLI validation plugin, so that `cdk8s synth` runs the same packs:
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

  public constructor(props: HardenedValidationProps = {}) {
    checkProps(props);
    this.packs = packsByName('HardenedValidation', '"packs"', props.packs, props.podSecurityVersion);
    this.failOnWarnings = props.failOnWarnings ?? false;
    const ruleIds = new Set(this.packs.flatMap((pack) => pack.rules.map((rule) => rule.id)));
    this.acknowledgements = (props.acknowledgements ?? []).map((ack, i) => {
      const where = `HardenedValidation: acknowledgements[${i}]`;
      for (const key of Object.keys(ack)) {
        if (!ACKNOWLEDGEMENT_PROPS.includes(key)) throw new Error(`${where}: unknown key ${JSON.stringify(key)}; use ${ACKNOWLEDGEMENT_PROPS.join(', ')}`);
      }
      const reason = checkAcknowledgement(where, ack.ruleId, ack.reason);
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
      };
    });
  }

  /**
   * Checks the synthesized manifests and reports violations, grouped by rule, to the CLI.
   * @param context the cdk8s CLI validation context
   */
  public async validate(context: any): Promise<void> {
    const manifestOf = new Map<string, string>();
    const where = (f: { path: string; kind: string; namespace?: string; name: string }) => `${f.path}|${f.kind}|${f.namespace ?? ''}|${f.name}`;
    const parsed: Array<{ manifest: any; file: string }> = [];
    const names = new Map<string, number>();
    for (const manifestPath of context.manifests as string[]) {
      for (const manifest of context.parseManifest(manifestPath) as any[]) {
        if (!manifest?.kind) continue;
        const name = manifest.metadata?.name ?? '';
        names.set(name, (names.get(name) ?? 0) + 1);
        parsed.push({ manifest, file: manifestPath });
      }
    }
    const objects: PolicyObject[] = [];
    const pathKnown = new Set<PolicyObject>();
    for (const { manifest, file } of parsed) {
      const name = manifest.metadata?.name ?? '';
      // The CLI's metadata is keyed by object name: a path is trustworthy only for a name no other object has.
      const recorded = names.get(name) === 1 ? context.metadata?.[name]?.path : undefined;
      const object = policyObject(manifest, recorded ?? `${describeObject(policyObject(manifest, ''))}`);
      if (recorded) pathKnown.add(object);
      manifestOf.set(where(object), file);
      objects.push(object);
    }
    const report = PolicyReport._evaluate(objects, this.packs,
      (object, ruleId) => this.acknowledgements.find((a) => a.ruleId === ruleId && covers(a, object, pathKnown.has(object))),
      this.acknowledgements);

    const byRule = new Map<string, Finding[]>();
    for (const finding of report.findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
    for (const [ruleId, findings] of byRule) {
      const first = findings[0];
      context.report.addViolation({
        ruleName: `${ruleId} (${first.severity})`,
        recommendation: `${first.title} — ${first.standard}`,
        fix: first.fix,
        violatingResources: findings.map((f) => ({
          resourceName: f.name,
          locations: [f.message],
          manifestPath: manifestOf.get(where(f)) ?? '',
        })),
      });
    }
    const failing = report.findings.filter((f) => this.failOnWarnings || f.severity === Severity.ERROR);
    const scores = Object.fromEntries(report.scores.map((s) => [`score ${s.pack}`, `${(s.score * 100).toFixed(1)}% (${s.passed}/${s.applicable})`]));
    context.report.submit(failing.length ? 'failure' : 'success', {
      ...scores,
      acknowledged: report.acknowledged.map((f) => `${f.ruleId} ${f.path}: ${f.acknowledgedReason}`).join('; ') || 'none',
    });
  }
}

/** Whether an acknowledgement covers an object: by construct path and, where given, by identity. */
function covers(ack: ValidationAcknowledgement, object: PolicyObject, pathKnown: boolean): boolean {
  if (ack.kind !== undefined && ack.kind !== object.kind) return false;
  if (ack.namespace !== undefined && ack.namespace !== object.namespace) return false;
  if (ack.name !== undefined && ack.name !== object.name) return false;
  // Without a trustworthy path, only an acknowledgement naming this very object covers it.
  if (!pathKnown) return ack.kind !== undefined && ack.name !== undefined && (object.namespace === undefined || ack.namespace !== undefined);
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
  if (props.failOnWarnings !== undefined && typeof props.failOnWarnings !== 'boolean') {
    throw new Error(`HardenedValidation: "failOnWarnings" must be true or false, got ${JSON.stringify(props.failOnWarnings)}`);
  }
  if (props.acknowledgements !== undefined && (!Array.isArray(props.acknowledgements)
    || props.acknowledgements.some((a) => a === null || typeof a !== 'object' || Array.isArray(a)))) {
    throw new Error('HardenedValidation: "acknowledgements" must be a list of mappings with ruleId, constructPath and reason');
  }
}

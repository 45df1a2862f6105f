import { PolicyPack } from '../policy/pack';
import { policyObject, PolicyObject } from '../policy/policy-object';
import { Finding, PolicyReport } from '../policy/report';
import { PolicyRule } from '../policy/rule';
import { Severity } from '../policy/severity';

/** An acknowledged finding, declared in cdk8s.yaml. */
export interface ValidationAcknowledgement {
  /** The rule id. */
  readonly ruleId: string;
  /** The construct path (or a prefix of it) of the objects the acknowledgement covers. */
  readonly constructPath: string;
  /** Why the finding is acceptable (at least 10 characters). */
  readonly reason: string;
}

/** Properties of the cdk8s CLI validation plugin (the `properties:` of its entry in cdk8s.yaml). */
export interface HardenedValidationProps {
  /**
   * Names of the packs to apply: pss-baseline, pss-restricted, nsa-cisa, best-practices, image-digests.
   * @default - pss-restricted, nsa-cisa and best-practices
   */
  readonly packs?: string[];
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

const PACKS_BY_NAME = new Map([
  PolicyPack.BASELINE, PolicyPack.RESTRICTED, PolicyPack.NSA_CISA, PolicyPack.BEST_PRACTICES, PolicyPack.IMAGE_DIGESTS,
].map((pack) => [pack.name, pack]));

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
  private readonly acknowledgements: ValidationAcknowledgement[];

  public constructor(props: HardenedValidationProps = {}) {
    this.packs = (props.packs ?? PolicyPack.defaults().map((p) => p.name)).map((name) => {
      const pack = PACKS_BY_NAME.get(name);
      if (!pack) throw new Error(`HardenedValidation: unknown pack ${JSON.stringify(name)}; use one of ${[...PACKS_BY_NAME.keys()].join(', ')}`);
      return pack;
    });
    this.failOnWarnings = props.failOnWarnings ?? false;
    this.acknowledgements = props.acknowledgements ?? [];
    for (const ack of this.acknowledgements) {
      if (!PolicyRule.find(ack.ruleId)) throw new Error(`HardenedValidation: unknown rule id ${JSON.stringify(ack.ruleId)} in acknowledgements`);
      if ((ack.reason ?? '').trim().length < 10) {
        throw new Error(`HardenedValidation: the acknowledgement of ${ack.ruleId} for ${ack.constructPath} needs a reason of at least 10 characters`);
      }
    }
  }

  /**
   * Checks the synthesized manifests and reports violations, grouped by rule, to the CLI.
   * @param context the cdk8s CLI validation context
   */
  public async validate(context: any): Promise<void> {
    const manifestOf = new Map<string, string>();
    const key = (kind: string, name: string, path: string) => `${kind}|${name}|${path}`;
    const objects: PolicyObject[] = [];
    for (const manifestPath of context.manifests as string[]) {
      for (const manifest of context.parseManifest(manifestPath) as any[]) {
        if (!manifest?.kind) continue;
        const name = manifest.metadata?.name ?? '';
        const object = policyObject(manifest, context.metadata?.[name]?.path ?? `${manifest.kind}/${name}`);
        manifestOf.set(key(object.kind, object.name, object.path), manifestPath);
        objects.push(object);
      }
    }
    const report = PolicyReport._evaluate(objects, this.packs, (object, ruleId) => this.acknowledgements
      .find((a) => a.ruleId === ruleId && (object.path === a.constructPath || object.path.startsWith(`${a.constructPath}/`)))?.reason);

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
          manifestPath: manifestOf.get(key(f.kind, f.name, f.path)) ?? '',
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

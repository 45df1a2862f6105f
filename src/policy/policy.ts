import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PolicyPack } from './pack';
import { policyObject, PolicyObject } from './policy-object';
import { PolicyReport } from './report';
import { PolicyRule } from './rule';

const ACKNOWLEDGEMENT = 'cdk8s-hardened:acknowledge';
const MIN_REASON_LENGTH = 10;

/** Options of {@link Policy.enforce} and {@link Policy.report}. */
export interface PolicyOptions {
  /**
   * The packs to check against.
   * @default - PolicyPack.RESTRICTED, PolicyPack.NSA_CISA and PolicyPack.BEST_PRACTICES
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
}

/**
 * The policy engine: checks every object synthesized under a scope (ours, cdk8s-plus objects and raw
 * ApiObjects alike) against rule packs.
 */
export class Policy {
  /**
   * Makes `app.synth()` fail with every error-level finding (rule id, construct path, object, fix).
   * Warnings are printed, and fail only with `failOnWarnings`.
   *
   * @param scope an App or a Chart
   */
  public static enforce(scope: IConstruct, options: PolicyOptions = {}): void {
    scope.node.addValidation({
      validate: () => {
        const report = evaluate(scope, options, true);
        const failing = options.failOnWarnings ? report.findings : report.errors;
        if (options.printWarnings ?? true) {
          for (const f of report.findings.filter((x) => !failing.includes(x))) {
            process.stderr.write(`cdk8s-hardened: WARNING [${f.ruleId}] ${f.path} (${f.kind}/${f.name}): ${f.message}; fix: ${f.fix}\n`);
          }
        }
        return failing.map((f) => `[${f.ruleId}] ${f.path} (${f.kind}/${f.name}): ${f.message}. Fix: ${f.fix} `
          + `(or Policy.acknowledge(construct, '${f.ruleId}', reason))`);
      },
    });
  }

  /**
   * Accepts the findings of one rule for every object under a construct. The reason (at least 10
   * characters) is shown in every report.
   */
  public static acknowledge(construct: IConstruct, ruleId: string, reason: string): void {
    const where = `Policy.acknowledge ${construct.node.path || '(app)'}`;
    if (!PolicyRule.find(ruleId)) {
      throw new Error(`${where}: unknown rule id ${JSON.stringify(ruleId)}; use one of ${PolicyRule.knownIds().join(', ')}`);
    }
    if ((reason ?? '').trim().length < MIN_REASON_LENGTH) {
      throw new Error(`${where}: acknowledging ${ruleId} needs a reason of at least ${MIN_REASON_LENGTH} characters; say why the finding is acceptable`);
    }
    construct.node.addMetadata(ACKNOWLEDGEMENT, { ruleId, reason: reason.trim() }, { stackTrace: false });
  }

  /** Checks everything under the scope and returns findings, acknowledgements and scores per pack. */
  public static report(scope: IConstruct, options: PolicyOptions = {}): PolicyReport {
    return evaluate(scope, options, false);
  }

  private constructor() {}
}

/**
 * Serializes every ApiObject under the scope and checks the manifests. At synth (`handOverToSynth`), each
 * object's next `toJson()` returns the manifest just computed instead of serializing it a second time:
 * validation runs right before synthesis, and serializing is most of the cost of both.
 */
function evaluate(scope: IConstruct, options: PolicyOptions, handOverToSynth: boolean): PolicyReport {
  const owners = new Map<PolicyObject, ApiObject>();
  const objects: PolicyObject[] = [];
  for (const construct of scope.node.findAll()) {
    if (!(construct instanceof ApiObject)) continue;
    const manifest = construct.toJson();
    if (handOverToSynth) reuseOnce(construct, manifest);
    const object = policyObject(manifest, construct.node.path);
    owners.set(object, construct);
    objects.push(object);
  }
  return PolicyReport._evaluate(objects, options.packs ?? PolicyPack.defaults(), (object, ruleId) => {
    const owner = owners.get(object);
    return owner ? acknowledgementOf(owner, ruleId) : undefined;
  });
}

/** The object's next toJson() returns this manifest (rules only read manifests, and so does synth). */
function reuseOnce(apiObject: ApiObject, manifest: any): void {
  Object.defineProperty(apiObject, 'toJson', {
    configurable: true,
    value: () => {
      delete (apiObject as any).toJson;
      return manifest;
    },
  });
}

function acknowledgementOf(construct: IConstruct, ruleId: string): string | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const entry = scope.node.metadata.find((m) => m.type === ACKNOWLEDGEMENT && m.data.ruleId === ruleId);
    if (entry) return entry.data.reason;
  }
  return undefined;
}


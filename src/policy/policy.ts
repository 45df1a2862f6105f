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
        // A failed validation stops the synth: nothing must reuse what it serialized.
        if (failing.length) releaseHandOver(scope);
        // cdk8s validates twice per synth and the second pass reuses the report: print its warnings once.
        if ((options.printWarnings ?? true) && !printedReports.has(report)) {
          printedReports.add(report);
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

// Reports whose warnings were printed.
const printedReports = new WeakSet<PolicyReport>();
// Manifests serialized by a validation and not yet taken by the synth that follows it.
const handedOver = new WeakMap<ApiObject, any>();
// The last report per scope and option set, with the manifests it judged.
const lastReports = new WeakMap<IConstruct, Map<PolicyOptions, { manifests: any[]; report: PolicyReport }>>();

/**
 * Serializes every ApiObject under the scope and checks the manifests. At synth (`handOverToSynth`) the
 * manifests are handed to the synth that follows, so that each object is serialized once: cdk8s
 * validates the app twice per synth (App.synth, then each chart's toJson), and the second validation
 * finds the same manifests and reuses the first report.
 */
function evaluate(scope: IConstruct, options: PolicyOptions, handOverToSynth: boolean): PolicyReport {
  const apiObjects: ApiObject[] = [];
  const manifests: any[] = [];
  for (const construct of scope.node.findAll()) {
    if (!(construct instanceof ApiObject)) continue;
    // Outside synth, serialize afresh with the class's own toJson (a handed-over manifest may be waiting).
    const manifest = handOverToSynth
      ? handedOver.get(construct) ?? construct.toJson()
      : Object.getPrototypeOf(construct).toJson.call(construct);
    if (handOverToSynth) handOver(construct, manifest);
    apiObjects.push(construct);
    manifests.push(manifest);
  }
  const previous = lastReports.get(scope)?.get(options);
  if (previous && previous.manifests.length === manifests.length && previous.manifests.every((m, i) => m === manifests[i])) {
    return previous.report;
  }
  const objects = manifests.map((manifest, i) => new ConstructPolicyObject(manifest, apiObjects[i]));
  const report = PolicyReport._evaluate(objects, options.packs ?? PolicyPack.defaults(), (object, ruleId) =>
    object instanceof ConstructPolicyObject ? acknowledgementOf(object.owner, ruleId) : undefined);
  if (handOverToSynth) {
    if (!lastReports.has(scope)) lastReports.set(scope, new Map());
    lastReports.get(scope)!.set(options, { manifests, report });
  }
  return report;
}

/** A synthesized object of the scope; its construct path, only needed for findings, is computed on demand. */
class ConstructPolicyObject implements PolicyObject {
  public readonly apiVersion: string;
  public readonly kind: string;
  public readonly name: string;
  public readonly namespace?: string;

  constructor(public readonly manifest: any, public readonly owner: ApiObject) {
    ({ apiVersion: this.apiVersion, kind: this.kind, name: this.name, namespace: this.namespace } = policyObject(manifest, ''));
  }

  public get path(): string {
    return this.owner.node.path;
  }
}

/** Forgets the manifests handed over under the scope. */
function releaseHandOver(scope: IConstruct): void {
  for (const construct of scope.node.findAll()) {
    if (construct instanceof ApiObject) handedOver.delete(construct);
  }
  lastReports.delete(scope);
}

/** The object's next toJson() returns this manifest (rules only read manifests, and so does synth). */
function handOver(apiObject: ApiObject, manifest: any): void {
  if (!handedOver.has(apiObject) && !Object.prototype.hasOwnProperty.call(apiObject, 'toJson')) {
    const serialize = Object.getPrototypeOf(apiObject).toJson;
    // An own property that stays: deleting it would slow every later property access on the object.
    Object.defineProperty(apiObject, 'toJson', {
      configurable: true,
      writable: true,
      value: () => {
        const waiting = handedOver.get(apiObject);
        if (waiting === undefined) return serialize.call(apiObject);
        handedOver.delete(apiObject);
        return waiting;
      },
    });
  }
  handedOver.set(apiObject, manifest);
}

function acknowledgementOf(construct: IConstruct, ruleId: string): string | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const entry = scope.node.metadata.find((m) => m.type === ACKNOWLEDGEMENT && m.data.ruleId === ruleId);
    if (entry) return entry.data.reason;
  }
  return undefined;
}

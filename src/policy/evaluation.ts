import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConstructAcknowledgements } from './acknowledgement';
import { prerequisitesIn } from './declared-prerequisites';
import { PolicyPack } from './pack';
import { PolicyReport } from './report';
import { EvaluatedObject } from '../k8s/evaluated-object';

/** What the engine is asked to check: the packs, and the day expiries are judged on (the rest of PolicyOptions is about enforcement). */
export interface EvaluationOptions {
  readonly packs?: PolicyPack[];
  readonly today?: string;
}

/** The manifest of an object: serialized by its own `toJson()`, unless a synth already did. */
export type ManifestOf = (apiObject: ApiObject) => any;

/**
 * Checks the manifests of every ApiObject under the scope: serialized with their own toJson, or taken from
 * `manifestOf` (a HardenedApp synth hands over the manifests it serialized for its output).
 * @internal
 */
export function evaluate(scope: IConstruct, options: EvaluationOptions, manifestOf: ManifestOf = (o) => o.toJson()):
{ report: PolicyReport; objects: ConstructPolicyObject[] } {
  const objects: ConstructPolicyObject[] = [];
  for (const construct of scope.node.findAll()) {
    if (!(construct instanceof ApiObject)) continue;
    objects.push(new ConstructPolicyObject(manifestOf(construct), construct));
  }
  const acknowledgements = new ConstructAcknowledgements(scope);
  const report = PolicyReport._evaluate(objects, options.packs ?? PolicyPack.defaults(), (object, ruleId) =>
    object instanceof ConstructPolicyObject ? acknowledgements.find(object.owner, ruleId) : undefined, acknowledgements.all, prerequisitesIn(scope),
  true, options.today);
  return { report, objects };
}

/**
 * A synthesized object of the scope; its construct path, only needed for findings, is computed on demand.
 * @internal
 */
export class ConstructPolicyObject extends EvaluatedObject {
  constructor(manifest: any, public readonly owner: ApiObject) {
    super(manifest, '');
  }

  public get path(): string {
    return this.owner.node.path;
  }
}

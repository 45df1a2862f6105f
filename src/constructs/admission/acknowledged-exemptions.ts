import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { descendantKinds, kindIn } from './pod-spec-variables';
import { celString } from '../../k8s/cel-literals';
import { podViewOf } from '../../k8s/pod-view';
import { policyObject } from '../../k8s/policy-object';
import { ConstructAcknowledgements } from '../../policy/acknowledgement';
import { AdmissionTarget } from '../../policy/rule-api/admission-check';
import { PolicyRule } from '../../policy/rule-api/rule';

/** What an acknowledgement becomes in the cluster: objects a policy lets through, in CEL, and in words. */
export interface Exemption {
  /** CEL that is true for the exempted objects. */
  readonly condition: string;
  /** The objects, the acknowledgement and its reason, for the policy's annotation. */
  readonly description: string;
}

/** The exemptions of one rule, and the acknowledgements that cannot be narrowed to the same objects in the cluster. */
export interface RuleExemptions {
  readonly exemptions: Exemption[];
  readonly problems: string[];
}

/**
 * The acknowledgements of a rule in the app, as exemptions the API server can apply: each object that
 * breaks the rule under an acknowledgement (the objects synth accepted because of it), matched by kind,
 * namespace and name, and the objects its controllers create from it (ReplicaSets, Jobs, Pods) by the
 * prefix of `metadata.name` (never `generateName`) and every label of its pod template. Never more: an
 * acknowledgement that cannot be narrowed that way (no namespace, a pod template without labels) is a problem,
 * not a wider exemption.
 */
export function acknowledgedExemptions(
  root: IConstruct, acknowledgements: ConstructAcknowledgements, rule: PolicyRule, skip: IConstruct,
): RuleExemptions {
  const exemptions: Exemption[] = [];
  const problems: string[] = [];
  if (acknowledgements.all.length === 0) return { exemptions, problems };
  for (const construct of root.node.findAll()) {
    if (!(construct instanceof ApiObject) || construct.node.scopes.includes(skip)) continue;
    const acknowledgement = acknowledgements.find(construct, rule.id);
    if (!acknowledgement) continue;
    const manifest = construct.toJson();
    const object = policyObject(manifest, construct.node.path);
    // Only the objects that break the rule: those that comply need no exemption.
    if (!rule.evaluate([object]).some((result) => !result.compliant)) continue;
    const what = `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
    const reason = `acknowledged on ${acknowledgement.scope}: ${acknowledgement.reason}`;
    if (object.namespace === undefined) {
      problems.push(`${rule.id} is acknowledged for ${what} (${acknowledgement.scope}), which has no namespace, so no binding can name it alone; `
        + 'give its chart a namespace');
      continue;
    }
    const self = `${kindIn([object.kind])} && object.metadata.name == ${celString(object.name)}`;
    const descendants = rule.admission.target === AdmissionTarget.POD_SPEC ? descendantKinds(object.kind) : [];
    const labels = Object.entries(podViewOf(manifest)?.labels ?? {});
    if (descendants.length > 0 && labels.length === 0) {
      problems.push(`${rule.id} is acknowledged for ${what} (${acknowledgement.scope}), whose pod template has no labels, so the pods its `
        + 'controller creates cannot be told apart from others; label the pod template');
      continue;
    }
    const alternatives = [self];
    let description = what;
    if (descendants.length > 0) {
      // By metadata.name only: validating admission sees the name the API server generated from generateName (the
      // registry names the object before it runs the validators), and an explicit name wins over generateName, so a
      // pod named anything with generateName: <name>- would otherwise claim the exemption. No name: no exemption.
      const named = `object.metadata.?name.orValue('').startsWith(${celString(`${object.name}-`)})`;
      const labelled = labels.map(([key, value]) => `variables.podLabels[?${celString(key)}].orValue('') == ${celString(value)}`).join(' && ');
      alternatives.push(`${kindIn(descendants)} && ${named} && ${labelled}`);
      description += ` and the ${descendants.join('s, ')}s named ${object.name}-… labelled ${labels.map(([k, v]) => `${k}=${v}`).join(',')}`;
    }
    exemptions.push({
      condition: `request.namespace == ${celString(object.namespace)} && (${alternatives.map((a) => `(${a})`).join(' || ')})`,
      description: `${description} (${reason})`,
    });
  }
  return { exemptions, problems };
}

import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { acknowledgedExemptions, RuleExemptions } from './acknowledged-exemptions';
import { AdmissionAction, checkAdmissionAction } from './admission-action';
import { POD_SPEC_RESOURCES, specChangedCondition, variablesNeeded } from './pod-spec-variables';
import { inputError, quote } from '../../core/errors';
import { recommendedLabels } from '../../core/labels';
import { validateDnsLabel, validateLabels } from '../../core/names';
import { checkInstance, checkList, checkOptionalBoolean, checkOptionalString, checkStringList, checkStringMap, PropKeys } from '../../core/prop-checks';
import { celString } from '../../k8s/cel-literals';
import { ConstructAcknowledgements } from '../../policy/acknowledgement';
import { PolicyPack } from '../../policy/pack';
import { AdmissionTarget } from '../../policy/rule-api/admission-check';
import { PolicyRule } from '../../policy/rule-api/rule';
import { Severity } from '../../policy/rule-api/severity';
import { HardenedConstruct } from '../base/hardened-construct';

/** Options of {@link AdmissionPolicies}. */
export interface AdmissionPoliciesProps {
  /**
   * The packs whose rules the cluster enforces (each rule that compiles to CEL).
   * @default - PolicyPack.defaults()
   */
  readonly packs?: PolicyPack[];
  /**
   * What the API server does with a request that breaks an error-level rule. Start with `WARN`, then `DENY`.
   * @default AdmissionAction.DENY
   */
  readonly action?: AdmissionAction;
  /**
   * Give warning-level rules the same action as errors. Otherwise they warn (or only audit, with `AUDIT`), as
   * they do not fail synth either.
   * @default false
   */
  readonly failOnWarnings?: boolean;
  /**
   * Only namespaces with these labels are checked.
   * @default - every namespace but the excluded ones
   */
  readonly namespaceLabels?: { [key: string]: string };
  /**
   * Namespaces never checked (the control plane's own workloads live there).
   * @default ["kube-system", "kube-public", "kube-node-lease"]
   */
  readonly excludedNamespaces?: string[];
  /**
   * The prefix of the policy and binding names (`<name>-<rule id>`); policies are cluster-wide, so two apps
   * that both install policies need different names (within an app, a clash fails synth).
   * @default - the chart's id and the construct's, joined with `-` (`shop-batch`; cluster-scoped objects share one space); see README "Object names"
   */
  readonly name?: string;
}

const DEFAULT_EXCLUDED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];
const NAMESPACE_NAME = 'kubernetes.io/metadata.name';
const ACKNOWLEDGED_ANNOTATION = 'cdk8s-hardened.io/acknowledged';
const RULE_LABEL = 'cdk8s-hardened.io/rule';
/** A label value's limit: the rule id labels its policy. */
const MAX_RULE_ID_LENGTH = 63;

const ADMISSION_POLICIES_PROPS: PropKeys<AdmissionPoliciesProps> = {
  packs: true, action: true, failOnWarnings: true, namespaceLabels: true, excludedNamespaces: true, name: true,
};

/**
 * The policy packs, enforced by the API server: a `ValidatingAdmissionPolicy` and its binding per rule that compiles to CEL.
 *
 * The policies match Pods and every built-in workload on create and on a spec update, name the rule's id, problem
 * and fix in the message, and fail closed (`failurePolicy: Fail`). Acknowledgements in the app become exemptions
 * of exactly the objects they accepted at synth (and the pods their controllers create), listed on the
 * policy; one that cannot be narrowed that way fails synth. Rules that read other objects are listed in
 * `notCompiled` with the reason.
 */
export class AdmissionPolicies extends HardenedConstruct {
  /** The ids of the rules the API server checks. */
  public readonly compiledRules: string[] = [];
  /** The rules left to synth time, each as `ID: reason`. */
  public readonly notCompiled: string[] = [];
  /** The prefix of the policy and binding names. */
  public readonly policyPrefix: string;

  public constructor(scope: Construct, id: string, props: AdmissionPoliciesProps = {}) {
    super(scope, id, 'AdmissionPolicies', props, Object.keys(ADMISSION_POLICIES_PROPS));
    const { where, chartPartOf: partOf } = this;
    const packs = props.packs === undefined ? PolicyPack.defaults() : checkList<PolicyPack>(where, 'packs', props.packs).map((p, i) => {
      checkInstance(where, `packs[${i}]`, p, 'rules', 'a PolicyPack');
      if (!(p instanceof PolicyPack)) throw inputError(where, `packs[${i}] is not a PolicyPack`, 'pass packs such as PolicyPack.RESTRICTED or PolicyPack.of(name, rules)');
      return p;
    });
    const action = checkAdmissionAction(where, props.action, [AdmissionAction.DENY, AdmissionAction.WARN, AdmissionAction.AUDIT],
      'pass AdmissionAction.DENY, AdmissionAction.WARN or AdmissionAction.AUDIT');
    const failOnWarnings = checkOptionalBoolean(where, 'failOnWarnings', props.failOnWarnings) ?? false;
    const name = validateDnsLabel(where, 'name', checkOptionalString(where, 'name', props.name) ?? this.defaultName(true));
    const excluded = (props.excludedNamespaces === undefined ? DEFAULT_EXCLUDED_NAMESPACES : checkStringList(where, 'excludedNamespaces', props.excludedNamespaces))
      .map((ns, i) => validateDnsLabel(where, `excludedNamespaces[${i}]`, ns));
    const namespaceLabels = props.namespaceLabels === undefined ? {} : validateLabels(where, checkStringMap(where, 'namespaceLabels', props.namespaceLabels));
    const namespaceSelector = {
      ...(Object.keys(namespaceLabels).length > 0 ? { matchLabels: namespaceLabels } : {}),
      ...(excluded.length > 0 ? { matchExpressions: [{ key: NAMESPACE_NAME, operator: 'NotIn', values: excluded }] } : {}),
    };
    const labels = recommendedLabels(where, { name, instance: name, component: 'admission-policy', partOf });

    const exemptionProblems: Array<() => string[]> = [];
    let acknowledgements: ConstructAcknowledgements | undefined;
    const exemptionsOf = (rule: PolicyRule): RuleExemptions => {
      acknowledgements ??= new ConstructAcknowledgements(this.node.root);
      return acknowledgedExemptions(this.node.root, acknowledgements, rule, this);
    };

    for (const rule of uniqueRules(where, packs)) {
      const check = rule.admission;
      if (!check.expressible) {
        this.notCompiled.push(`${rule.id}: ${check.notExpressibleReason}`);
        continue;
      }
      if (check.validations.length === 0) {
        this.notCompiled.push(`${rule.id}: nothing to check at the pack's Pod Security version`);
        continue;
      }
      if (rule.id.length > MAX_RULE_ID_LENGTH) {
        throw inputError(where, `rule id ${rule.id} is longer than ${MAX_RULE_ID_LENGTH} characters, too long for the label that names it on its policy`,
          'shorten the rule id');
      }
      this.compiledRules.push(rule.id);
      const objectName = `${name}-${rule.id.toLowerCase()}`;
      let exemptions: RuleExemptions | undefined;
      const exemptionsOnce = () => (exemptions ??= exemptionsOf(rule));
      exemptionProblems.push(() => exemptionsOnce().problems);
      const policy = new ApiObject(this, `${rule.id}Policy`, {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: objectName, labels: { ...labels, [RULE_LABEL]: rule.id } },
        spec: Lazy.any({ produce: () => policySpec(rule, exemptionsOnce()) }),
      });
      const binding = new ApiObject(this, `${rule.id}Binding`, {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: objectName, labels: { ...labels, [RULE_LABEL]: rule.id } },
        spec: {
          policyName: objectName,
          validationActions: (rule.severity === Severity.WARNING && !failOnWarnings && action !== AdmissionAction.AUDIT
            ? AdmissionAction.WARN : action)._validationActions(),
          matchResources: { namespaceSelector },
        },
      });
      policy.metadata.addAnnotation(ACKNOWLEDGED_ANNOTATION, Lazy.any({ produce: () => describe(exemptionsOnce()) }));
      for (const object of [policy, binding]) {
        // Cluster-scoped: a chart's namespace is stamped on every object.
        if (object.metadata.namespace !== undefined) object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      }
    }
    this.policyPrefix = name;
    // Two policy sets of one name in the app: the app's check of cluster-scoped names refuses them (UniqueObjectsCheck).
    this.node.addValidation({ validate: () => exemptionProblems.flatMap((problems) => problems()).map((p) => `${where}: ${p}`) });
    if (this.compiledRules.length === 0) {
      throw inputError(where, `no rule of the packs ${quote(packs.map((p) => p.name).join(', '))} compiles to CEL`, 'add a pack with pod rules, e.g. PolicyPack.RESTRICTED');
    }
  }
}

/** The rules of the packs, each id once (a pack may hold another's rules); two different rules with one id are refused. */
function uniqueRules(where: string, packs: PolicyPack[]): PolicyRule[] {
  const byId = new Map<string, PolicyRule>();
  for (const pack of packs) {
    for (const rule of pack.rules) {
      const known = byId.get(rule.id);
      // Packs build their own copies of rules that never reach the cluster (e.g. PSS-NAMESPACE-LEVEL): those may differ.
      if (known && known !== rule && (known.admission.expressible || rule.admission.expressible)) {
        throw inputError(where, `packs hold two different rules with id ${rule.id} (e.g. Pod Security packs at two versions)`, 'enforce one version of each pack');
      }
      byId.set(rule.id, rule);
    }
  }
  return [...byId.values()];
}

function policySpec(rule: PolicyRule, exemptions: RuleExemptions): any {
  const check = rule.admission;
  const podSpec = check.target === AdmissionTarget.POD_SPEC;
  const acknowledged = exemptions.exemptions.map((e) => e.condition).join(' || ');
  const validations = check.validations.map((v) => {
    const message = `${rule.id}: ${v.message ?? rule.title}; fix: ${rule.fix}`;
    return {
      expression: acknowledged ? `variables.acknowledged || (${v.expression})` : v.expression,
      message: oneLine(message),
      ...(v.messageExpression ? { messageExpression: `${celString(`${rule.id}: `)} + ${v.messageExpression} + ${celString(oneLine(`; fix: ${rule.fix}`))}` } : {}),
      reason: 'Forbidden',
    };
  });
  const expressions = [...validations.map((v) => v.expression), ...validations.map((v) => v.messageExpression ?? ''), acknowledged];
  const variables = [
    ...(podSpec ? variablesNeeded(expressions) : []),
    ...(acknowledged ? [{ name: 'acknowledged', expression: acknowledged }] : []),
  ];
  const resources = check.resources;
  return {
    failurePolicy: 'Fail',
    matchConstraints: {
      resourceRules: podSpec ? POD_SPEC_RESOURCES : [{
        apiGroups: [resources!.apiGroup], apiVersions: [resources!.apiVersion], operations: ['CREATE', 'UPDATE'], resources: resources!.resources,
      }],
    },
    matchConditions: [specChangedCondition(podSpec)],
    ...(variables.length > 0 ? { variables } : {}),
    validations,
  };
}

function describe(exemptions: RuleExemptions): string | undefined {
  return exemptions.exemptions.length === 0 ? undefined : exemptions.exemptions.map((e) => e.description).join('; ');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

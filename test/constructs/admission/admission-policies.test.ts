import { ApiObject, App, Chart } from 'cdk8s';
import {
  AdmissionAction, AdmissionCheck, AdmissionPolicies, AdmissionTarget, Policy, PolicyObject, PolicyPack, PolicyRule, RuleResult, Severity,
} from '../../../src';
import { AdmissionEvaluator } from '../../support/cel-admission';
import { hardenedDeployment, mutated } from '../../support/fixtures';
import { errorOf, Manifest, schemaFindings, synth, testChart } from '../../support/helpers';

const evaluator = new AdmissionEvaluator();

/** The policy of a rule among the manifests. */
function policyFor(manifests: Manifest[], ruleId: string): any {
  return manifests.find((m) => m.kind === 'ValidatingAdmissionPolicy' && m.metadata.labels['cdk8s-hardened.io/rule'] === ruleId);
}

function bindingFor(manifests: Manifest[], ruleId: string): any {
  return manifests.find((m) => m.kind === 'ValidatingAdmissionPolicyBinding' && m.metadata.labels['cdk8s-hardened.io/rule'] === ruleId);
}

/** A hardened Deployment with a host port, which PSS-HOST-PORTS refuses. */
function withHostPort(name: string): any {
  const deployment = mutated((_, c) => { c.ports[0].hostPort = 8080; });
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
  deployment.metadata = { name, namespace: 'shop', labels };
  deployment.spec.selector.matchLabels = labels;
  deployment.spec.template.metadata.labels = labels;
  return deployment;
}

/** What the Deployment controller makes of a Deployment: a ReplicaSet and a Pod, named and labelled as it names and labels them. */
function childrenOf(deployment: any): any[] {
  const labels = { ...deployment.spec.template.metadata.labels, 'pod-template-hash': '7d9f8b6c5' };
  const name = `${deployment.metadata.name}-7d9f8b6c5`;
  const replicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'shop', labels },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: { ...deployment.spec.template, metadata: { labels } } },
  };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: `${name}-`, name: `${name}-x2k4q`, namespace: 'shop', labels }, spec: deployment.spec.template.spec };
  return [replicaSet, pod];
}

describe('AdmissionPolicies', () => {
  test('one policy and one binding per compiled rule, named after the rule, valid for the API server', () => {
    // GIVEN the default packs
    const { chart } = testChart();
    const policies = new AdmissionPolicies(chart, 'guard');
    // WHEN synthesized
    const manifests = synth(chart);
    // THEN each compiled rule has a policy and a binding of the same name (the prefix derived from the construct path, unique in
    // the app), and nothing else is emitted
    expect(policies.policyPrefix).toBe('shop-guard');
    expect(manifests.map((m) => `${m.kind} ${m.metadata.name}`).sort()).toEqual(policies.compiledRules.flatMap((id) =>
      [`ValidatingAdmissionPolicy shop-guard-${id.toLowerCase()}`, `ValidatingAdmissionPolicyBinding shop-guard-${id.toLowerCase()}`]).sort());
    expect(policies.compiledRules).toContain('PSS-PRIVILEGED');
    expect(policies.compiledRules).not.toContain('BP-IMAGE-DIGEST');
    // AND the objects are schema-valid and cluster-scoped
    expect(schemaFindings(manifests)).toEqual([]);
    expect(manifests.filter((m) => m.metadata.namespace !== undefined)).toEqual([]);
    // AND every binding names its policy, with failurePolicy Fail on the policy
    for (const id of policies.compiledRules) {
      expect(bindingFor(manifests, id).spec.policyName).toBe(policyFor(manifests, id).metadata.name);
      expect(policyFor(manifests, id).spec.failurePolicy).toBe('Fail');
    }
  });

  test('rules that read other objects are listed with the reason instead', () => {
    // GIVEN the default packs
    const { chart } = testChart();
    const policies = new AdmissionPolicies(chart, 'guard');
    // THEN the cross-object rules are not compiled, and say why
    expect(policies.notCompiled).toEqual(expect.arrayContaining([
      expect.stringMatching(/^NSA-NETWORK-POLICY: reads every NetworkPolicy/),
      expect.stringMatching(/^NSA-SA-TOKEN: .*ServiceAccount/),
      expect.stringMatching(/^K8S-SELECTOR-MATCHES: .*cross-object/),
    ]));
    const ruleIds = new Set(PolicyPack.defaults().flatMap((p) => p.rules.map((r) => r.id)));
    expect(policies.compiledRules.length + policies.notCompiled.length).toBe(ruleIds.size);
  });

  test('messages name the rule, what is wrong and the fix; the message expression names the containers', () => {
    // GIVEN the restricted pack's policies
    const { chart } = testChart();
    new AdmissionPolicies(chart, 'guard', { packs: [PolicyPack.RESTRICTED] });
    const policy = policyFor(synth(chart), 'PSS-PRIVILEGED');
    // WHEN a Deployment with a privileged container is judged
    const verdict = evaluator.evaluate(policy.spec, mutated((_, c) => { c.securityContext.privileged = true; }));
    // THEN the denial names the rule, the container and the fix
    expect(verdict.failures).toEqual(['PSS-PRIVILEGED: containers app are privileged; fix: Set securityContext.privileged to false (or leave it unset).']);
    expect(policy.spec.validations[0].message).toBe('PSS-PRIVILEGED: one or more containers are privileged; fix: Set securityContext.privileged to false (or leave it unset).');
  });

  describe('actions', () => {
    test.each([
      ['DENY', AdmissionAction.DENY, ['Deny'], ['Warn', 'Audit']],
      ['WARN', AdmissionAction.WARN, ['Warn', 'Audit'], ['Warn', 'Audit']],
      ['AUDIT', AdmissionAction.AUDIT, ['Audit'], ['Audit']],
    ])('%s: errors get the action, warnings warn', (_, action, forErrors, forWarnings) => {
      // GIVEN policies with the action
      const { chart } = testChart();
      new AdmissionPolicies(chart, 'guard', { action });
      const manifests = synth(chart);
      // THEN an error-level rule's binding has the action and a warning-level one's warns (or audits)
      expect(bindingFor(manifests, 'PSS-PRIVILEGED').spec.validationActions).toEqual(forErrors);
      expect(bindingFor(manifests, 'BP-PROBES').spec.validationActions).toEqual(forWarnings);
    });

    test('failOnWarnings gives warning-level rules the action too', () => {
      // GIVEN Deny with failOnWarnings
      const { chart } = testChart();
      new AdmissionPolicies(chart, 'guard', { failOnWarnings: true });
      // THEN the warning-level rule denies
      expect(bindingFor(synth(chart), 'BP-PROBES').spec.validationActions).toEqual(['Deny']);
    });
  });

  describe('namespaces', () => {
    test('system namespaces are excluded by default', () => {
      // GIVEN the defaults
      const { chart } = testChart();
      new AdmissionPolicies(chart, 'guard');
      // THEN the binding's namespace selector leaves out the control plane's namespaces
      expect(bindingFor(synth(chart), 'PSS-PRIVILEGED').spec.matchResources.namespaceSelector).toEqual({
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kube-public', 'kube-node-lease'] }],
      });
    });

    test('namespaces can be chosen by labels, and the exclusions replaced', () => {
      // GIVEN a label selector and another exclusion list
      const { chart } = testChart();
      new AdmissionPolicies(chart, 'guard', { namespaceLabels: { 'acme.io/tier': 'apps' }, excludedNamespaces: ['kube-system', 'istio-system'] });
      // THEN both are in the selector
      expect(bindingFor(synth(chart), 'PSS-PRIVILEGED').spec.matchResources.namespaceSelector).toEqual({
        matchLabels: { 'acme.io/tier': 'apps' },
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'istio-system'] }],
      });
    });
  });

  describe('updates', () => {
    test('an update that leaves the spec alone is not judged; one that changes it is', () => {
      // GIVEN a Deployment with a privileged container, created before the policy
      const { chart } = testChart();
      new AdmissionPolicies(chart, 'guard', { packs: [PolicyPack.RESTRICTED] });
      const policy = policyFor(synth(chart), 'PSS-PRIVILEGED').spec;
      const old = mutated((_, c) => { c.securityContext.privileged = true; });
      // WHEN a controller adds a finalizer
      const finalized = { ...old, metadata: { ...old.metadata, finalizers: ['acme.io/cleanup'] } };
      // THEN the policy does not apply
      expect(evaluator.evaluate(policy, finalized, { operation: 'UPDATE', oldObject: old }).matched).toBe(false);
      // WHEN the update changes the spec
      const scaled = { ...old, spec: { ...old.spec, replicas: 5 } };
      // THEN the object is judged, and denied
      expect(evaluator.evaluate(policy, scaled, { operation: 'UPDATE', oldObject: old }).failures).toHaveLength(1);
    });
  });
});

describe('acknowledgements become exemptions of exactly the objects they accepted', () => {
  function appWithAcknowledgedHostPort(): { manifests: Manifest[]; acknowledged: any; other: any } {
    const { app, chart } = testChart();
    const acknowledged = withHostPort('node-agent');
    const other = withHostPort('web');
    const agent = new ApiObject(chart, 'agent', acknowledged);
    new ApiObject(chart, 'web', other);
    Policy.acknowledge(agent, 'PSS-HOST-PORTS', 'the node agent serves node metrics on the host port (OPS-12)');
    const guard = new Chart(app, 'guard');
    new AdmissionPolicies(guard, 'guard', { packs: [PolicyPack.RESTRICTED] });
    return { manifests: synth(guard), acknowledged, other };
  }

  test('the acknowledged Deployment, its ReplicaSet and its Pods are admitted; any other is denied', () => {
    // GIVEN two Deployments with a host port, one acknowledged
    const { manifests, acknowledged, other } = appWithAcknowledgedHostPort();
    const policy = policyFor(manifests, 'PSS-HOST-PORTS').spec;
    // THEN the acknowledged one and what its controller creates pass
    for (const object of [acknowledged, ...childrenOf(acknowledged)]) {
      expect({ kind: object.kind, failures: evaluator.evaluate(policy, object).failures }).toEqual({ kind: object.kind, failures: [] });
    }
    // AND the other one and its children are denied
    for (const object of [other, ...childrenOf(other)]) {
      expect({ kind: object.kind, denied: evaluator.evaluate(policy, object).failures.length }).toEqual({ kind: object.kind, denied: 1 });
    }
    // AND the exemption applies to that rule only
    const privileged = mutated((_, c) => { c.securityContext.privileged = true; });
    privileged.metadata = acknowledged.metadata;
    expect(evaluator.evaluate(policyFor(manifests, 'PSS-PRIVILEGED').spec, privileged).failures).toHaveLength(1);
  });

  test('look-alikes are denied: another namespace, a missing label, another name prefix', () => {
    // GIVEN the acknowledged Deployment's pod
    const { manifests, acknowledged } = appWithAcknowledgedHostPort();
    const policy = policyFor(manifests, 'PSS-HOST-PORTS').spec;
    const pod = childrenOf(acknowledged)[1];
    const lookAlikes = [
      { ...pod, metadata: { ...pod.metadata, namespace: 'other' } },
      { ...pod, metadata: { ...pod.metadata, labels: { 'app.kubernetes.io/instance': 'node-agent' } } },
      { ...pod, metadata: { ...pod.metadata, name: 'intruder-x2k4q', generateName: 'intruder-' } },
      { ...acknowledged, metadata: { ...acknowledged.metadata, name: 'node-agent-2' } },
    ];
    // THEN each is denied
    for (const object of lookAlikes) expect(evaluator.evaluate(policy, object).failures).toHaveLength(1);
  });

  test('hostile metadata: generateName with the exempted prefix claims nothing, whatever name the object gives itself', () => {
    // GIVEN the acknowledged Deployment's ReplicaSet and pod, with every label of its pod template
    const { manifests, acknowledged } = appWithAcknowledgedHostPort();
    const policy = policyFor(manifests, 'PSS-HOST-PORTS').spec;
    const [replicaSet, pod] = childrenOf(acknowledged);
    // WHEN an object sets a name of its own beside generateName: <acknowledged name>- (the API server keeps the name), or
    // reaches the validators without a name (validating admission always sees one: the registry generates it first)
    const claims = [
      { ...pod, metadata: { ...pod.metadata, name: 'intruder', generateName: 'node-agent-' } },
      { ...pod, metadata: { ...pod.metadata, name: 'intruder-x2k4q', generateName: pod.metadata.generateName } },
      { ...replicaSet, metadata: { ...replicaSet.metadata, name: 'intruder-7d9f8b6c5', generateName: 'node-agent-' } },
      { ...pod, metadata: { ...pod.metadata, name: undefined, generateName: 'node-agent-' } },
      { ...pod, metadata: { ...pod.metadata, name: '', generateName: 'node-agent-' } },
    ];
    // THEN each is denied, and by the rule (not by an evaluation error)
    for (const object of claims) {
      const verdict = evaluator.evaluate(policy, object);
      expect({ metadata: object.metadata, failures: verdict.failures.length, errors: verdict.errors })
        .toEqual({ metadata: object.metadata, failures: 1, errors: [] });
    }
    // AND what README promises stays exempt: a pod whose name (generated, or given) starts with node-agent-, with every label
    for (const name of ['node-agent-7d9f8b6c5-x2k4q', 'node-agent-x']) {
      expect(evaluator.evaluate(policy, { ...pod, metadata: { ...pod.metadata, name } }).failures).toEqual([]);
    }
  });

  test('the exemption is written on the policy, with the acknowledgement and its reason', () => {
    // GIVEN the acknowledged Deployment
    const { manifests } = appWithAcknowledgedHostPort();
    // THEN the policy says what it exempts, and the others say nothing
    expect(policyFor(manifests, 'PSS-HOST-PORTS').metadata.annotations['cdk8s-hardened.io/acknowledged']).toBe(
      'Deployment shop/node-agent and the ReplicaSets, Pods named node-agent-… labelled app.kubernetes.io/instance=node-agent,app.kubernetes.io/name=node-agent '
      + '(acknowledged on shop/agent: the node agent serves node metrics on the host port (OPS-12))');
    expect(policyFor(manifests, 'PSS-PRIVILEGED').metadata.annotations).toBeUndefined();
  });

  test('an acknowledgement on a compliant object exempts nothing', () => {
    // GIVEN an acknowledgement on a compliant Deployment
    const { app, chart } = testChart();
    Policy.acknowledge(new ApiObject(chart, 'web', hardenedDeployment()), 'PSS-HOST-PORTS', 'the port may become a host port later on');
    new AdmissionPolicies(new Chart(app, 'guard'), 'guard', { packs: [PolicyPack.RESTRICTED] });
    // THEN the policy has no exemption
    const policy = policyFor(synth(app.charts[1] as Chart), 'PSS-HOST-PORTS');
    expect(policy.spec.variables.map((v: any) => v.name)).not.toContain('acknowledged');
  });

  test('an acknowledged object without a namespace cannot be narrowed: synth fails with the fix', () => {
    // GIVEN an acknowledged Deployment in a chart without a namespace
    const app = new App();
    const chart = new Chart(app, 'shop');
    const deployment = withHostPort('node-agent');
    delete deployment.metadata.namespace;
    Policy.acknowledge(new ApiObject(chart, 'agent', deployment), 'PSS-HOST-PORTS', 'the node agent serves node metrics on the host port');
    new AdmissionPolicies(new Chart(app, 'guard'), 'guard', { packs: [PolicyPack.RESTRICTED] });
    // WHEN synthesized / THEN the error names the rule, the object and the fix
    expect(errorOf(() => app.synth()).message).toMatch(
      /AdmissionPolicies guard\/guard: PSS-HOST-PORTS is acknowledged for Deployment node-agent \(shop\/agent\), which has no namespace.*give its chart a namespace/);
  });

  test('an acknowledged Service is exempted by kind, namespace and name', () => {
    // GIVEN an acknowledged LoadBalancer Service
    const { app, chart } = testChart();
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'public', namespace: 'shop' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } };
    Policy.acknowledge(new ApiObject(chart, 'public', service), 'NSA-SERVICE-EXPOSURE', 'the public entry point until the gateway is ready');
    const guard = new Chart(app, 'guard');
    new AdmissionPolicies(guard, 'guard', { packs: [PolicyPack.NSA_CISA, PolicyPack.RESTRICTED] });
    const policy = policyFor(synth(guard), 'NSA-SERVICE-EXPOSURE').spec;
    // THEN that Service is admitted, another one is not
    expect(evaluator.evaluate(policy, service).failures).toEqual([]);
    expect(evaluator.evaluate(policy, { ...service, metadata: { name: 'other', namespace: 'shop' } }).failures).toHaveLength(1);
  });
});

describe('custom rules', () => {
  class NoHostAliasesRule extends PolicyRule {
    public constructor(admission?: AdmissionCheck) {
      super({
        id: 'ACME-NO-HOST-ALIASES',
        title: 'Pods set no hostAliases',
        rationale: 'hostAliases override DNS inside the pod.',
        severity: Severity.ERROR,
        standard: 'ACME platform',
        fix: 'Remove hostAliases; use DNS.',
        admission,
      });
    }

    public evaluate(objects: PolicyObject[]): RuleResult[] {
      return objects.map((object, objectIndex) => ({ objectIndex, compliant: !object.manifest.spec?.template?.spec?.hostAliases }));
    }
  }

  test('a custom rule with its own CEL is compiled like a built-in one', () => {
    // GIVEN a custom rule with a pod-spec CEL check
    const rule = new NoHostAliasesRule(AdmissionCheck.podSpec([{ expression: 'size(variables.podSpec.?hostAliases.orValue([])) == 0', message: 'the pod sets hostAliases' }]));
    const { chart } = testChart();
    const policies = new AdmissionPolicies(chart, 'guard', { packs: [PolicyPack.of('acme', [rule])] });
    const policy = policyFor(synth(chart), 'ACME-NO-HOST-ALIASES');
    // THEN it is compiled, and its CEL judges
    expect(policies.compiledRules).toEqual(['ACME-NO-HOST-ALIASES']);
    expect(evaluator.evaluate(policy.spec, mutated((pod) => { pod.hostAliases = [{ ip: '10.0.0.1', hostnames: ['db'] }]; })).failures)
      .toEqual(['ACME-NO-HOST-ALIASES: the pod sets hostAliases; fix: Remove hostAliases; use DNS.']);
    expect(evaluator.evaluate(policy.spec, hardenedDeployment()).failures).toEqual([]);
    expect(rule.admission.target).toBe(AdmissionTarget.POD_SPEC);
  });

  test('a custom rule without CEL is listed as not compiled', () => {
    // GIVEN a custom rule that gives no CEL, beside the restricted pack
    const { chart } = testChart();
    const policies = new AdmissionPolicies(chart, 'guard', { packs: [PolicyPack.RESTRICTED, PolicyPack.of('acme', [new NoHostAliasesRule()])] });
    // THEN it is listed with the reason
    expect(policies.notCompiled).toContain('ACME-NO-HOST-ALIASES: a custom rule that gives no CEL (set admission in its props)');
  });

  test('a multi-line message or an empty expression is refused when the check is made', () => {
    expect(errorOf(() => AdmissionCheck.podSpec([{ expression: 'true', message: 'one\ntwo' }])).message).toMatch(/one line/);
    expect(errorOf(() => AdmissionCheck.podSpec([{ expression: ' ' }])).message).toMatch(/needs a CEL expression/);
    expect(errorOf(() => AdmissionCheck.notExpressible('')).message).toMatch(/give the reason/);
  });
});

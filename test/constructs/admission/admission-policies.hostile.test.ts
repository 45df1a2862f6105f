import { Chart, Testing } from 'cdk8s';
import {
  AdmissionAction, AdmissionCheck, AdmissionPolicies, AdmissionPoliciesProps, PolicyObject, PolicyPack, PolicyRule, RuleResult, Severity,
} from '../../../src';
import { errorOf, Manifest, schemaFindings, synth, testChart } from '../../support/helpers';

// Independent of src/baseline/names.ts on purpose: the API server's rules, written out again.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const ALL_PACKS = [
  PolicyPack.RESTRICTED, PolicyPack.NSA_CISA, PolicyPack.BEST_PRACTICES, PolicyPack.IMAGE_DIGESTS, PolicyPack.CIS, PolicyPack.CLUSTER_FIT,
];
const ACTIONS: Array<[string, AdmissionAction, string[]]> = [
  ['DENY', AdmissionAction.DENY, ['Deny']],
  ['WARN', AdmissionAction.WARN, ['Warn', 'Audit']],
  ['AUDIT', AdmissionAction.AUDIT, ['Audit']],
];

/** A custom rule whose CEL is always true (the text fields are what the tests vary). */
class CustomRule extends PolicyRule {
  public constructor(id: string, options: { title?: string; fix?: string; severity?: Severity } = {}) {
    super({
      id,
      title: options.title ?? 'Custom rule',
      rationale: 'A test rule.',
      severity: options.severity ?? Severity.ERROR,
      standard: 'Test',
      fix: options.fix ?? 'Comply.',
      admission: AdmissionCheck.podSpec([{ expression: 'variables.allContainers.all(c, true)' }]),
    });
  }

  public evaluate(_objects: PolicyObject[]): RuleResult[] {
    return [];
  }
}

/** Builds the construct `guard` in chart `shop` (namespace `shop`) from props as a JavaScript caller passes them. */
function guard(props: unknown, namespace: string = 'shop') {
  const { app, chart } = testChart(namespace);
  const policies = new AdmissionPolicies(chart, 'guard', props as AdmissionPoliciesProps);
  return { app, chart, policies };
}

/** The error the construction throws, checked to be the library's error naming the construct path and a fix. */
function inputErrorOf(props: unknown): Error {
  const error = errorOf(() => guard(props));
  expect(error).not.toBeInstanceOf(TypeError);
  expect(error.name).toBe('InputError');
  expect(error.message).toMatch(/^AdmissionPolicies shop\/guard: .+; .+/);
  return error;
}

/** Problems the API server would find in the names and labels of the manifests (the schema check does not read formats). */
function metadataProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const labelProblems = (where: string, labels: { [key: string]: unknown } = {}) => {
    for (const [key, value] of Object.entries(labels)) {
      const slash = key.lastIndexOf('/');
      const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
      const name = key.slice(slash + 1);
      if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) problems.push(`${where}: key prefix ${key}`);
      if (name.length > 63 || !LABEL_NAME.test(name)) problems.push(`${where}: key ${key}`);
      if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) problems.push(`${where}: value of ${key}`);
    }
  };
  for (const m of manifests) {
    const where = `${m.kind} ${m.metadata.name}`;
    if (m.metadata.name.length > 253 || !DNS_SUBDOMAIN.test(m.metadata.name)) problems.push(`${where}: name`);
    labelProblems(`${where} labels`, m.metadata.labels);
    labelProblems(`${where} namespaceSelector`, m.spec?.matchResources?.namespaceSelector?.matchLabels);
  }
  return problems;
}

const policiesOf = (manifests: Manifest[]) => manifests.filter((m) => m.kind === 'ValidatingAdmissionPolicy');
const bindingsOf = (manifests: Manifest[]) => manifests.filter((m) => m.kind === 'ValidatingAdmissionPolicyBinding');

describe('AdmissionPolicies refuses props of the wrong shape, as JavaScript callers pass them', () => {
  test.each([
    ['null', null, /props are null, not an object/],
    ['a string', 'deny', /props are a string, not an object/],
    ['a list', [PolicyPack.RESTRICTED], /props are a list, not an object/],
  ])('props as %s', (_, props, message) => {
    // GIVEN props that are no object WHEN constructed THEN the library's error names the construct and the fix
    expect(inputErrorOf(props).message).toMatch(message);
  });

  test.each([
    ['a pack, not a list', { packs: PolicyPack.RESTRICTED }, /packs is an object, not a list/],
    ['a string among the packs', { packs: [PolicyPack.RESTRICTED, 'pss-restricted'] }, /packs\[1\] is a string, not a PolicyPack/],
    ['undefined among the packs', { packs: [undefined] }, /packs\[0\] is missing, not a PolicyPack/],
    ['a look-alike pack whose rules are no list', { packs: [{ name: 'fake', rules: 5 }] }, /packs\[0\]/],
    ['a look-alike pack whose rules are no rules', { packs: [{ name: 'fake', rules: [1] }] }, /packs\[0\]/],
  ])('packs: %s', (_, props, message) => {
    // GIVEN packs that are not a list of PolicyPacks WHEN constructed THEN the error names the bad entry, never a TypeError from inside
    expect(inputErrorOf(props).message).toMatch(message);
  });

  test.each([
    ['no pack at all', []],
    ['only cross-object rules', [PolicyPack.CLUSTER_FIT]],
    ['only RBAC and cross-object rules', [PolicyPack.CIS, PolicyPack.CLUSTER_FIT]],
  ])('packs with %s are refused: there would be nothing to install', (_, packs) => {
    // GIVEN packs of which no rule compiles to CEL WHEN constructed THEN it is refused with a pack to add
    const error = inputErrorOf({ packs });
    expect(error.message).toMatch(/compiles to CEL/);
    expect(error.message).toMatch(/PolicyPack\.RESTRICTED/);
    for (const pack of packs) expect(error.message).toContain(pack.name);
  });

  test.each([
    ['the name as a string', 'Deny', /action is a string, not an AdmissionAction/],
    ['the validation actions as a list', ['Deny'], /action is a list, not an AdmissionAction/],
    ['null', null, /action is null, not an AdmissionAction/],
    ['a look-alike with Deny and Warn together', { name: 'Deny', _validationActions: () => ['Deny', 'Warn'] }, /action/],
  ])('action: %s', (_, action, message) => {
    // GIVEN an action that is none of DENY, WARN and AUDIT WHEN constructed THEN it is refused (Deny with Warn is refused by the API server)
    expect(inputErrorOf({ action }).message).toMatch(message);
  });

  test.each([['yes'], [1], [null]])('failOnWarnings %p', (failOnWarnings) => {
    // GIVEN a failOnWarnings that is not a boolean WHEN constructed THEN it is refused
    expect(inputErrorOf({ failOnWarnings }).message).toMatch(/failOnWarnings is .+, not true or false; set failOnWarnings to true or false/);
  });

  test.each([
    ['upper case', 'Guard', /name "Guard" is not a valid DNS-1123 label.*use a name like "guard"/],
    ['64 characters', 'g'.repeat(64), /name "g{64}" is not a valid DNS-1123 label/],
    ['empty', '', /name "" is not a valid DNS-1123 label/],
    ['a dot', 'acme.guard', /name "acme.guard" is not a valid DNS-1123 label/],
    ['ending in "-"', 'guard-', /name "guard-" is not a valid DNS-1123 label/],
    ['a number', 7, /name is a number, not a string/],
  ])('name: %s', (_, name, message) => {
    // GIVEN a name prefix that is no DNS label WHEN constructed THEN it is refused with a suggestion
    expect(inputErrorOf({ name }).message).toMatch(message);
  });

  test.each([
    ['a bad namespace name', { excludedNamespaces: ['kube-system', 'Kube_Public'] }, /excludedNamespaces\[1\] "Kube_Public" is not a valid DNS-1123 label/],
    ['a string, not a list', { excludedNamespaces: 'kube-system' }, /excludedNamespaces is a string, not a list of strings/],
    ['a number in the list', { excludedNamespaces: ['kube-system', 3] }, /excludedNamespaces\[1\] is a number, not a string/],
    ['null', { excludedNamespaces: null }, /excludedNamespaces is null, not a list of strings/],
  ])('excludedNamespaces: %s', (_, props, message) => {
    // GIVEN excluded namespaces that are not a list of namespace names WHEN constructed THEN it is refused
    expect(inputErrorOf(props).message).toMatch(message);
  });

  test.each([
    ['a non-string value', { team: 5 }, /namespaceLabels\["team"\] is a number, not a string/],
    ['a list', ['team=shop'], /namespaceLabels is a list, not a map of strings/],
    ['a key with a space', { 'team name': 'shop' }, /team name/],
    ['a key with a bad prefix', { 'Acme_Corp/team': 'shop' }, /Acme_Corp\/team/],
    ['a key name of 64 characters', { ['k'.repeat(64)]: 'shop' }, /k{64}/],
    ['a value with a space', { team: 'shop floor' }, /shop floor/],
    ['a value of 64 characters', { team: 'v'.repeat(64) }, /v{64}/],
  ])('namespaceLabels: %s', (_, namespaceLabels, message) => {
    // GIVEN namespace labels that no namespace can carry (the API server refuses the selector) WHEN constructed
    const error = inputErrorOf({ namespaceLabels });
    // THEN the error names the prop and the bad key or value
    expect(error.message).toMatch(/namespaceLabels|label/);
    expect(error.message).toMatch(message);
  });
});

describe('AdmissionPolicies and rules that share an id', () => {
  test('Pod Security packs at two versions are refused, naming the rule', () => {
    // GIVEN restricted at v1.30 and at the latest version: different rules under the same ids
    const pinned = PolicyPack.restricted({ version: 'v1.30' });
    // WHEN constructed THEN it is refused, naming a shared id and the fix
    const error = inputErrorOf({ packs: [pinned, PolicyPack.RESTRICTED] });
    const ids = new Set(PolicyPack.RESTRICTED.rules.map((r) => r.id));
    const named = /two different rules with id ([A-Z0-9-]+)/.exec(error.message);
    expect(named).not.toBeNull();
    expect(ids.has(named![1])).toBe(true);
    expect(error.message).toMatch(/one version/);
  });

  test('two custom rules with one id are refused', () => {
    // GIVEN two packs with different rules under one id
    const packs = [PolicyPack.of('acme-a', [new CustomRule('ACME-PODS')]), PolicyPack.of('acme-b', [new CustomRule('ACME-PODS')])];
    // WHEN constructed THEN it is refused, naming the id
    expect(inputErrorOf({ packs }).message).toMatch(/two different rules with id ACME-PODS/);
  });

  test('BASELINE with RESTRICTED is accepted: restricted holds the same baseline rules', () => {
    // GIVEN the two built-in Pod Security packs at the latest version
    const shared = PolicyPack.BASELINE.rules.filter((r) => r.admission.expressible);
    expect(shared.every((r) => PolicyPack.RESTRICTED.rules.includes(r))).toBe(true);
    // WHEN constructed
    const { policies } = guard({ packs: [PolicyPack.BASELINE, PolicyPack.RESTRICTED] });
    // THEN every compiled rule of RESTRICTED is enforced once
    const expected = PolicyPack.RESTRICTED.rules.filter((r) => r.admission.expressible).map((r) => r.id);
    expect([...policies.compiledRules].sort()).toEqual([...expected].sort());
  });

  test('the same pack twice is accepted, each rule once', () => {
    // GIVEN RESTRICTED twice WHEN constructed
    const twice = guard({ packs: [PolicyPack.RESTRICTED, PolicyPack.RESTRICTED] });
    const once = guard({ packs: [PolicyPack.RESTRICTED] });
    // THEN it emits what RESTRICTED alone emits
    expect(synth(twice.chart).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(synth(once.chart).map((m) => `${m.kind}/${m.metadata.name}`));
  });
});

describe('AdmissionPolicies emits names and labels the API server accepts', () => {
  test('a name of 63 characters gives valid object names', () => {
    // GIVEN the longest name prefix allowed WHEN synthesized
    const manifests = synth(guard({ name: 'g'.repeat(63), packs: ALL_PACKS }).chart);
    // THEN every policy and binding name is a DNS subdomain of at most 253 characters, and every label is valid
    expect(manifests.length).toBeGreaterThan(0);
    expect(metadataProblems(manifests)).toEqual([]);
  });

  test('a construct id that is no DNS label gives a valid default name', () => {
    // GIVEN a construct id with upper case and spaces WHEN synthesized
    const { chart } = testChart();
    new AdmissionPolicies(chart, 'Cluster Guard!', { packs: [PolicyPack.RESTRICTED] });
    const manifests = synth(chart);
    // THEN the names are derived from it as a DNS label, and valid
    expect(policiesOf(manifests).every((m) => /^shop-cluster-guard-[0-9a-f]{8}-/.test(m.metadata.name))).toBe(true);
    expect(metadataProblems(manifests)).toEqual([]);
  });

  test('a custom rule with a long id is refused or still gives valid names and labels', () => {
    // GIVEN a custom rule whose id (accepted by PolicyRule) is longer than a label value may be
    const id = `ACME-${'LONG'.repeat(18)}`;
    const packs = [PolicyPack.of('acme', [new CustomRule(id)])];
    // WHEN constructed
    let manifests: Manifest[] | undefined;
    const error = (() => {
      try {
        manifests = synth(guard({ packs }).chart);
        return undefined;
      } catch (e) {
        return e as Error;
      }
    })();
    // THEN either the library's error names the rule, or every name and label is valid
    if (error) {
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(/^AdmissionPolicies shop\/guard: /);
      expect(error.message).toContain(id);
    } else {
      expect(metadataProblems(manifests!)).toEqual([]);
    }
  });

  test('two constructs with one name in a chart fail synth', () => {
    // GIVEN two AdmissionPolicies with the name prefix guard in one chart
    const { app, chart } = testChart();
    new AdmissionPolicies(chart, 'guard', { packs: [PolicyPack.RESTRICTED], name: 'guard' });
    new AdmissionPolicies(chart, 'other', { packs: [PolicyPack.RESTRICTED], name: 'guard' });
    // WHEN synthesized THEN the cluster-wide name clash is reported
    expect(() => app.synth()).toThrow(/ValidatingAdmissionPolicy guard-pss-[a-z-]+ is emitted twice, by shop\/guard\/PSS-[A-Z-]+Policy and shop\/other\/PSS-[A-Z-]+Policy \(and \d+ more objects of shop\/guard and shop\/other\)/);
  });

  test('two charts of one app with one name fail synth: policies are cluster-wide', () => {
    // GIVEN the name guard in two charts with different namespaces (the objects are cluster-scoped all the same)
    const app = Testing.app();
    for (const id of ['shop', 'billing']) new AdmissionPolicies(new Chart(app, id, { namespace: id }), 'guard', { packs: [PolicyPack.RESTRICTED], name: 'guard' });
    // WHEN synthesized THEN the second chart's policies would overwrite the first's at apply, which is reported once, with the fix
    expect(() => app.synth()).toThrow(new RegExp('ValidatingAdmissionPolicy guard-pss-[a-z-]+ is emitted twice, by shop/guard/PSS-[A-Z-]+Policy and '
      + 'billing/guard/PSS-[A-Z-]+Policy \\(and \\d+ more objects of shop/guard and billing/guard\\), and the second would overwrite the first at apply '
      + '\\(a ValidatingAdmissionPolicy is cluster-scoped: charts of every namespace share it\\); give one of the constructs another name, or, where '
      + '`name` is optional, leave it unset'));
  });

  test('two charts of one app with the same construct id and no name synthesize: the default names differ', () => {
    // GIVEN the construct id guard in two charts, without a name
    const app = Testing.app();
    for (const id of ['shop', 'billing']) new AdmissionPolicies(new Chart(app, id, { namespace: id }), 'guard', { packs: [PolicyPack.RESTRICTED] });
    // WHEN synthesized THEN nothing clashes
    expect(() => app.synth()).not.toThrow();
  });
});

describe('AdmissionPolicies output invariants', () => {
  const combinations = ACTIONS.flatMap(([label, action, actions]) =>
    [false, true].map((failOnWarnings) => ({ label, action, actions, failOnWarnings })));
  const warningIds = new Set(ALL_PACKS.flatMap((p) => p.rules)
    .filter((r) => r.severity === Severity.WARNING && r.admission.expressible).map((r) => r.id));
  const severityOf = new Map(ALL_PACKS.flatMap((p) => p.rules).map((r) => [r.id, r.severity]));
  const synthesized = new Map(combinations.map((c) => {
    const { chart } = testChart();
    new AdmissionPolicies(chart, 'guard', { packs: ALL_PACKS, action: c.action, failOnWarnings: c.failOnWarnings });
    return [c, synth(chart)];
  }));

  test('the packs hold warning-level rules that compile (the cases below are not vacuous)', () => {
    // THEN at least one compiled rule is a warning, e.g. BP-PROBES or NSA-SERVICE-EXPOSURE
    expect(warningIds.size).toBeGreaterThan(0);
  });

  test.each(combinations)('$label, failOnWarnings $failOnWarnings: each binding gets the action of its rule\'s severity', (combination) => {
    // GIVEN every pack, the action and failOnWarnings
    const { actions, action, failOnWarnings } = combination;
    const bindings = bindingsOf(synthesized.get(combination)!);
    expect(bindings.length).toBeGreaterThan(0);
    for (const binding of bindings) {
      const ruleId = binding.metadata.labels['cdk8s-hardened.io/rule'];
      const validationActions: string[] = binding.spec.validationActions;
      // THEN never Deny with Warn (the API server refuses the pair), no duplicates
      expect(validationActions.includes('Deny') && validationActions.includes('Warn')).toBe(false);
      expect(new Set(validationActions).size).toBe(validationActions.length);
      // AND errors get the chosen action; warnings warn, unless failOnWarnings or AUDIT
      const warning = severityOf.get(ruleId) === Severity.WARNING;
      const expected = warning && !failOnWarnings && action !== AdmissionAction.AUDIT ? ['Warn', 'Audit'] : actions;
      expect({ ruleId, validationActions }).toEqual({ ruleId, validationActions: expected });
    }
    // AND every compiled warning-level rule has its binding
    const bound = new Set(bindings.map((b) => b.metadata.labels['cdk8s-hardened.io/rule']));
    for (const id of warningIds) expect(bound.has(id)).toBe(true);
  });

  test('policies and bindings carry no namespace, whether or not the chart has one', () => {
    // GIVEN charts with and without a namespace
    const unnamespaced = new Chart(Testing.app(), 'plain');
    new AdmissionPolicies(unnamespaced, 'guard', { packs: ALL_PACKS });
    const all = [...synthesized.values()].flat().concat(synth(unnamespaced));
    // THEN no policy or binding has metadata.namespace: they are cluster-scoped
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((m) => 'namespace' in m.metadata).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([]);
  });

  test('every message is one line, starting with the rule id', () => {
    // GIVEN the built-in packs and a custom rule whose title and fix span lines
    const { chart } = testChart();
    const custom = new CustomRule('ACME-MULTI-LINE', { title: 'First line\nsecond line', fix: 'Do this,\r\n\tthen that.' });
    new AdmissionPolicies(chart, 'guard', { packs: [...ALL_PACKS, PolicyPack.of('acme', [custom])] });
    const validations = policiesOf(synth(chart)).flatMap((p) => p.spec.validations.map((v: any) => ({ rule: p.metadata.labels['cdk8s-hardened.io/rule'], ...v })));
    expect(validations.some((v) => v.rule === 'ACME-MULTI-LINE')).toBe(true);
    for (const v of validations) {
      // THEN message and messageExpression have no line break, and the message names the rule
      expect(v.message).not.toMatch(/[\r\n]/);
      expect(v.message.startsWith(`${v.rule}: `)).toBe(true);
      if (v.messageExpression !== undefined) expect(v.messageExpression).not.toMatch(/[\r\n]/);
    }
  });

  test('names are unique, bindings name existing policies, and names and labels are valid', () => {
    for (const manifests of synthesized.values()) {
      // GIVEN each combination's output
      const policyNames = policiesOf(manifests).map((m) => m.metadata.name);
      const bindingNames = bindingsOf(manifests).map((m) => m.metadata.name);
      // THEN no name repeats within a kind, each binding points at a policy of the output, and every name and label is valid
      expect(new Set(policyNames).size).toBe(policyNames.length);
      expect(new Set(bindingNames).size).toBe(bindingNames.length);
      expect(bindingsOf(manifests).map((b) => b.spec.policyName).filter((n) => !policyNames.includes(n))).toEqual([]);
      expect(metadataProblems(manifests)).toEqual([]);
    }
  });

  test('every combination passes the strict Kubernetes schema check', () => {
    // GIVEN all combinations' output, and empty excluded namespaces with namespace labels
    const extra = synth(guard({ packs: [PolicyPack.RESTRICTED], excludedNamespaces: [], namespaceLabels: { 'acme.io/policy': 'on' } }).chart);
    // WHEN validated against the Kubernetes schemas THEN nothing is found
    expect(schemaFindings([...[...synthesized.values()].flat(), ...extra])).toEqual([]);
  });
});

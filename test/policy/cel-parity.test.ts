import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { AdmissionPolicies, PolicyPack, PolicyReport, PolicyRule } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';
import { AdmissionEvaluator, comprehensionDepth, kubernetesFieldNames, selectedFields } from '../support/cel-admission';
import { companions, hardenedDeployment } from '../support/fixtures';
import { synth, testChart } from '../support/helpers';
import { RULE_CASES } from '../support/rule-cases';

const evaluator = new AdmissionEvaluator();
const ALL_PACKS = [PolicyPack.RESTRICTED, PolicyPack.NSA_CISA, PolicyPack.BEST_PRACTICES, PolicyPack.IMAGE_DIGESTS];

/** The policy spec of each compiled rule of the packs, by rule id. */
function policiesOf(packs: PolicyPack[]): Map<string, any> {
  const { chart } = testChart();
  new AdmissionPolicies(chart, 'guard', { packs });
  return new Map(synth(chart).filter((m) => m.kind === 'ValidatingAdmissionPolicy')
    .map((m) => [m.metadata.labels['cdk8s-hardened.io/rule'], m.spec]));
}

const POLICIES = policiesOf(ALL_PACKS);
const RULES = new Map<string, PolicyRule>(ALL_PACKS.flatMap((p) => p.rules).map((r) => [r.id, r]));

/** The TypeScript verdict of one rule on one object (alone): whether it finds a violation. */
function violatesInTypeScript(rule: PolicyRule, manifest: any): boolean {
  return rule.evaluate([policyObject(manifest, 'test/o')]).some((r) => !r.compliant);
}

/** The CEL verdict: denied when any validation fails (or errors); evaluation errors are returned apart. */
function deniedInCel(ruleId: string, manifest: any): { denied: boolean; errors: string[] } {
  const verdict = evaluator.evaluate(POLICIES.get(ruleId), manifest);
  return { denied: verdict.failures.length > 0, errors: verdict.errors };
}

/** The Deployment's pod template as a CronJob. */
function asCronJob(deployment: any): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: deployment.metadata,
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: deployment.spec.template } } },
  };
}

/** The Deployment's pod template as a bare Pod. */
function asPod(deployment: any): any {
  const template = deployment.spec.template;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, name: deployment.metadata.name, namespace: 'shop' }, spec: template.spec };
}

const compiledCases = RULE_CASES.filter(([ruleId]) => POLICIES.has(ruleId));
const SHAPES: Array<[string, (d: any) => any]> = [['Deployment', (d) => d], ['CronJob', asCronJob], ['Pod', asPod]];

describe('every generated expression is CEL the API server accepts', () => {
  test('it parses, calls only the allowed functions, and every regex is RE2', () => {
    // GIVEN every policy of every built-in pack / THEN no expression has a problem
    expect([...POLICIES.values()].flatMap((spec) => evaluator.problems(spec))).toEqual([]);
  });

  test('every field it selects is a field of a Kubernetes type, or a variable or request field of the policy', () => {
    // GIVEN the field names of the Kubernetes types, the policy's variables and the admission request's fields
    const known = kubernetesFieldNames();
    const request = ['kind', 'resource', 'operation', 'namespace', 'name'];
    const resourceNames = ['cpu', 'memory']; // keys of resources.requests and .limits
    const unknown = [...POLICIES.values()].flatMap((spec) => {
      const own = new Set([...(spec.variables ?? []).map((v: any) => v.name), ...request, ...resourceNames]);
      const expressions = [...(spec.variables ?? []), ...spec.validations, ...(spec.matchConditions ?? [])]
        .flatMap((e: any) => [e.expression, e.messageExpression].filter(Boolean));
      return expressions.flatMap(selectedFields).filter((field: string) => !known.has(field) && !own.has(field));
    });
    // THEN none is unknown (a misspelt field behind ?. would read as unset and pass)
    expect(known.has('allowPrivilegeEscalation')).toBe(true);
    expect([...new Set(unknown)]).toEqual([]);
  });

  test('no expression nests comprehensions more than two deep (cost grows with the product of list sizes)', () => {
    // GIVEN every expression of every policy
    const expressions = [...POLICIES.values()].flatMap((spec) => [...(spec.variables ?? []), ...spec.validations]
      .flatMap((e: any) => [e.expression, e.messageExpression].filter(Boolean)));
    const depths = expressions.map(comprehensionDepth);
    // THEN the deepest is two (containers, then one list of a container: ports, capabilities), and the measure sees nesting
    expect(Math.max(...depths)).toBe(2);
    expect(comprehensionDepth('a.all(x, x.b.exists(y, y.c.map(z, z)))')).toBe(3);
  });

  test('the compiled rules are the single-object rules', () => {
    // THEN the rules that compile are those listed here, and every other built-in rule says why it does not
    expect([...POLICIES.keys()].sort()).toEqual(RULE_CASES.map(([id]) => id).filter((id) => RULES.get(id)!.admission.expressible).sort());
    expect(POLICIES.size).toBe(25);
  });
});

describe('each rule judges its fixtures in CEL as in TypeScript', () => {
  test.each(compiledCases)('%s', (ruleId, compliant, nonCompliant) => {
    const rule = RULES.get(ruleId)!;
    // GIVEN the rule's compliant and non-compliant fixtures (the digest rule's compliant one is its own), as a Deployment, a CronJob and a Pod
    const good = [...compliant(), ...(ruleId === 'BP-IMAGE-DIGEST' ? [] : [hardenedDeployment()])].filter((m) => evaluator.covers(POLICIES.get(ruleId), m));
    const bad = (ruleId === 'BP-IMAGE-DIGEST' ? [hardenedDeployment()] : nonCompliant()).filter((m) => evaluator.covers(POLICIES.get(ruleId), m));
    expect(bad.length).toBeGreaterThan(0);
    for (const [shape, reshape] of SHAPES) {
      for (const [expected, fixtures] of [[false, good], [true, bad]] as const) {
        for (const fixture of fixtures.map((m) => (m.kind === 'Deployment' ? reshape(m) : m))) {
          // WHEN judged by the generated policy and by the TypeScript rule
          const cel = deniedInCel(ruleId, fixture);
          // THEN they agree, without evaluation errors, and a Deployment or Pod fixture gets the expected verdict
          expect({ shape, cel: cel.denied, errors: cel.errors }).toEqual({ shape, cel: violatesInTypeScript(rule, fixture), errors: [] });
          if (shape !== 'CronJob' || ruleId !== 'BP-PROBES') expect({ shape, denied: cel.denied }).toEqual({ shape, denied: expected });
        }
      }
    }
  });

  test('the hardened Deployment and its companions pass every policy, in every shape', () => {
    // GIVEN the fixture that complies with every rule but the digest one
    for (const [shape, reshape] of SHAPES) {
      const failures = [...POLICIES].filter(([id]) => id !== 'BP-IMAGE-DIGEST')
        .flatMap(([id, spec]) => evaluator.evaluate(spec, reshape(hardenedDeployment())).failures.map((f) => `${id} ${f}`));
      // THEN no validation fails
      expect({ shape, failures }).toEqual({ shape, failures: [] });
    }
    expect(companions().length).toBe(2);
  });
});

// Kubernetes' own PodSecurity admission fixtures (see pss-conformance.test.ts): the CEL form of the Pod Security
// packs must admit exactly what upstream admits, at every version.
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'pss-conformance');

describe('the Pod Security policies agree with upstream PodSecurity admission on its own fixtures', () => {
  const folders = ['baseline', 'restricted'].flatMap((level) => readdirSync(path.join(FIXTURES, level)).sort().map((version) => [level, version]));
  let total = 0;

  test.each(folders)('%s %s', (level, version) => {
    // GIVEN the pack at the version, compiled to policies
    const pack = level === 'restricted' ? PolicyPack.restricted({ version }) : PolicyPack.baseline({ version });
    const policies = [...policiesOf([pack]).values()];
    const disagreements: string[] = [];
    for (const expected of ['pass', 'fail']) {
      const dir = path.join(FIXTURES, level, version, expected);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
        const pod = parse(readFileSync(path.join(dir, file), 'utf8'));
        // WHEN the API server would judge the Pod with every policy
        const verdicts = policies.map((spec) => evaluator.evaluate(spec, pod));
        const errors = verdicts.flatMap((v) => v.errors);
        const denied = verdicts.some((v) => v.failures.length > 0);
        // AND the TypeScript pack judges it
        const findings = PolicyReport._evaluate([policyObject(pod, file)], [pack], () => undefined).findings;
        if (errors.length > 0) disagreements.push(`${expected}/${file}: evaluation errors ${errors.join('; ')}`);
        if (denied !== (expected === 'fail')) disagreements.push(`${expected}/${file}: CEL ${denied ? 'denies' : 'admits'}`);
        if (denied !== findings.length > 0) disagreements.push(`${expected}/${file}: CEL and TypeScript disagree`);
        total++;
      }
    }
    // THEN CEL, TypeScript and upstream agree on every fixture
    expect(disagreements).toEqual([]);
  });

  test('every fixture was judged', () => {
    expect(total).toBe(1480);
  });
});

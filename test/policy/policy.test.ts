import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Policy, PolicyPack, PolicyRule, RuleResult, Severity, PolicyObject, SecureDeployment } from '../../src';
import { testChart } from '../support/helpers';

function privilegedPod(scope: Construct, id: string) {
  return new ApiObject(scope, id, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'debug' },
    spec: { containers: [{ name: 'debug', image: 'busybox:1.36.1', securityContext: { privileged: true } }] },
  });
}

describe('Policy.enforce', () => {
  test('a privileged raw ApiObject fails synth with the rule id, construct path and fix', () => {
    // GIVEN a chart with a privileged raw Pod, under enforcement
    const { app, chart } = testChart();
    privilegedPod(chart, 'debug');
    Policy.enforce(app, { printWarnings: false });
    // WHEN synthesized THEN it fails, naming the rule, the path, the object and the fix
    expect(() => app.synth()).toThrow(/\[PSS-PRIVILEGED\] shop\/debug \(Pod\/debug\): \/spec\/containers\/0\/securityContext\/privileged is true\. Fix: Set securityContext.privileged to false/);
  });

  test('an acknowledgement with a reason lets it pass and shows in the report', () => {
    // GIVEN the same Pod, every failing rule acknowledged on a wrapper construct
    const { app, chart } = testChart();
    const debugging = new Construct(chart, 'debugging');
    privilegedPod(debugging, 'debug');
    const rules = Policy.report(app).errors.map((f) => f.ruleId);
    expect(rules).toContain('PSS-PRIVILEGED');
    for (const ruleId of new Set(rules)) Policy.acknowledge(debugging, ruleId, 'break-glass debug pod, removed after the incident INC-42');
    Policy.enforce(app, { printWarnings: false });
    // WHEN synthesized THEN it passes
    expect(() => app.synth()).not.toThrow();
    // AND the report lists the acknowledgement and its reason
    const report = Policy.report(app);
    expect(report.errors).toEqual([]);
    expect(report.acknowledged.find((f) => f.ruleId === 'PSS-PRIVILEGED')).toMatchObject({
      path: 'shop/debugging/debug', acknowledgedReason: 'break-glass debug pod, removed after the incident INC-42',
    });
    expect(report.toText()).toMatch(/ACKNOWLEDGED \[PSS-PRIVILEGED\] shop\/debugging\/debug .*\n    reason: break-glass debug pod/);
  });

  test('warnings do not fail unless asked', () => {
    const { app, chart } = testChart();
    new ApiObject(chart, 'lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    Policy.enforce(app, { printWarnings: false });
    expect(() => app.synth()).not.toThrow();

    const strict = testChart();
    new ApiObject(strict.chart, 'lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    Policy.enforce(strict.app, { failOnWarnings: true, printWarnings: false });
    expect(() => strict.app.synth()).toThrow(/\[NSA-SERVICE-EXPOSURE\] shop\/lb/);
  });

  test('warnings are printed once per synth, with the rule, path and fix', () => {
    const { app, chart } = testChart();
    new ApiObject(chart, 'lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    Policy.enforce(app);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synthYaml();
      const printed = write.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('NSA-SERVICE-EXPOSURE'));
      expect(printed).toEqual([expect.stringMatching(/^cdk8s-hardened: WARNING \[NSA-SERVICE-EXPOSURE\] shop\/lb \(Service\/lb\): .*; fix: Use type ClusterIP/)]);
    } finally {
      write.mockRestore();
    }
  });

  test('enforcing on a chart checks only that chart', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'a' });
    const b = new Chart(app, 'b', { namespace: 'b' });
    privilegedPod(b, 'debug');
    new SecureDeployment(a, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080 });
    Policy.enforce(a, { printWarnings: false });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('Policy.acknowledge', () => {
  test('refuses an unknown rule id', () => {
    const { chart } = testChart();
    expect(() => Policy.acknowledge(chart, 'PSS-NOPE', 'a long enough reason')).toThrow(/Policy.acknowledge shop: unknown rule id "PSS-NOPE"; use one of .*PSS-PRIVILEGED/);
  });

  test('refuses a missing or short reason', () => {
    const { chart } = testChart();
    expect(() => Policy.acknowledge(chart, 'PSS-PRIVILEGED', 'because')).toThrow(/needs a reason of at least 10 characters/);
    expect(() => Policy.acknowledge(chart, 'PSS-PRIVILEGED', '          ')).toThrow(/needs a reason/);
  });
});

describe('Policy.report', () => {
  const { app, chart } = testChart();
  privilegedPod(chart, 'debug');
  new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
  const report = Policy.report(app);

  test('scores each pack as passed over applicable checks', () => {
    const restricted = report.scores.find((s) => s.pack === 'pss-restricted')!;
    expect(restricted.applicable).toBe(2 * PolicyPack.RESTRICTED.rules.length);
    expect(restricted.passed).toBeLessThan(restricted.applicable);
    expect(restricted.score).toBeCloseTo(restricted.passed / restricted.applicable);
  });

  test('JSON carries scores and findings', () => {
    const json = JSON.parse(report.toJson());
    expect(json.objectCount).toBe(6);
    expect(json.findings.map((f: any) => f.ruleId)).toContain('PSS-PRIVILEGED');
  });

  test('SARIF 2.1.0 with rules and logical locations', () => {
    const sarif = JSON.parse(report.toSarif());
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    const result = run.results.find((r: any) => r.ruleId === 'PSS-PRIVILEGED');
    expect(result.level).toBe('error');
    expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toBe('shop/debug');
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('PSS-PRIVILEGED');
  });
});

describe('custom rules and packs', () => {
  class NoDebugNamesRule extends PolicyRule {
    constructor() {
      super({ id: 'ACME-NO-DEBUG', title: 'No object is called debug', rationale: 'Debug objects are left behind.', severity: Severity.ERROR, standard: 'ACME platform rules', fix: 'Rename it.' });
    }
    public evaluate(objects: PolicyObject[]): RuleResult[] {
      return objects.map((object) => ({ object, compliant: object.name !== 'debug' }));
    }
  }
  const rule = new NoDebugNamesRule();

  test('a custom pack runs only its rules, and its ids can be acknowledged', () => {
    const { app, chart } = testChart();
    privilegedPod(chart, 'debug');
    const pack = PolicyPack.of('acme', [rule]);
    const report = Policy.report(app, { packs: [pack] });
    expect(report.errors.map((f) => f.ruleId)).toEqual(['ACME-NO-DEBUG']);
    expect(() => Policy.acknowledge(chart, 'ACME-NO-DEBUG', 'the debug pod is intended here')).not.toThrow();
    expect(Policy.report(app, { packs: [pack] }).errors).toEqual([]);
  });

  test('rule ids must be unique and well formed', () => {
    expect(() => new NoDebugNamesRule()).toThrow(/ACME-NO-DEBUG: a rule with this id already exists/);
    expect(() => PolicyPack.of('Bad Name', [])).toThrow(/pack names are lower-case/);
  });
});

describe('Policy.enforce at synth', () => {
  function webApp(enforce: boolean) {
    const { app, chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    if (enforce) Policy.enforce(app, { printWarnings: false });
    return { app, web };
  }

  test('synth writes what validation checked (the same YAML as without enforcement), and a later synth serializes afresh', () => {
    // GIVEN the same app with and without enforcement
    const enforced = webApp(true);
    const plain = webApp(false);
    // WHEN both are synthesized
    const first = enforced.app.synthYaml();
    // THEN the output is identical
    expect(first).toBe(plain.app.synthYaml());
    // AND after a change, the next synth carries it
    enforced.web.addEgressRule({ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] });
    expect(first).not.toContain('10.0.0.0/8');
    expect(enforced.app.synthYaml()).toContain('10.0.0.0/8');
  });

  test('a synth that fails validation leaves nothing behind: fixed and synthesized again, the output is the fixed one', () => {
    // GIVEN an enforced app whose pod fails only PSS-PRIVILEGED
    const { app, chart } = testChart();
    const pod = privilegedPod(chart, 'debug');
    const others = new Set(Policy.report(app).errors.map((f) => f.ruleId).filter((id) => id !== 'PSS-PRIVILEGED'));
    for (const id of others) Policy.acknowledge(pod, id, 'the debug pod is reviewed in this test');
    Policy.enforce(app, { printWarnings: false });
    expect(() => app.synthYaml()).toThrow(/PSS-PRIVILEGED/);
    // WHEN the pod is fixed through an escape hatch
    pod.addJsonPatch(JsonPatch.replace('/spec/containers/0/securityContext/privileged', false));
    // THEN the next synth checks and writes the fixed manifest
    expect(app.synthYaml()).toContain('privileged: false');
  });

  test('a report between synths sees the current objects', () => {
    const { app, chart } = testChart();
    const pod = privilegedPod(chart, 'debug');
    Policy.enforce(app, { printWarnings: false });
    expect(() => app.synthYaml()).toThrow(/PSS-PRIVILEGED/);
    pod.addJsonPatch(JsonPatch.replace('/spec/containers/0/securityContext/privileged', false));
    expect(Policy.report(app).errors.map((f) => f.ruleId)).not.toContain('PSS-PRIVILEGED');
  });
});

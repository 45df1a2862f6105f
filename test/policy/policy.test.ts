import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Policy, PolicyPack, SecureDeployment } from '../../src';
import { NoDebugNamesRule } from '../support/custom-rules';
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
      expect(printed).toEqual([expect.stringMatching(/^cdk8s-hardened: WARNING \[NSA-SERVICE-EXPOSURE\] shop\/lb \(Service\/lb\): .*; fix: Set spec.type to ClusterIP/)]);
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
  test('refuses what is not a rule id', () => {
    const { chart } = testChart();
    expect(() => Policy.acknowledge(chart, 'pss-privileged', 'a long enough reason')).toThrow(/Policy.acknowledge shop: "pss-privileged" is not a rule id/);
  });

  test('refuses a missing or short reason', () => {
    const { chart } = testChart();
    expect(() => Policy.acknowledge(chart, 'PSS-PRIVILEGED', 'because')).toThrow(/needs a reason of at least 10 characters/);
    expect(() => Policy.acknowledge(chart, 'PSS-PRIVILEGED', '          ')).toThrow(/needs a reason/);
  });

  test('refuses an error-level rule acknowledged for the whole app', () => {
    // GIVEN an app WHEN an error-level built-in rule is acknowledged on it THEN it is refused with the alternative
    const { app } = testChart();
    expect(() => Policy.acknowledge(app, 'PSS-PRIVILEGED', 'everything here is trusted anyway'))
      .toThrow(/Policy.acknowledge \(app\): PSS-PRIVILEGED is an error-level rule and cannot be acknowledged for the whole app .*acknowledge the chart/);
    // AND a warning-level rule may be
    expect(() => Policy.acknowledge(app, 'NSA-SERVICE-EXPOSURE', 'every chart is an internal tool')).not.toThrow();
  });

  test('an app-wide acknowledgement of an error-level custom rule is refused at synth', () => {
    // GIVEN a custom error rule acknowledged on the App (unknown to acknowledge, known at synth)
    const { app, chart } = testChart();
    privilegedPod(chart, 'debug');
    Policy.acknowledge(app, 'ACME-NO-DEBUG', 'debug pods are fine everywhere');
    // WHEN reported THEN the finding stays and the acknowledgement is an error of its own
    const report = Policy.report(app, { packs: [PolicyPack.of('acme', [new NoDebugNamesRule()])] });
    expect(report.errors.map((f) => f.ruleId).sort()).toEqual(['ACK-APP-WIDE', 'ACME-NO-DEBUG']);
    expect(report.acknowledgements).toEqual([expect.objectContaining({
      ruleId: 'ACME-NO-DEBUG',
      scope: '(app)',
      appWide: true,
      findings: 0,
      problem: expect.stringMatching(/^refused: ACME-NO-DEBUG is an error-level rule/),
    })]);
  });

  test('an acknowledgement of a rule no evaluated pack holds is reported at synth', () => {
    const { app, chart } = testChart();
    new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080 });
    Policy.acknowledge(chart, 'PSS-PRIVILEGD', 'typo of the privileged rule');
    const report = Policy.report(app);
    expect(report.warnings).toEqual([expect.objectContaining({
      ruleId: 'ACK-UNKNOWN-RULE',
      path: 'shop',
      message: expect.stringMatching(/acknowledgement of PSS-PRIVILEGD .* is unknown: none of the packs evaluated \(pss-restricted, nsa-cisa/),
    })]);
  });

  test('a stale acknowledgement is a warning in the report and on stderr', () => {
    // GIVEN a hardened workload with an acknowledgement that matches nothing
    const { app, chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080 });
    Policy.acknowledge(web, 'PSS-PRIVILEGED', 'it used to need privileges (OPS-1)');
    Policy.enforce(app);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // WHEN synthesized THEN it passes, and the stale acknowledgement is printed once
      app.synthYaml();
      const printed = write.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('ACK-STALE'));
      expect(printed).toEqual([expect.stringMatching(/WARNING \[ACK-STALE\] shop\/web: the acknowledgement of PSS-PRIVILEGED .* is stale: no PSS-PRIVILEGED finding under shop\/web/)]);
    } finally {
      write.mockRestore();
    }
    // AND the report lists it with its scope
    expect(Policy.report(app).acknowledgements).toEqual([expect.objectContaining({ ruleId: 'PSS-PRIVILEGED', scope: 'shop/web', findings: 0 })]);
    expect(Policy.report(app).toText()).toMatch(/acknowledgements:\n  PSS-PRIVILEGED at shop\/web: stale/);
  });

  test('every acknowledgement appears in the report with its scope and what it accepted', () => {
    const { app, chart } = testChart();
    new ApiObject(chart, 'lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    Policy.acknowledge(chart, 'NSA-SERVICE-EXPOSURE', 'the public entry point (PLAT-42)');
    const report = Policy.report(app);
    expect(report.acknowledgements).toEqual([{ ruleId: 'NSA-SERVICE-EXPOSURE', scope: 'shop', reason: 'the public entry point (PLAT-42)', appWide: false, findings: 1 }]);
    expect(report.toText()).toMatch(/NSA-SERVICE-EXPOSURE at shop: 1 finding accepted — the public entry point/);
  });
});

describe('Policy.report', () => {
  const { app, chart } = testChart();
  privilegedPod(chart, 'debug');
  new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
  const report = Policy.report(app);

  test('scores each pack as passed over applicable checks', () => {
    const restricted = report.scores.find((s) => s.pack === 'pss-restricted')!;
    // every restricted rule that judges a pod applies to both workloads: twice what one workload gets
    const one = testChart();
    new SecureDeployment(one.chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    const applicableToOne = Policy.report(one.app).scores.find((s) => s.pack === 'pss-restricted')!.applicable;
    expect(applicableToOne).toBeGreaterThanOrEqual(PolicyPack.RESTRICTED.rules.length - 1);
    expect(restricted.applicable).toBe(2 * applicableToOne);
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
  const rule = new NoDebugNamesRule();

  test('a custom pack runs only its rules, and its ids can be acknowledged', () => {
    const { app, chart } = testChart();
    privilegedPod(chart, 'debug');
    const pack = PolicyPack.of('acme', [rule]);
    const report = Policy.report(app, { packs: [pack] });
    expect(report.errors.map((f) => f.ruleId)).toEqual(['ACME-NO-DEBUG']);
    // (a report of a cdk8s app carries the construct hint beside the manifest fix)
    expect(report.errors[0]).toEqual(expect.objectContaining({ fix: 'Rename it (metadata.name).', constructFix: 'Give the construct another id.' }));
    expect(report.toText()).toContain('    fix: Rename it (metadata.name).\n    with cdk8s-hardened: Give the construct another id.');
    expect(() => Policy.acknowledge(chart, 'ACME-NO-DEBUG', 'the debug pod is intended here')).not.toThrow();
    expect(Policy.report(app, { packs: [pack] }).errors).toEqual([]);
  });

  test('rules are plain values: the same rule can be constructed again (no registry), ids must be well formed', () => {
    expect(() => new NoDebugNamesRule()).not.toThrow();
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

describe('Policy.enforce is a pure pass over the tree', () => {
  test('it leaves every ApiObject as it was: no own toJson, same output as without enforcement', () => {
    const { app, chart } = testChart();
    new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    Policy.enforce(app, { printWarnings: false });
    app.synthYaml();
    for (const construct of app.node.findAll()) {
      if (construct instanceof ApiObject) expect(Object.prototype.hasOwnProperty.call(construct, 'toJson')).toBe(false);
    }
  });

  test('a change right after a synth is serialized afresh', () => {
    // GIVEN an enforced app of the library's own objects, synthesized
    const { app, chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    Policy.enforce(app, { printWarnings: false });
    const before = app.synthYaml();
    // WHEN the Deployment is changed through an escape hatch in the same synchronous turn
    ApiObject.of(web.deployment).addJsonPatch(JsonPatch.add('/metadata/labels/changed', 'yes'));
    // THEN its own toJson, a chart synth and an app synth all carry the change
    expect(ApiObject.of(web.deployment).toJson().metadata.labels.changed).toBe('yes');
    expect(Testing.synth(chart).find((m) => m.kind === 'Deployment').metadata.labels.changed).toBe('yes');
    expect(app.synthYaml()).toContain('changed: "yes"');
    expect(before).not.toContain('changed');
  });

  test('a change after a failed synth is serialized afresh', () => {
    // GIVEN an app whose synth fails on a privileged pod beside a SecureDeployment
    const { app, chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    privilegedPod(chart, 'debug');
    Policy.enforce(app, { printWarnings: false });
    expect(() => app.synthYaml()).toThrow(/PSS-PRIVILEGED/);
    // WHEN the Deployment changes afterwards THEN its serialization shows the change
    ApiObject.of(web.deployment).addJsonPatch(JsonPatch.add('/metadata/labels/changed', 'yes'));
    expect(ApiObject.of(web.deployment).toJson().metadata.labels.changed).toBe('yes');
  });

  test('under a plain App it evaluates at every validation cdk8s makes: N + 1 per synth for N charts', () => {
    // GIVEN a plain app of three charts and a counting rule
    const app = Testing.app();
    for (const id of ['a', 'b', 'c']) new Chart(app, id, { namespace: id });
    const counting = new NoDebugNamesRule();
    Policy.enforce(app, { packs: [PolicyPack.of('acme', [counting])], printWarnings: false });
    // WHEN synthesized twice THEN each synth evaluated four times (once for the app, once per chart)
    app.synthYaml();
    app.synthYaml();
    expect(counting.evaluations).toBe(8);
  });

  test('a change between two synchronous synths is seen, whichever synth entry point is used', () => {
    // GIVEN an enforced, passing app
    const { app, chart } = testChart();
    const pod = new ApiObject(chart, 'debug', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ok' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36.1' }] },
    });
    const counting = new NoDebugNamesRule();
    Policy.enforce(app, { packs: [PolicyPack.of('acme', [counting])], printWarnings: false });
    expect(() => app.synthYaml()).not.toThrow();
    // WHEN the object is renamed through an escape hatch in the same synchronous turn
    pod.addJsonPatch(JsonPatch.replace('/metadata/name', 'debug'));
    // THEN every entry point sees it
    expect(() => Testing.synth(chart)).toThrow(/ACME-NO-DEBUG/);
    expect(() => chart.toJson()).toThrow(/ACME-NO-DEBUG/);
    expect(() => app.synthYaml()).toThrow(/ACME-NO-DEBUG/);
  });
});

import { existsSync, mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AdmissionEvaluator } from './cel-admission';
import { AdmissionPolicies, Policy } from '../../src';

/** The folder of the example apps. */
export const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

/** The examples: every folder of examples/ with a main.ts. */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((name) => existsSync(path.join(EXAMPLES_DIR, name, 'main.ts'))).sort();
}

/**
 * The tests of one example app (examples/<name>/main.ts): its manifests against the snapshot of the calling test
 * file (one snapshot file per example), no finding, every reference resolved, and admitted by the cluster.
 */
export function describeExample(name: string): void {
  describe(`examples/${name}`, () => {
    // GIVEN the example app, synthesized into a scratch folder
    process.env.CDK8S_OUTDIR = mkdtempSync(path.join(tmpdir(), `example-${name}-`));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an example synthesizes when loaded
    const { app } = require(path.join(EXAMPLES_DIR, name, 'main.ts')) as { app: App };

    test('its manifests are what the snapshot says', () => {
      expect(Object.fromEntries(app.charts.map((chart) => [chart.node.id, chart.toJson()]))).toMatchSnapshot();
    });

    test('it has no unacknowledged finding', () => {
      expect(Policy.report(app).findings).toEqual([]);
    });

    test('every object it names is defined in it or declared as a prerequisite (none is acknowledged away)', () => {
      const report = Policy.report(app);
      expect([...report.findings, ...report.acknowledged].filter((f) => f.ruleId === 'K8S-REFERENCES-RESOLVE')).toEqual([]);
      expect(report.prerequisites.every((p) => /^(Secret|ConfigMap|ServiceAccount|PriorityClass) /.test(p))).toBe(true);
    });

    // Last: it adds a chart to the app.
    test('the cluster admits it: no policy of the default packs (with its acknowledgements) denies any of its objects', () => {
      // GIVEN the admission policies of the default packs, generated from the example's own tree
      const charts = [...app.charts];
      const guard = new Chart(app, 'admission-check');
      new AdmissionPolicies(guard, 'check');
      const evaluator = new AdmissionEvaluator();
      const policies = guard.toJson().filter((m: any) => m.kind === 'ValidatingAdmissionPolicy');
      // WHEN each of the example's objects is judged by each policy that covers it
      const objects = charts.flatMap((chart) => chart.toJson());
      const denials = objects.flatMap((object: any) => policies.filter((p: any) => evaluator.covers(p.spec, object))
        .flatMap((p: any) => evaluator.evaluate(p.spec, object).failures.map((f) => `${object.kind}/${object.metadata.name}: ${f}`)));
      // THEN none is denied, and the workloads were judged
      expect(denials).toEqual([]);
      expect(objects.some((object: any) => policies.some((p: any) => evaluator.covers(p.spec, object)))).toBe(true);
    });
  });
}

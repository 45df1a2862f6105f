import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { HardenedApp, Policy, PolicyObject, PolicyPack, PolicyRule, RuleResult, SecureDeployment, Severity } from '../../src';
import { parseKubernetesYaml } from '../../src/parsers/kube-yaml';
import { EXPECTATIONS_FILE } from '../../src/policy/expectations';
import { NoDebugNamesRule } from '../support/custom-rules';

function pod(scope: Construct, id: string, name: string): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox:1.36.1' }] } });
}

function threeCharts(app: App): Chart[] {
  return ['a', 'b', 'c'].map((id) => new Chart(app, id, { namespace: id }));
}

function hardenedApp(packs: PolicyPack[], printWarnings = false): HardenedApp {
  return new HardenedApp({ outdir: Testing.app().outdir, packs, printWarnings });
}

describe('HardenedApp', () => {
  test('evaluates once per synthYaml and once per synth, however many charts cdk8s validates', () => {
    // GIVEN a hardened app of three charts and a counting rule
    const counting = new NoDebugNamesRule();
    const app = hardenedApp([PolicyPack.of('acme', [counting])]);
    threeCharts(app);
    // WHEN synthesized through both entry points
    app.synthYaml();
    app.synth();
    // THEN each call evaluated once (cdk8s validated four times per call)
    expect(counting.evaluations).toBe(2);
  });

  test('Policy.enforce with the same scope and packs under a HardenedApp shares its evaluation', () => {
    // GIVEN a hardened app and an enforcement of the same packs on it
    const counting = new NoDebugNamesRule();
    const packs = [PolicyPack.of('acme', [counting])];
    const app = hardenedApp(packs);
    threeCharts(app);
    Policy.enforce(app, { packs, printWarnings: false });
    // WHEN synthesized THEN the packs were evaluated once
    app.synthYaml();
    expect(counting.evaluations).toBe(1);
  });

  test('Policy.enforce on a chart of a HardenedApp evaluates once per synth too', () => {
    // GIVEN a hardened app with the default packs and an enforcement of a counting pack on one chart
    const counting = new NoDebugNamesRule();
    const app = hardenedApp(PolicyPack.defaults());
    const [a] = threeCharts(app);
    Policy.enforce(a, { packs: [PolicyPack.of('acme', [counting])], printWarnings: false });
    // WHEN synthesized twice THEN the chart's packs were evaluated once per synth
    app.synthYaml();
    app.synthYaml();
    expect(counting.evaluations).toBe(2);
  });

  test('fails with the same text as Policy.enforce on a plain App', () => {
    // GIVEN the same failing chart in a hardened app and in a plain app under Policy.enforce
    const packs = [PolicyPack.of('acme', [new NoDebugNamesRule()])];
    const hardened = hardenedApp(packs);
    pod(new Chart(hardened, 'shop', { namespace: 'shop' }), 'debug', 'debug');
    const plain = Testing.app();
    pod(new Chart(plain, 'shop', { namespace: 'shop' }), 'debug', 'debug');
    Policy.enforce(plain, { packs, printWarnings: false });
    // WHEN both are synthesized THEN both throw the same message
    const message = (app: App) => {
      try {
        app.synthYaml();
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(message(hardened)).toBe(message(plain));
    expect(message(hardened)).toMatch(/^Validation failed with the following errors:\n {2}\[\] \[ACME-NO-DEBUG\] shop\/debug \(Pod\/debug\)/);
  });

  test('prints each warning once per synth, and again at the next synth', () => {
    // GIVEN a hardened app with a LoadBalancer Service in two charts' app
    const app = new HardenedApp({ outdir: Testing.app().outdir });
    const [a] = threeCharts(app);
    new ApiObject(a, 'lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // WHEN synthesized twice
      app.synthYaml();
      app.synthYaml();
      // THEN the warning was printed once per synth
      const printed = write.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('NSA-SERVICE-EXPOSURE'));
      expect(printed).toEqual([
        expect.stringMatching(/^cdk8s-hardened: WARNING \[NSA-SERVICE-EXPOSURE\] a\/lb \(Service\/lb\)/),
        expect.stringMatching(/^cdk8s-hardened: WARNING \[NSA-SERVICE-EXPOSURE\] a\/lb \(Service\/lb\)/),
      ]);
    } finally {
      write.mockRestore();
    }
  });

  test('writes the same YAML as a plain App, and a change between synths is seen', () => {
    // GIVEN the same SecureDeployment in a hardened and in a plain app
    const hardened = hardenedApp(PolicyPack.defaults());
    const web = new SecureDeployment(new Chart(hardened, 'shop', { namespace: 'shop' }), 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    const plain = Testing.app();
    new SecureDeployment(new Chart(plain, 'shop', { namespace: 'shop' }), 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    // WHEN both are synthesized THEN the output is identical
    const first = hardened.synthYaml();
    expect(first).toBe(plain.synthYaml());
    // AND a change made after the synth reaches the next one
    ApiObject.of(web.deployment).addJsonPatch(JsonPatch.add('/metadata/labels/changed', 'yes'));
    expect(hardened.synthYaml()).toContain('changed: "yes"');
    expect(first).not.toContain('changed');
  });

  test('outside synth every validation evaluates afresh: a renamed object fails Testing.synth and chart.toJson', () => {
    // GIVEN a passing hardened app, synthesized
    const counting = new NoDebugNamesRule();
    const app = hardenedApp([PolicyPack.of('acme', [counting])]);
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const object = pod(chart, 'p', 'ok');
    expect(() => app.synthYaml()).not.toThrow();
    // WHEN the object is renamed in the same synchronous turn
    object.addJsonPatch(JsonPatch.replace('/metadata/name', 'debug'));
    // THEN every entry point sees it
    expect(() => Testing.synth(chart)).toThrow(/ACME-NO-DEBUG/);
    expect(() => chart.toJson()).toThrow(/ACME-NO-DEBUG/);
    expect(() => app.synthYaml()).toThrow(/ACME-NO-DEBUG/);
  });

  test('refuses options that are not PolicyOptions, naming HardenedApp', () => {
    // GIVEN packs that are pack names (a JavaScript caller)
    // WHEN a HardenedApp is made THEN the error names it and the fix
    expect(() => new HardenedApp({ packs: ['restricted'] as any })).toThrow(/^HardenedApp \(app\): packs must be a list of PolicyPacks/);
  });

  test('the manifests the engine judges carry nothing but their own fields (no cached views on them)', () => {
    // GIVEN a workload, the default packs (whose pod rules read the pod view) and a rule that keeps what it was given
    const seen: PolicyObject[] = [];
    class Keeping extends PolicyRule {
      constructor() {
        super({ id: 'ACME-KEEP', title: 'Keeps objects', rationale: 'Test.', severity: Severity.WARNING, standard: 'ACME', fix: 'None.' });
      }
      public evaluate(objects: PolicyObject[]): RuleResult[] {
        seen.push(...objects);
        return [];
      }
    }
    const app = Testing.app();
    new SecureDeployment(new Chart(app, 'shop', { namespace: 'shop' }), 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    // WHEN the packs are evaluated (the keeping rule last)
    Policy.report(app, { packs: [...PolicyPack.defaults(), PolicyPack.of('acme', [new Keeping()])] });
    // THEN no manifest, nor any object in it, has a symbol key
    expect(seen.some((object) => object.kind === 'Deployment')).toBe(true);
    const symbols = (value: any): number => (value === null || typeof value !== 'object' ? 0
      : Object.getOwnPropertySymbols(value).length + Object.values(value).reduce((n: number, v) => n + symbols(v), 0));
    for (const object of seen) expect(symbols(object.manifest)).toBe(0);
  });
});

describe('HardenedApp writes what App writes, serializing each object once', () => {
  /** Every file under a folder, by relative path, with its content. */
  function filesUnder(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    const walk = (folder: string) => readdirSync(folder, { withFileTypes: true }).forEach((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(dir, full)] = readFileSync(full, 'utf8');
    });
    walk(dir);
    return files;
  }

  /** An app of three charts where one depends on another and one is nested, with a hardened workload. */
  function populate(app: App): void {
    const db = new Chart(app, 'db', { namespace: 'db' });
    const web = new Chart(app, 'web', { namespace: 'web' });
    new SecureDeployment(web, 'api', { image: 'quay.io/acme/api:1.2.3', port: 8080 });
    const job = pod(db, 'migrate', 'migrate');
    web.addDependency(job);
    new Chart(web, 'nested', { namespace: 'nested' });
    Policy.acknowledge(db, 'PSS-RUN-AS-NON-ROOT', 'the migration pod is a fixture of this test');
  }

  test.each([
    ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
    ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ])('%s: the same files, names and content, and the construct metadata', (_, yamlOutputType) => {
    // GIVEN the same app as a plain App and as a HardenedApp that acknowledges nothing it should not
    const plainDir = mkdtempSync(path.join(tmpdir(), 'plain-'));
    const hardenedDir = mkdtempSync(path.join(tmpdir(), 'hardened-'));
    const plain = new App({ outdir: plainDir, yamlOutputType, recordConstructMetadata: true });
    const hardened = new HardenedApp({ outdir: hardenedDir, yamlOutputType, recordConstructMetadata: true, packs: [], printWarnings: false });
    populate(plain);
    populate(hardened);
    // WHEN both synthesize
    plain.synth();
    hardened.synth();
    // THEN the folders hold the same files with the same content, and the expectations file beside them
    const { [EXPECTATIONS_FILE]: expectations, ...written } = filesUnder(hardenedDir);
    expect(Object.keys(written).length).toBeGreaterThan(1);
    expect(written).toEqual(filesUnder(plainDir));
    expect(JSON.parse(expectations).objects).toContainEqual({ kind: 'Pod', namespace: 'db', name: 'migrate', path: 'db/migrate' });
  });

  test('synthYaml equals App.synthYaml for the same app', () => {
    const plain = new App({ outdir: Testing.app().outdir });
    const hardened = new HardenedApp({ outdir: Testing.app().outdir, packs: [], printWarnings: false });
    populate(plain);
    populate(hardened);
    expect(hardened.synthYaml()).toEqual(plain.synthYaml());
  });

  describe('except strings kubectl would read otherwise: quoted or escaped, so the output reads back as what was checked', () => {
    const data = { 'mode': '0o17', 'mask': '0X1F', 'flags': '0B101', 'big': '1e1_0', '<<': 'merge', 'note': 'uid 1000\u2028privileged: true', 'ctl': 'x\u0085y' };
    /** An app with a ConfigMap holding those strings. */
    function withStrings(app: App): void {
      new ApiObject(new Chart(app, 'config', { namespace: 'config' }), 'strings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strings' }, data });
    }
    /** The ConfigMap's data as kubectl reads the YAML, or why it refuses it. */
    function dataKubectlReads(yaml: string): unknown {
      try {
        return (parseKubernetesYaml(yaml, 'out.yaml') as any[]).find((m) => m.kind === 'ConfigMap').data;
      } catch (e) {
        return (e as Error).message;
      }
    }

    test.each([
      ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
      ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
      ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
      ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
    ])('%s', (_, yamlOutputType) => {
      // GIVEN the app as a plain App and as a HardenedApp
      const plainDir = mkdtempSync(path.join(tmpdir(), 'plain-'));
      const hardenedDir = mkdtempSync(path.join(tmpdir(), 'hardened-'));
      const plain = new App({ outdir: plainDir, yamlOutputType });
      const hardened = new HardenedApp({ outdir: hardenedDir, yamlOutputType, packs: [], printWarnings: false });
      withStrings(plain);
      withStrings(hardened);
      // WHEN both synthesize
      plain.synth();
      hardened.synth();
      // THEN kubectl reads the HardenedApp's file as the data, and not cdk8s's (numbers, a merge, a line break)
      const yamlOf = (dir: string) => Object.entries(filesUnder(dir)).filter(([name]) => name.endsWith('.k8s.yaml')).map(([, text]) => text).join('---\n');
      expect(dataKubectlReads(yamlOf(hardenedDir))).toStrictEqual(data);
      expect(dataKubectlReads(yamlOf(plainDir))).not.toStrictEqual(data);
    });

    test('synthYaml', () => {
      const app = new HardenedApp({ outdir: Testing.app().outdir, packs: [], printWarnings: false });
      withStrings(app);
      expect(dataKubectlReads(app.synthYaml())).toStrictEqual(data);
    });
  });

  test('each object is serialized once per synth, checked and written from the same manifest', () => {
    // GIVEN a hardened app with the default packs, and a count of serializations
    const app = new HardenedApp({ outdir: Testing.app().outdir, printWarnings: false });
    for (const id of ['web', 'shop']) new SecureDeployment(new Chart(app, id, { namespace: id }), 'api', { image: 'quay.io/acme/api:1.2.3', port: 8080 });
    const objects = app.node.findAll().filter((c) => c instanceof ApiObject).length;
    const serialize = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      // WHEN synthesized
      app.synthYaml();
      // THEN every object was serialized once (the engine judged the manifests the output was written from)
      expect(serialize).toHaveBeenCalledTimes(objects);
    } finally {
      serialize.mockRestore();
    }
  });

  test('an app without charts still runs its validations, the policy among them', () => {
    // GIVEN a hardened app with no chart and an acknowledgement that matches nothing
    const app = new HardenedApp({ outdir: Testing.app().outdir, failOnWarnings: true, printWarnings: false });
    Policy.acknowledge(app, 'BP-PROBES', 'nothing here has probes yet, and that is fine for this test');
    // WHEN synthesized THEN the stale acknowledgement fails it, as it fails App.synth under Policy.enforce
    expect(() => app.synthYaml()).toThrow(/Validation failed with the following errors:\n {2}\[\] \[ACK-/);
  });
});

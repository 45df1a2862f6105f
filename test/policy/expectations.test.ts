import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ApiObject, Chart, YamlOutputType } from 'cdk8s';
import { ValidationContext } from 'cdk8s-cli/plugins';
import * as kplus from 'cdk8s-plus-27';
import { HardenedApp, HardenedValidation, Prerequisite } from '../../src';
import { runCheck } from '../../src/cli/check';
import { EXPECTATIONS_FILE, readExpectations } from '../../src/policy/expectations';

/** A pod that mounts a Secret by name (K8S-REFERENCES-RESOLVE unless the Secret is known). */
function podReading(chart: Chart, id: string, name: string, secret: string): void {
  new ApiObject(chart, id, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36.1' }], volumes: [{ name: 's', secret: { secretName: secret } }] },
  });
}

/** An app reading an external Secret through cdk8s-plus and a declared one, synthesized by HardenedApp. */
function synthesized(yamlOutputType = YamlOutputType.FILE_PER_CHART): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'expectations-'));
  const app = new HardenedApp({ outdir, yamlOutputType, packs: [], printWarnings: false, recordConstructMetadata: true });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  kplus.Secret.fromSecretName(chart, 'creds', 'db-credentials');
  Prerequisite.secret(chart, 'api-token');
  podReading(chart, 'reader', 'reader', 'db-credentials');
  podReading(chart, 'token', 'token', 'api-token');
  app.synth();
  return outdir;
}

const references = (findings: any[]) => findings.filter((f) => f.ruleId === 'K8S-REFERENCES-RESOLVE');

/** A file holding the text, in a folder of its own. */
function fileWith(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'expectations-')), EXPECTATIONS_FILE);
  writeFileSync(file, text);
  return file;
}

describe('the expectations file (cdk8s-hardened.expectations)', () => {
  test('HardenedApp.synth writes the prerequisites and each object\'s construct path beside the YAML', () => {
    // GIVEN an app with a cdk8s-plus import and a Prerequisite WHEN synthesized
    const outdir = synthesized();
    // THEN the file holds both, and every object with its path, in a stable order
    expect(JSON.parse(readFileSync(path.join(outdir, EXPECTATIONS_FILE), 'utf8'))).toEqual({
      format: 'cdk8s-hardened.expectations',
      version: 1,
      prerequisites: [
        { kind: 'Secret', namespace: 'shop', name: 'api-token', path: 'shop/Prerequisite Secret shop api-token' },
        { kind: 'Secret', namespace: 'shop', name: 'db-credentials', path: 'shop/creds' },
      ],
      objects: [
        { kind: 'Pod', namespace: 'shop', name: 'reader', path: 'shop/reader' },
        { kind: 'Pod', namespace: 'shop', name: 'token', path: 'shop/token' },
      ],
    });
  });

  test('check reads it from a folder target: references to what the app declared resolve', () => {
    // GIVEN the synthesized folder
    const outdir = synthesized();
    // WHEN checked with the cluster-fit pack
    const { output, status } = runCheck([outdir, '--packs', 'cluster-fit', '--format', 'json']);
    // THEN no reference warning, and the report lists what the app expects
    expect(status).toBe(0);
    const report = JSON.parse(output);
    expect(references(report.findings)).toEqual([]);
    expect(report.prerequisites).toEqual(['Secret shop/api-token', 'Secret shop/db-credentials']);
  });

  test('without it the references warn; --expectations names it explicitly', () => {
    // GIVEN the YAML file alone, outside its folder
    const outdir = synthesized();
    const yaml = path.join(outdir, readdirSync(outdir).find((f) => f.endsWith('.yaml'))!);
    // THEN checking the file warns twice, and with --expectations not at all
    expect(references(JSON.parse(runCheck([yaml, '--packs', 'cluster-fit', '--format', 'json']).output).findings)).toHaveLength(2);
    const withFile = runCheck([yaml, '--packs', 'cluster-fit', '--format', 'json', '--expectations', path.join(outdir, EXPECTATIONS_FILE)]);
    expect(references(JSON.parse(withFile.output).findings)).toEqual([]);
  });

  test('the plugin reads it from the output folder: no reference warning, and the expectations in the summary', async () => {
    // GIVEN the output, as the CLI hands it to the plugin (folder per chart: the manifests sit one folder down)
    const outdir = synthesized(YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE);
    const manifests = readdirSync(path.join(outdir, 'shop')).map((f) => path.join(outdir, 'shop', f));
    const context = new ValidationContext(manifests, 'cdk8s-hardened', '0.0.0', {}, false);
    // WHEN validated with the cluster-fit pack
    await new HardenedValidation({ packs: ['cluster-fit'] }).validate(context);
    // THEN nothing is reported, and the summary names what the app expects and the file
    const json = context.report.toJson();
    expect(json.violations).toEqual([]);
    expect(json.summary.metadata!['expects from the cluster']).toBe(`Secret shop/api-token, Secret shop/db-credentials (${path.join(outdir, EXPECTATIONS_FILE)})`);
  });

  test('the plugin shows objects that share a name at their own construct paths, and acknowledges by them', async () => {
    // GIVEN two objects named "web" (a Pod reading an undeclared Secret, and a ConfigMap), and the CLI's metadata of them
    const outdir = mkdtempSync(path.join(tmpdir(), 'expectations-'));
    const app = new HardenedApp({ outdir, packs: [], printWarnings: false, recordConstructMetadata: true });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    podReading(chart, 'pod', 'web', 'missing');
    new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { a: 'b' } });
    app.synth();
    const metadata = Object.fromEntries(Object.entries(JSON.parse(readFileSync(path.join(outdir, 'construct-metadata.json'), 'utf8')).resources)
      .map(([name, m]: [string, any]) => [name, { path: m.path }]));
    const manifests = [path.join(outdir, 'shop.k8s.yaml')];
    // WHEN validated, then with an acknowledgement by the Pod's construct path
    const shown = new ValidationContext(manifests, 'cdk8s-hardened', '0.0.0', metadata, false);
    await new HardenedValidation({ packs: ['cluster-fit'] }).validate(shown);
    const acknowledged = new ValidationContext(manifests, 'cdk8s-hardened', '0.0.0', metadata, false);
    await new HardenedValidation({
      packs: ['cluster-fit'],
      acknowledgements: [{ ruleId: 'K8S-REFERENCES-RESOLVE', constructPath: 'shop/pod', reason: 'the Secret is created by hand (OPS-9)' }],
    }).validate(acknowledged);
    // THEN the finding names the Pod and its own path (not the ConfigMap's), and the acknowledgement covers it
    expect(shown.report.toJson().violations[0].violatingConstructs).toEqual([
      expect.objectContaining({ resourceName: 'Pod/shop/web at shop/pod', constructPath: undefined }),
    ]);
    expect(acknowledged.report.toJson().violations).toEqual([]);
  });

  test.each([
    ['not JSON', '{"format": ', /not JSON/],
    ['a list', '[]', /not a JSON object/],
    ['another format', JSON.stringify({ format: 'other', version: 1, prerequisites: [], objects: [] }), /"format" is "other"/],
    ['another version', JSON.stringify({ format: 'cdk8s-hardened.expectations', version: 2, prerequisites: [], objects: [] }),
      /"version" is 2; this version reads version 1/],
    ['an unknown key', JSON.stringify({ format: 'cdk8s-hardened.expectations', version: 1, prerequisites: [], objects: [], extra: 1 }),
      /unknown key "extra"/],
    ['prerequisites that are not a list', JSON.stringify({ format: 'cdk8s-hardened.expectations', version: 1, prerequisites: {}, objects: [] }),
      /"prerequisites" is not a list/],
    ['a numeric kind', JSON.stringify({ format: 'cdk8s-hardened.expectations', version: 1, prerequisites: [{ kind: 1, name: 'a', path: 'p' }], objects: [] }),
      /"prerequisites"\[0\]\.kind is 1, not a non-empty string/],
    ['a missing path', JSON.stringify({ format: 'cdk8s-hardened.expectations', version: 1, prerequisites: [], objects: [{ kind: 'Pod', name: 'a' }] }),
      /"objects"\[0\]\.path is missing/],
    ['an empty namespace', JSON.stringify({
      format: 'cdk8s-hardened.expectations',
      version: 1,
      prerequisites: [{ kind: 'Secret', namespace: '', name: 'a', path: 'p' }],
      objects: [],
    }), /"prerequisites"\[0\]\.namespace is ""/],
    ['an entry that is null', JSON.stringify({ format: 'cdk8s-hardened.expectations', version: 1, prerequisites: [null], objects: [] }),
      /"prerequisites"\[0\] is not an object/],
  ])('a file with %s is refused with the file and the problem', (_what, text, problem) => {
    // GIVEN a hostile expectations file
    const file = fileWith(text);
    // THEN reading it fails, naming the file and the problem
    expect(() => readExpectations(file)).toThrow(problem);
    expect(() => readExpectations(file)).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*; it is not an expectations file`));
    // AND check stops with exit 2, and the plugin with the same error
    const manifest = path.join(path.dirname(file), 'shop.k8s.yaml');
    writeFileSync(manifest, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\n');
    expect(runCheck([path.dirname(file)])).toEqual({ status: 2, output: expect.stringMatching(problem) });
    return expect(new HardenedValidation().validate(new ValidationContext([manifest], 'p', '0', {}, false))).rejects.toThrow(problem);
  });

  test('check refuses an --expectations file that does not exist', () => {
    const folder = path.dirname(fileWith('{}'));
    writeFileSync(path.join(folder, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    expect(runCheck([path.join(folder, 'a.yaml'), '--expectations', path.join(folder, 'nope')]))
      .toEqual({ status: 2, output: expect.stringMatching(/nope: cannot read the expectations file \(ENOENT\)/) });
  });
});

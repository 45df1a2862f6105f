import * as path from 'path';
import { stringify } from 'yaml';
import { runCheck } from '../../src/cli/check';
import { companions, hardenedDeployment } from '../support/fixtures';
import { folderWith } from '../support/manifest-folder';

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };

/** A repository with a Helm chart's files, a kustomization and a workflow beside the rendered manifests. */
function repository(): string {
  return folderWith({
    'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
    'chart/values.yaml': 'replicaCount: 2\nimage:\n  tag: 1.4.2\n',
    'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - rendered/shop.yaml\n',
    '.github/workflows/ci.yml': 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: []\n',
    'rendered/shop.yaml': [namespace, hardenedDeployment(), ...companions()],
  });
}

describe('check: files that hold no Kubernetes object are skipped and listed', () => {
  test('text: a "skipped" section, one line per file with the reason; the manifests are checked', () => {
    // GIVEN a repository folder
    const dir = repository();
    // WHEN checked
    const { output, status } = runCheck([dir]);
    // THEN the manifests pass, and each other file is named with why it was skipped
    expect(status).toBe(0);
    expect(output).toMatch(/^4 objects checked: 0 errors/);
    expect(output.split('\n').slice(-5)).toEqual([
      'skipped (no Kubernetes objects):',
      `  ${path.join(dir, '.github/workflows/ci.yml')}: no document has a kind: not a Kubernetes manifest (kubectl apply would refuse it)`,
      `  ${path.join(dir, 'chart/Chart.yaml')}: a Helm chart's metadata, not a manifest; render the chart (helm template) and check the output`,
      `  ${path.join(dir, 'chart/values.yaml')}: Helm values, not a manifest; render the chart (helm template) and check the output`,
      `  ${path.join(dir, 'kustomization.yaml')}: a kustomize file, not a manifest; check what kubectl kustomize renders`,
    ]);
  });

  test('JSON: a skipped list; SARIF: a note per file, at the file', () => {
    // GIVEN a repository folder
    const dir = repository();
    // WHEN checked as JSON and SARIF
    const json = JSON.parse(runCheck([dir, '--format', 'json']).output);
    const sarif = JSON.parse(runCheck([dir, '--format', 'sarif'], undefined, dir).output);
    // THEN both list the four files
    expect(json.skipped).toHaveLength(4);
    expect(json.skipped[2]).toEqual({ file: path.join(dir, 'chart/values.yaml'), reason: expect.stringMatching(/^Helm values/) });
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toHaveLength(4);
    expect(notes[1]).toEqual({
      level: 'note',
      message: { text: expect.stringMatching(/^skipped .*Chart\.yaml: a Helm chart's metadata/) },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'chart/Chart.yaml', uriBaseId: '%SRCROOT%' } } }],
    });
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  test('a clean folder lists nothing', () => {
    // GIVEN manifests only / THEN no skipped section or entries
    const dir = folderWith({ 'shop.yaml': [namespace, hardenedDeployment(), ...companions()] });
    expect(runCheck([dir]).output).not.toContain('skipped');
    expect(JSON.parse(runCheck([dir, '--format', 'json']).output).skipped).toEqual([]);
  });
});

describe('check: skipped files, hostile', () => {
  test('only skipped files is an input problem that still lists them', () => {
    // GIVEN a chart's files and nothing rendered
    const dir = folderWith({ 'Chart.yaml': 'apiVersion: v2\nname: x\n', 'values.yaml': '' });
    // THEN exit 2, naming both
    const { output, status } = runCheck([dir]);
    expect(status).toBe(2);
    expect(output).toMatch(/no Kubernetes objects in [^]*Chart\.yaml: a Helm chart's metadata[^]*values\.yaml: empty: no YAML documents/);
  });

  test('a kustomization beside objects in one file: its objects are left out, the file is not skipped', () => {
    // GIVEN a Kustomization document before a Deployment
    const kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['x.yaml'] };
    const dir = folderWith({ 'all.yaml': `${stringify(kustomization)}---\n${[namespace, hardenedDeployment(), ...companions()].map((m) => stringify(m)).join('---\n')}` });
    // WHEN checked as JSON
    const json = JSON.parse(runCheck([dir, '--format', 'json']).output);
    // THEN only the Kubernetes objects count, and nothing is skipped
    expect(json.objectCount).toBe(4);
    expect(json.skipped).toEqual([]);
  });

  test('a values file named explicitly, with a manifest, is skipped too; the manifest decides the status', () => {
    // GIVEN an explicit values file and a manifest file
    const dir = repository();
    // WHEN both are named
    const { output, status } = runCheck([path.join(dir, 'chart/values.yaml'), path.join(dir, 'rendered/shop.yaml')]);
    // THEN the values file is listed and the check passes
    expect(status).toBe(0);
    expect(output).toMatch(/skipped \(no Kubernetes objects\):\n {2}\S+values\.yaml: Helm values/);
  });

  test('a document without kind on standard input alone is an input problem naming <stdin>', () => {
    // GIVEN values piped in by mistake / THEN exit 2 with the reason
    const { output, status } = runCheck(['-'], () => 'replicaCount: 2\n');
    expect(status).toBe(2);
    expect(output).toContain('<stdin>: no document has a kind');
  });
});

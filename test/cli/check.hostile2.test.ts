import { symlinkSync } from 'fs';
import * as path from 'path';
import { runCheck } from '../../src/cli/check';
import { folderWith } from '../support/manifest-folder';

// Hostile inputs to `cdk8s-hardened check`, class by class: file names that look like something else, text that forges
// report lines.

const PRIVILEGED_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: web\n'
  + '    image: nginx:1.27.3\n    securityContext:\n      privileged: true\n';

describe('objects are judged whatever the file is called', () => {
  test.each(['values.yaml', 'values-prod.yaml', 'Chart.yaml', 'kustomization.yaml', '.github/workflows/ci.yml'])('a privileged Pod in %s', (name) => {
    const dir = folderWith({ [name]: `# chart values\nreplicaCount: 2\n---\n${PRIVILEGED_POD}` });
    const { output, status } = runCheck([dir, '--packs', 'pss-baseline', '--format', 'json']);
    expect(status).toBe(1);
    const report = JSON.parse(output);
    expect(report.skipped).toEqual([]);
    expect(report.findings.map((f: any) => f.ruleId)).toContain('PSS-PRIVILEGED');
  });

  test('a Pod beside a Kustomization in one file is judged (only the kustomize object is left out)', () => {
    const dir = folderWith({ 'kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n---\n${PRIVILEGED_POD}` });
    const { status } = runCheck([dir, '--packs', 'pss-baseline']);
    expect(status).toBe(1);
  });
});

describe('nothing read from the manifests forges a line of the text report', () => {
  /** The lines of the text report of a folder. */
  function lines(files: { [name: string]: string }): string[] {
    const { output } = runCheck([folderWith(files), '--packs', 'pss-baseline']);
    return output.split('\n');
  }

  test('an object name with a line break or an ANSI escape stays in its line, escaped', () => {
    const forged = PRIVILEGED_POD.replace('name: web\n  namespace', 'name: "web\\n0 objects checked: 0 errors\\e[2K"\n  namespace');
    const out = lines({ 'shop.yaml': forged });
    expect(out.filter((l) => l.startsWith('0 objects checked'))).toEqual([]);
    expect(out.join('\n')).not.toContain('\u001b');
    expect(out.find((l) => l.startsWith('ERROR [PSS-PRIVILEGED]'))).toContain('web\\n0 objects checked: 0 errors\\u001b[2K');
  });

  test('a namespace or kind with a line separator, NEL or carriage return stays in its line', () => {
    const forged = PRIVILEGED_POD.replace('namespace: shop', 'namespace: "shop\\r\\LERROR forged\\Nmore"');
    const out = lines({ 'shop.yaml': forged }).join('\n');
    expect(out).not.toMatch(/[\r\u2028\u0085]/);
    expect(out).toContain('shop\\r\\u2028ERROR forged\\u0085more');
  });

  test('a skipped file whose name holds a line break stays in its line', () => {
    const out = lines({ 'shop.yaml': PRIVILEGED_POD, 'values\nERROR [PSS-FORGED] x.yaml': 'replicaCount: 2\n' });
    expect(out.filter((l) => l.startsWith('ERROR [PSS-FORGED]'))).toEqual([]);
  });

  test('SARIF and JSON stay valid documents', () => {
    const forged = PRIVILEGED_POD.replace('name: web\n  namespace', 'name: "web\\n\\e[2K\\u2028\\\\\\"}"\n  namespace');
    const dir = folderWith({ 'shop.yaml': forged });
    expect(() => JSON.parse(runCheck([dir, '--format', 'sarif']).output)).not.toThrow();
    expect(() => JSON.parse(runCheck([dir, '--format', 'json']).output)).not.toThrow();
  });
});

describe('folders', () => {
  test('a symlink loop in a folder target is an input problem, not a crash', () => {
    const dir = folderWith({ 'shop.yaml': PRIVILEGED_POD });
    symlinkSync(dir, path.join(dir, 'loop'));
    const { status, output } = runCheck([dir, '--packs', 'pss-baseline']);
    expect([1, 2]).toContain(status);
    if (status === 2) expect(output).toMatch(/loop/);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runCheck } from '../../src/cli/check';
import { companions, hardenedDeployment, mutated } from '../support/fixtures';
import { folderWith } from '../support/manifest-folder';

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };
const clean = () => [namespace, hardenedDeployment(), ...companions()];

describe('cdk8s-hardened check', () => {
  test('compliant manifests pass: exit 0 and the report', () => {
    // GIVEN a folder of compliant manifests, in a sub-folder and beside a file that is not YAML
    const dir = folderWith({ 'app/shop.yaml': clean(), 'README.md': [] });
    // WHEN checked
    const { output, status } = runCheck([dir]);
    // THEN it passes with the report
    expect(status).toBe(0);
    expect(output).toMatch(/^4 objects checked: 0 errors, 0 warnings, 0 acknowledged/);
  });

  test('an error fails: exit 1, with the rule, the file and object, and the fix', () => {
    // GIVEN a privileged container
    const dir = folderWith({ 'shop.yaml': [namespace, mutated((_, c) => { c.securityContext.privileged = true; }), ...companions()] });
    // WHEN checked
    const { output, status } = runCheck([path.join(dir, 'shop.yaml')]);
    // THEN it fails and says where (file and line of the document) and how to fix it
    expect(status).toBe(1);
    const line = readFileSync(path.join(dir, 'shop.yaml'), 'utf8').split('\n').indexOf('apiVersion: apps/v1') + 1;
    expect(output).toContain(`ERROR [PSS-PRIVILEGED] ${path.join(dir, 'shop.yaml')}:${line} (Deployment/shop/web): `
      + '/spec/template/spec/containers/0/securityContext/privileged is true');
    expect(output).toContain('fix: Set securityContext.privileged to false');
  });

  test('warnings pass unless --fail-on-warnings', () => {
    // GIVEN a LoadBalancer Service (a warning)
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'shop' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } };
    const dir = folderWith({ 'shop.yaml': [...clean(), service] });
    // THEN it passes, and fails when warnings must fail
    expect(runCheck([dir]).status).toBe(0);
    expect(runCheck([dir, '--fail-on-warnings'])).toEqual({ status: 1, output: expect.stringMatching(/WARNING \[NSA-SERVICE-EXPOSURE\]/) });
  });

  test('SARIF results point at their file and line; JSON is the report', () => {
    // GIVEN a finding
    const dir = folderWith({ 'shop.yaml': [namespace, mutated((pod) => { pod.hostNetwork = true; }), ...companions()] });
    // WHEN written as SARIF and as JSON
    const sarif = JSON.parse(runCheck([dir, '--format', 'sarif'], undefined, dir).output);
    const json = JSON.parse(runCheck([dir, '--format=json']).output);
    // THEN each SARIF result has the file as its artifact (relative to the working folder) and the line of its
    // document as its region, and JSON has the findings
    const result = sarif.runs[0].results.find((r: any) => r.ruleId === 'PSS-HOST-NAMESPACES');
    const file = path.join(dir, 'shop.yaml');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'shop.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: readFileSync(file, 'utf8').split('\n').indexOf('apiVersion: apps/v1') + 1 },
    });
    expect(sarif.version).toBe('2.1.0');
    expect(json.findings.map((f: any) => f.ruleId)).toContain('PSS-HOST-NAMESPACES');
  });

  test('--packs and --pss-version choose what is checked', () => {
    // GIVEN a pod in a user namespace with an unmasked /proc (allowed by baseline from v1.35, never by restricted)
    const dir = folderWith({ 'shop.yaml': [mutated((pod, c) => { pod.hostUsers = false; c.securityContext.procMount = 'Unmasked'; })] });
    // THEN baseline at v1.35 passes, baseline at v1.34 fails
    expect(runCheck([dir, '--packs', 'pss-baseline', '--pss-version', 'v1.35']).status).toBe(0);
    expect(runCheck([dir, '--packs', 'pss-baseline', '--pss-version', 'v1.34']).status).toBe(1);
  });

  describe('usage and input problems exit 2 with the reason', () => {
    test.each([
      [[], /name the files or folders to check/],
      [['x', '--format', 'xml'], /--format is "xml"; use text, json, sarif/],
      [['x', '--packs', 'nope'], /unknown pack "nope" in --packs; use one of pss-baseline/],
      [['x', '--pss-version', 'v1.12'], /v1\.12/],
      [['x', '--colour'], /unknown option --colour/],
      [['x', '--packs'], /--packs needs a value/],
      [['/no/such/folder'], /\/no\/such\/folder: no such file or folder/],
    ])('%j', (args, message) => {
      const { output, status } = runCheck(args as string[]);
      expect(status).toBe(2);
      expect(output).toMatch(message);
    });

    test('a folder without Kubernetes objects, and a file that is not YAML', () => {
      // GIVEN a folder with a YAML file holding no object, and one that does not parse
      const empty = folderWith({ 'values.yaml': [{ replicas: 2 }] });
      const broken = mkdtempSync(path.join(tmpdir(), 'check-'));
      writeFileSync(path.join(broken, 'bad.yaml'), 'a: [unclosed\n');
      // THEN each is a usage problem, not a pass
      expect(runCheck([empty])).toEqual({ status: 2, output: expect.stringMatching(/no Kubernetes objects in/) });
      expect(runCheck([broken])).toEqual({ status: 2, output: expect.stringMatching(/bad\.yaml: document 1 \(line 1\): not YAML/) });
    });
  });
});

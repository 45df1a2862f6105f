import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { runCheck } from '../../src/cli/check';
import { companions, hardenedDeployment, mutated } from '../support/fixtures';
import { folderWith } from '../support/manifest-folder';

const VERSION = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };
const privileged = () => [namespace, mutated((_, c) => { c.securityContext.privileged = true; }), ...companions()];

/** The key fields of a SARIF 2.1.0 log (the schema's required properties, and what code scanning reads). */
function expectValidSarif(log: any): void {
  expect(log).toEqual(expect.objectContaining({ $schema: expect.stringMatching(/sarif-2\.1\.0/), version: '2.1.0', runs: [expect.any(Object)] }));
  const run = log.runs[0];
  expect(run.tool.driver).toEqual(expect.objectContaining({
    name: 'cdk8s-hardened', version: VERSION, semanticVersion: VERSION, informationUri: expect.stringMatching(/^https:\/\//),
  }));
  for (const result of run.results) {
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(['error', 'warning', 'note']).toContain(result.level);
    expect(result.message.text).toEqual(expect.any(String));
  }
  for (const notification of run.invocations[0].toolExecutionNotifications) {
    expect(['error', 'warning', 'note']).toContain(notification.level);
    expect(notification.message.text).toEqual(expect.any(String));
  }
  expect(typeof run.invocations[0].executionSuccessful).toBe('boolean');
}

describe('check --format sarif', () => {
  test('names the tool at its version, and places results in files relative to the working folder', () => {
    // GIVEN a finding in a file of a sub-folder
    const dir = folderWith({ 'rendered/shop.yaml': privileged() });
    // WHEN checked as SARIF from that folder
    const { output, status } = runCheck([path.join(dir, 'rendered'), '--format', 'sarif'], undefined, dir);
    // THEN the log is valid, names the version, and the result's file is relative, under %SRCROOT%
    expect(status).toBe(1);
    const log = JSON.parse(output);
    expectValidSarif(log);
    const result = log.runs[0].results.find((r: any) => r.ruleId === 'PSS-PRIVILEGED');
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'rendered/shop.yaml', uriBaseId: '%SRCROOT%' });
    expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(new RegExp(`^${path.join(dir, 'rendered', 'shop.yaml')}:\\d+$`));
    expect(result.message.text).toMatch(/^Deployment\/shop\/web: /);
    expect(log.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(dir).href}/` } });
    expect(log.runs[0].invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  test('the fix is the manifest fix, without construct hints, in SARIF help, JSON and text', () => {
    // GIVEN a Service in the default namespace (a rule with a construct hint)
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }], selector: { app: 'web' } } };
    const dir = folderWith({ 'svc.yaml': [service] });
    // WHEN checked as SARIF and as JSON
    const sarif = JSON.parse(runCheck([dir, '--format', 'sarif']).output);
    const json = JSON.parse(runCheck([dir, '--format', 'json']).output);
    // THEN both carry the fix in manifest terms only
    const rule = sarif.runs[0].tool.driver.rules.find((r: any) => r.id === 'NSA-DEFAULT-NAMESPACE');
    expect(rule.help.text).toMatch(/^Set metadata\.namespace/);
    expect(rule.help.text).not.toMatch(/Chart|cdk8s-hardened/);
    const finding = json.findings.find((f: any) => f.ruleId === 'NSA-DEFAULT-NAMESPACE');
    expect(finding.fix).toMatch(/^Set metadata\.namespace/);
    expect(finding).not.toHaveProperty('constructFix');
    expect(runCheck([dir]).output).toMatch(/\n {4}fix: Set metadata\.namespace[^\n]*\n(?! {4}with cdk8s-hardened)/);
  });

  test('packs that judge nothing carry applicable 0 and score null, in SARIF and JSON', () => {
    // GIVEN manifests without RBAC objects (the cis pack judges none)
    const dir = folderWith({ 'shop.yaml': [namespace, hardenedDeployment(), ...companions()] });
    // WHEN checked
    const sarif = JSON.parse(runCheck([dir, '--format', 'sarif']).output);
    const json = JSON.parse(runCheck([dir, '--format', 'json']).output);
    const text = runCheck([dir]).output;
    // THEN the cis score is not a number, and the text says so
    const cis = { pack: 'cis', passed: 0, acknowledged: 0, applicable: 0, score: null };
    expect(sarif.runs[0].properties.scores).toContainEqual(cis);
    expect(json.scores).toContainEqual(cis);
    expect(text).toContain('  cis: not applicable (no objects it judges)');
    expect(text).toMatch(/ {2}pss-restricted: 100\.0% \(\d+\/\d+ checks passed\)/);
  });

  describe('an input problem still writes a SARIF log: one run, a failed invocation, the problem as an error', () => {
    const notYaml = folderWith({ 'bad.yaml': 'a: [unclosed\n' });
    const noObjects = folderWith({ 'values.yaml': 'replicas: 2\n' });
    test.each([
      ['a bad option', [notYaml, '--colour'], /unknown option --colour/],
      ['a bad value', [notYaml, '--packs=nope'], /unknown pack "nope"/],
      ['no such path', ['/no/such/folder'], /\/no\/such\/folder: no such file or folder/],
      ['not YAML', [notYaml], /bad\.yaml: document 1 \(line 1\): not YAML/],
      ['no objects', [noObjects], /no Kubernetes objects in [^]*values\.yaml: Helm values/],
    ])('%s', (_, args, message) => {
      // WHEN the run fails
      const { output, status, problem } = runCheck([...args as string[], '--format', 'sarif']);
      // THEN it exits 2, with a valid log on standard output and the problem for standard error too
      expect(status).toBe(2);
      expect(problem).toMatch(message);
      const log = JSON.parse(output);
      expectValidSarif(log);
      expect(log.runs[0].results).toEqual([]);
      expect(log.runs[0].invocations).toEqual([{
        executionSuccessful: false,
        toolExecutionNotifications: [{ level: 'error', message: { text: expect.stringMatching(message) } }],
      }]);
    });
  });
});

describe('check --format sarif: hostile paths', () => {
  test('a file outside the working folder is an absolute file URI, not ../', () => {
    // GIVEN a finding in a folder beside the working folder
    const dir = folderWith({ 'shop.yaml': privileged() });
    const elsewhere = folderWith({});
    // WHEN checked from elsewhere
    const result = JSON.parse(runCheck([path.join(dir, 'shop.yaml'), '--format', 'sarif'], undefined, elsewhere).output).runs[0].results[0];
    // THEN the artifact is the file's own URI, with no base
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: pathToFileURL(path.join(dir, 'shop.yaml')).href });
  });

  test('spaces, # and non-ASCII letters in names are percent-encoded; a folder named ..x is still inside', () => {
    // GIVEN files whose names a URI must escape
    const dir = folderWith({ '..x/my app#1/sécu.yaml': privileged() });
    // WHEN checked from their folder
    const log = JSON.parse(runCheck([dir, '--format', 'sarif'], undefined, dir).output);
    // THEN the relative URI is escaped segment by segment and decodes to the file
    const { uri, uriBaseId } = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(uriBaseId).toBe('%SRCROOT%');
    expect(uri).toBe('..x/my%20app%231/s%C3%A9cu.yaml');
    expect(decodeURIComponent(uri)).toBe('..x/my app#1/sécu.yaml');
  });

  test('objects from standard input keep their logical location only: there is no file to point at', () => {
    // GIVEN a privileged pod on standard input
    const text = readFileSync(path.join(folderWith({ 's.yaml': privileged() }), 's.yaml'), 'utf8');
    // WHEN checked as SARIF
    const { output, status } = runCheck(['-', '--format', 'sarif'], () => text);
    // THEN results name the object and its line, with no physical location
    expect(status).toBe(1);
    const result = JSON.parse(output).runs[0].results.find((r: any) => r.ruleId === 'PSS-PRIVILEGED');
    expect(result.locations[0]).toEqual({ logicalLocations: [{ fullyQualifiedName: expect.stringMatching(/^<stdin>:\d+$/), kind: 'resource' }] });
    expect(result.message.text).toMatch(/^Deployment\/shop\/web: /);
  });

  test('--format sarif among bad arguments still gets a log, whatever comes first', () => {
    // GIVEN an unknown option before the format, and a file target that is a folder of nothing
    const empty = folderWith({});
    writeFileSync(path.join(empty, 'notes.txt'), 'not a manifest');
    // THEN both are logs of failed runs
    for (const args of [['--nope', '--format=sarif'], [empty, '--format', 'sarif']]) {
      const { output, status } = runCheck(args);
      expect(status).toBe(2);
      expect(JSON.parse(output).runs[0].invocations[0].executionSuccessful).toBe(false);
    }
  });
});

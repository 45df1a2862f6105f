import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { runCheck } from '../../src/cli/check';
import { companions, hardenedDeployment, mutated } from '../support/fixtures';

// Manifests that kubectl applies as something weaker than a reader of YAML 1.2 sees: each must fail the check.

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };

/**
 * YAML of the compliant objects with one Deployment whose placeholders (`RAW0`, `RAW1`… as values or keys) are
 * replaced by raw YAML text, so that the text is exactly what a hostile author wrote.
 */
function yamlWith(deployment: any, ...raw: string[]): string {
  let text = [namespace, deployment, ...companions()].map((m) => stringify(m)).join('---\n');
  raw.forEach((r, i) => { text = text.split(`RAW${i}`).join(r); });
  return text;
}

/** Writes files into a new folder and returns it. */
function folderWith(files: { [name: string]: string }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubectl-reading-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function check(text: string) {
  return runCheck([path.join(folderWith({ 'shop.yaml': text }), 'shop.yaml')]);
}

describe('cdk8s-hardened check reads YAML as kubectl does (hostile inputs, by class)', () => {
  test('the compliant baseline passes (so each failure below comes from its one change)', () => {
    expect(check(yamlWith(hardenedDeployment())).status).toBe(0);
  });

  describe('YAML 1.1 booleans (go-yaml v2: y, Y, yes, on, ON…)', () => {
    test.each([
      ['privileged', 'yes', 'PSS-PRIVILEGED'],
      ['privileged', 'Y', 'PSS-PRIVILEGED'],
      ['allowPrivilegeEscalation', 'on', 'PSS-PRIVILEGE-ESCALATION'],
    ])('container %s: %s', (field, raw, rule) => {
      // GIVEN a container field set to a YAML 1.1 boolean spelling
      const text = yamlWith(mutated((_, c) => { c.securityContext[field] = 'RAW0'; }), raw);
      // WHEN checked
      const { output, status } = check(text);
      // THEN kubectl's true is judged
      expect(status).toBe(1);
      expect(output).toContain(`ERROR [${rule}]`);
    });

    test.each([['hostNetwork', 'on'], ['hostPID', 'Y'], ['hostIPC', 'ON']])('pod %s: %s', (field, raw) => {
      const text = yamlWith(mutated((pod) => { pod[field] = 'RAW0'; }), raw);
      const { output, status } = check(text);
      expect(status).toBe(1);
      expect(output).toContain('ERROR [PSS-HOST-NAMESPACES]');
    });
  });

  describe('merge keys (<<), merged where they stand as go-yaml v2 merges them', () => {
    test.each([
      ['a map', '{privileged: true}'],
      ['a list of maps', '[{allowPrivilegeEscalation: true}, {privileged: true}]'],
    ])('securityContext: { <<: %s }', (_, merged) => {
      // GIVEN a merge key in the container's securityContext
      const text = yamlWith(mutated((_p, c) => { delete c.securityContext.privileged; c.securityContext.RAW0 = 'RAW1'; }), '<<', merged);
      // THEN the merged privileged: true is judged
      expect(check(text)).toEqual({ status: 1, output: expect.stringContaining('ERROR [PSS-PRIVILEGED]') });
    });

    test('a merge after an explicit key replaces it (v2 merges in place; the YAML spec would keep the explicit key)', () => {
      // GIVEN privileged: false, then a merge of privileged: true
      const text = yamlWith(mutated((_p, c) => { c.securityContext.RAW0 = 'RAW1'; }), '<<', '{privileged: true}');
      expect(text.indexOf('privileged: false')).toBeLessThan(text.indexOf('<<'));
      // THEN kubectl's privileged: true is judged
      expect(check(text)).toEqual({ status: 1, output: expect.stringContaining('ERROR [PSS-PRIVILEGED]') });
    });
  });

  describe('duplicate keys: the last one wins', () => {
    test('YAML', () => {
      const text = yamlWith(mutated((_p, c) => { c.securityContext.RAW0 = true; }), 'privileged');
      expect(check(text)).toEqual({ status: 1, output: expect.stringContaining('ERROR [PSS-PRIVILEGED]') });
    });

    test('JSON', () => {
      const json = JSON.stringify(mutated((_p, c) => { c.securityContext.RAW0 = true; })).replace('"RAW0"', '"privileged"');
      const dir = folderWith({ 'web.json': json, 'rest.yaml': [namespace, ...companions()].map((m) => stringify(m)).join('---\n') });
      expect(runCheck([dir])).toEqual({ status: 1, output: expect.stringContaining('ERROR [PSS-PRIVILEGED]') });
    });
  });

  describe('YAML 1.1 integers: runAsUser is root', () => {
    test.each(['0_0', '00', '0o0', '0x0', '0b0', '+0', '-0', '0_'])('runAsUser: %s', (raw) => {
      const text = yamlWith(mutated((_p, c) => { c.securityContext.runAsUser = 'RAW0'; }), raw);
      expect(check(text)).toEqual({ status: 1, output: expect.stringContaining('ERROR [PSS-RUN-AS-USER]') });
    });
  });

  describe('nulls: ~, Null, NULL remove the field', () => {
    test.each(['~', 'Null', 'NULL', ''])('runAsNonRoot: %j (pod and container)', (raw) => {
      const text = yamlWith(mutated((pod, c) => { pod.securityContext.runAsNonRoot = 'RAW0'; c.securityContext.runAsNonRoot = 'RAW0'; }), raw);
      expect(check(text)).toEqual({ status: 1, output: expect.stringContaining('ERROR [PSS-RUN-AS-NON-ROOT]') });
    });
  });

  describe('lists: kubectl applies every item of any object with "items"', () => {
    const privileged = () => mutated((_, c) => { c.securityContext.privileged = true; });

    test('kind: List', () => {
      // GIVEN the privileged Deployment inside a List
      const list = { apiVersion: 'v1', kind: 'List', items: [privileged()] };
      const { output, status } = check(yamlWith(hardenedDeployment()).replace(/^/, `${stringify(list)}---\n`));
      // THEN the item is judged, named by file, the list's line and the index
      expect(status).toBe(1);
      expect(output).toMatch(/ERROR \[PSS-PRIVILEGED\] \S+shop\.yaml:1 items\[0\] \(Deployment\/shop\/web\): /);
    });

    test('a PodList item without kind and apiVersion is a Pod', () => {
      const pod = { metadata: { name: 'p', namespace: 'shop' }, spec: { ...hardenedDeployment().spec.template.spec, hostNetwork: true } };
      const { output, status } = check(`${stringify({ apiVersion: 'v1', kind: 'PodList', items: [pod] })}---\n${yamlWith(hardenedDeployment())}`);
      expect(status).toBe(1);
      expect(output).toMatch(/ERROR \[PSS-HOST-NAMESPACES\] \S+:1 items\[0\] \(Pod\/shop\/p\): /);
    });

    test('nested lists, and a kind that is not a List but has items', () => {
      const nested = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, items: [{ apiVersion: 'v1', kind: 'List', items: [privileged()] }] };
      const { output, status } = check(`${stringify(nested)}---\n${yamlWith(hardenedDeployment())}`);
      expect(status).toBe(1);
      expect(output).toMatch(/ERROR \[PSS-PRIVILEGED\] \S+:1 items\[0\]\.items\[0\] \(Deployment\/shop\/web\): /);
    });
  });

  describe('sources kubectl reads', () => {
    test('.json files in a folder (a List)', () => {
      const dir = folderWith({
        'web.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [mutated((pod) => { pod.hostPID = true; })] }),
        'rest.yaml': [namespace, ...companions()].map((m) => stringify(m)).join('---\n'),
      });
      expect(runCheck([dir])).toEqual({ status: 1, output: expect.stringContaining('ERROR [PSS-HOST-NAMESPACES]') });
    });

    test.each([
      ['UTF-16 little-endian', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['UTF-16 big-endian', (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
      ['UTF-8 with a byte order mark', (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ])('a file in %s, with its byte order mark (kubectl decodes it: a PowerShell redirect writes UTF-16)', (_, encode) => {
      // GIVEN the manifests of a privileged Deployment, encoded
      const dir = mkdtempSync(path.join(tmpdir(), 'kubectl-reading-'));
      writeFileSync(path.join(dir, 'shop.yaml'), encode(yamlWith(mutated((_pod, c) => { c.securityContext.privileged = true; }))));
      // WHEN checked THEN read as kubectl reads it, and judged
      expect(runCheck([dir])).toEqual({ status: 1, output: expect.stringContaining('ERROR [PSS-PRIVILEGED]') });
    });

    test('JSON after a UTF-8 byte order mark is read as JSON (the mark is removed first), not as YAML', () => {
      // GIVEN JSON whose duplicate key JSON and YAML readers decide alike, but whose number forms they do not
      const dir = mkdtempSync(path.join(tmpdir(), 'kubectl-reading-'));
      writeFileSync(path.join(dir, 'pod.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"apiVersion": "v1", "kind": "Pod", "a": 1e400}')]));
      // THEN JSON's refusal of a number beyond float64 (YAML would read the text 1e400 as a string)
      expect(runCheck([dir])).toEqual({ status: 2, output: expect.stringMatching(/pod\.json: JSON value 1 \(line 1\): json: cannot unmarshal a number beyond float64/) });
    });

    test('standard input: -', () => {
      // GIVEN `helm template … | cdk8s-hardened check -`
      const text = yamlWith(mutated((_, c) => { c.securityContext.privileged = 'RAW0'; }), 'yes');
      // WHEN checked from standard input
      const { output, status } = runCheck(['-'], () => text);
      // THEN the objects are named by <stdin> and the line of their document
      expect(status).toBe(1);
      const line = text.split('\n').indexOf('apiVersion: apps/v1') + 1;
      expect(output).toContain(`ERROR [PSS-PRIVILEGED] <stdin>:${line} (Deployment/shop/web): `);
    });
  });

  test('what kubectl cannot read is an input problem (exit 2), never a pass', () => {
    expect(check('a: 1\n--- {b: 2}\n')).toEqual({ status: 2, output: expect.stringMatching(/invalid Yaml document separator/) });
    expect(check(yamlWith(mutated((_, c) => { c.securityContext.privileged = 'RAW0'; }), '!!bool maybe')))
      .toEqual({ status: 2, output: expect.stringMatching(/document 2 \(line \d+\): kubectl cannot read it: cannot decode !!str `maybe` as a !!bool/) });
    expect(check(stringify({ apiVersion: 'v1', kind: 'List', items: 'x' })))
      .toEqual({ status: 2, output: expect.stringMatching(/document 1: a List \(it has "items"/) });
  });
});

import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { runCheck } from '../../src/cli/check';
import { companions, mutated } from '../support/fixtures';

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };
const privileged = () => mutated((_, c) => { c.securityContext.privileged = true; });

/** A file holding the text, in a new folder. */
function fileWith(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'locations-')), name);
  writeFileSync(file, text);
  return file;
}

/** The 1-based line of the first line that is `text`. */
const lineOf = (stream: string, text: string) => stream.split('\n').indexOf(text) + 1;

describe('cdk8s-hardened check says where each finding is: file and line', () => {
  test('a multi-document file: the line where the object\'s document starts (after --- and comments)', () => {
    // GIVEN Helm-like output: each document after a --- line and a # Source comment, the privileged Deployment third
    const text = [namespace, ...companions(), privileged()].map((m, i) => `---\n# Source: chart/templates/${i}.yaml\n${stringify(m)}`).join('');
    const file = fileWith('rendered.yaml', text);
    // WHEN checked
    const { output } = runCheck([file]);
    // THEN the finding names the file and the line of the Deployment's first key
    expect(output).toContain(`ERROR [PSS-PRIVILEGED] ${file}:${lineOf(text, 'apiVersion: apps/v1')} (Deployment/shop/web): `);
  });

  test('a List: its items at the list\'s line, with their index', () => {
    // GIVEN a List after another document
    const list = stringify({ apiVersion: 'v1', kind: 'List', items: [...companions(), privileged()] });
    const text = `${stringify(namespace)}---\n${list}`;
    const file = fileWith('list.yaml', text);
    // WHEN checked
    const { output } = runCheck([file]);
    // THEN the item is named by the line of the List and its index
    const listLine = lineOf(text, '---') + 1;
    expect(output).toContain(`ERROR [PSS-PRIVILEGED] ${file}:${listLine} items[${companions().length}] (Deployment/shop/web): `);
  });

  test('JSON: the line where the object opens', () => {
    // GIVEN JSON objects, pretty-printed, back to back
    const text = [namespace, ...companions(), privileged()].map((m) => JSON.stringify(m, undefined, 2)).join('\n');
    const file = fileWith('objects.json', text);
    // WHEN checked
    const { output } = runCheck([file]);
    // THEN the line is that of the Deployment's opening brace
    const opening = text.split('\n').findIndex((line, i, lines) => line === '{' && lines[i + 1] === '  "apiVersion": "apps/v1",') + 1;
    expect(output).toContain(`ERROR [PSS-PRIVILEGED] ${file}:${opening} (Deployment/shop/web): `);
  });

  test('standard input: <stdin> and the line, in text and SARIF', () => {
    // GIVEN `helm template … | cdk8s-hardened check -`
    const text = [namespace, ...companions(), privileged()].map((m) => stringify(m)).join('---\n');
    const line = lineOf(text, 'apiVersion: apps/v1');
    // WHEN checked from standard input, as text and as SARIF
    const { output } = runCheck(['-'], () => text);
    const sarif = JSON.parse(runCheck(['-', '--format', 'sarif'], () => text).output);
    // THEN both name <stdin> and the line
    expect(output).toContain(`ERROR [PSS-PRIVILEGED] <stdin>:${line} (Deployment/shop/web): `);
    const result = sarif.runs[0].results.find((r: any) => r.ruleId === 'PSS-PRIVILEGED');
    // (SARIF has no file to point at: the line is in the logical location)
    expect(result.locations[0].physicalLocation).toBeUndefined();
    expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toBe(`<stdin>:${line}`);
  });
});

import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { stringify } from 'yaml';
import { Policy, PolicyPack } from '../../src';
import { runCheck } from '../../src/cli/check';
import { testChart } from '../support/helpers';

// Hostile inputs to acknowledgement annotations, class by class: where they are read, what they may say.

const EXPOSURE = 'ack.cdk8s-hardened.dev/NSA-SERVICE-EXPOSURE';
const PRIVILEGED = 'ack.cdk8s-hardened.dev/PSS-PRIVILEGED';
const REASON = 'the public entry point until the shop moves behind the gateway (PLAT-42)';

function service(annotations: { [key: string]: unknown }, name = 'lb'): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop', annotations }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } };
}

/** A Deployment with a privileged container; annotations on its own metadata and on its pod template. */
function privilegedDeployment(own: { [key: string]: unknown }, template: { [key: string]: unknown }): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', annotations: own },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' }, annotations: template },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27.3', securityContext: { privileged: true } }] },
      },
    },
  };
}

/** Checks YAML text with `cdk8s-hardened check` as JSON. */
function checkText(text: string, packs = 'nsa-cisa') {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ack-hostile-')), 'shop.yaml');
  writeFileSync(file, text);
  const { output, status } = runCheck([file, '--packs', packs, '--format', 'json']);
  return { status, report: JSON.parse(output), file };
}

/**
 * Checks the manifests as YAML, or as JSON where a value holds NEL, LS or PS: check refuses YAML that holds them
 * (kubectl reads them as line breaks), and JSON carries any character as kubectl reads it.
 */
function check(manifests: any[], packs = 'nsa-cisa') {
  const yaml = manifests.map((m) => stringify(m)).join('---\n');
  return checkText(/[\x85\u2028\u2029]/.test(yaml) ? manifests.map((m) => JSON.stringify(m)).join('\n') : yaml, packs);
}

const ids = (report: any) => report.findings.map((f: any) => f.ruleId).sort();

describe('where an annotation is read: its own object\'s metadata only', () => {
  test('a pod template annotation does not acknowledge a finding on the Deployment', () => {
    const { status, report } = check([privilegedDeployment({}, { [PRIVILEGED]: JSON.stringify({ reason: REASON }) })], 'pss-baseline');
    expect(status).toBe(1);
    expect(ids(report)).toContain('PSS-PRIVILEGED');
    expect(report.acknowledged).toEqual([]);
  });

  test('the Deployment\'s own annotation does', () => {
    const { report } = check([privilegedDeployment({ [PRIVILEGED]: JSON.stringify({ reason: REASON }) }, {})], 'pss-baseline');
    expect(ids(report)).not.toContain('PSS-PRIVILEGED');
    expect(report.acknowledged.map((f: any) => f.ruleId)).toEqual(['PSS-PRIVILEGED']);
  });

  test('a List\'s annotation does not acknowledge its items, and objects sharing a name do not share annotations', () => {
    const list = { apiVersion: 'v1', kind: 'List', metadata: { annotations: { [EXPOSURE]: JSON.stringify({ reason: REASON }) } }, items: [service({})] };
    const { report } = check([list, service({ [EXPOSURE]: JSON.stringify({ reason: REASON }) }, 'lb2'), { ...service({}), metadata: { name: 'lb2', namespace: 'other' } }]);
    expect(report.findings.filter((f: any) => f.ruleId === 'NSA-SERVICE-EXPOSURE').map((f: any) => `${f.namespace}/${f.name}`).sort())
      .toEqual(['other/lb2', 'shop/lb']);
  });
});

describe('what an annotation may say', () => {
  test.each([
    ['a YAML 1.1 boolean', `${EXPOSURE}: yes`],
    ['a number', `${EXPOSURE}: 1`],
    ['a JSON string', `${EXPOSURE}: '"${REASON}"'`],
    ['a __proto__ key', `${EXPOSURE}: '{"reason": "${REASON}", "__proto__": {"reason": "x"}}'`],
    ['a constructor key', `${EXPOSURE}: '{"reason": "${REASON}", "constructor": 1}'`],
    ['deeply nested JSON', `${EXPOSURE}: '${'['.repeat(20000)}${']'.repeat(20000)}'`],
  ])('%s acknowledges nothing (ACK-INVALID)', (_what, line) => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\n  namespace: shop\n  annotations:\n    ${line}\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n`;
    const { status, report } = checkText(text);
    expect(status).toBe(1);
    expect(ids(report)).toEqual(['ACK-INVALID', 'NSA-SERVICE-EXPOSURE']);
  });

  test.each([
    ['a line feed', `${REASON}\nACKNOWLEDGED [PSS-PRIVILEGED] all fine`],
    ['a carriage return', `${REASON}\rERROR`],
    ['an ANSI escape', `${REASON}\u001b[1A\u001b[2K`],
    ['a line separator', `${REASON}\u2028forged`],
    ['a next line (NEL)', `${REASON}\u0085forged`],
    ['a NUL', `${REASON}\u0000`],
    ['a right-to-left override', `${REASON}\u202e`],
  ])('a reason with %s is refused (it would forge report lines)', (_what, reason) => {
    const { status, report } = check([service({ [EXPOSURE]: JSON.stringify({ reason }) })]);
    expect(status).toBe(1);
    expect(ids(report)).toEqual(['ACK-INVALID', 'NSA-SERVICE-EXPOSURE']);
    expect(report.findings.find((f: any) => f.ruleId === 'ACK-INVALID').message).toMatch(/one line/);
  });

  test.each([
    ['an ANSI escape', 'team\u001b[1A'],
    ['a tab', 'team\tshop'],
    ['a line separator', 'team\u2028shop'],
    ['a next line (NEL)', 'team\u0085shop'],
    ['a NUL', 'team\u0000'],
    ['a zero-width space only', '\u200b'],
    ['a right-to-left override', 'team\u202eshop'],
  ])('an owner with %s is refused', (_what, owner) => {
    const { report } = check([service({ [EXPOSURE]: JSON.stringify({ reason: REASON, owner }) })]);
    expect(ids(report)).toEqual(['ACK-INVALID', 'NSA-SERVICE-EXPOSURE']);
    expect(report.findings.find((f: any) => f.ruleId === 'ACK-INVALID').message).toMatch(/is not a team or person/);
  });

  test('a reason of invisible characters is too short', () => {
    const { report } = check([service({ [EXPOSURE]: JSON.stringify({ reason: `  ${'\u200b'.repeat(12)}\u2060\ufeff  ` }) })]);
    expect(report.findings.find((f: any) => f.ruleId === 'ACK-INVALID').message).toMatch(/needs a reason of at least 10 characters/);
  });

  test('the reason\'s length counts after trimming', () => {
    const { report } = check([service({ [EXPOSURE]: JSON.stringify({ reason: `   short    ${' '.repeat(20)}` }) })]);
    expect(report.findings.find((f: any) => f.ruleId === 'ACK-INVALID').message).toMatch(/needs a reason of at least 10 characters/);
  });

  test('the same validators hold in code: Policy.acknowledge refuses a reason or owner that forges lines', () => {
    const { chart } = testChart();
    expect(() => Policy.acknowledge(chart, 'NSA-SERVICE-EXPOSURE', `${REASON}\nERROR forged`)).toThrow(/one line/);
    expect(() => Policy.acknowledge(chart, 'NSA-SERVICE-EXPOSURE', REASON, { owner: 'team\u001b[2K' })).toThrow(/is not a team or person/);
  });
});

describe('expiry dates cannot be gamed', () => {
  function judged(expires: string, today: string) {
    const { app, chart } = testChart();
    new ApiObject(chart, 'lb', service({ [EXPOSURE]: JSON.stringify({ reason: REASON, expires }) }));
    const report = Policy.report(app, { packs: [PolicyPack.NSA_CISA], today });
    return [...report.findings.map((f) => f.ruleId)].sort();
  }

  test.each([
    ['the day it names', '2026-12-06', '2026-12-06', []],
    ['the day after', '2026-12-06', '2026-12-07', ['ACK-EXPIRED', 'NSA-SERVICE-EXPOSURE']],
    ['exactly one year ahead', '2027-12-06', '2026-12-06', []],
    ['one year and a day ahead', '2027-12-07', '2026-12-06', ['ACK-EXPIRY-TOO-FAR', 'NSA-SERVICE-EXPOSURE']],
    ['year 9999', '9999-12-31', '2026-12-06', ['ACK-EXPIRY-TOO-FAR', 'NSA-SERVICE-EXPOSURE']],
    ['a leap day, a year on', '2029-02-28', '2028-02-29', []],
    ['the day after a leap day\'s year', '2029-03-01', '2028-02-29', ['ACK-EXPIRY-TOO-FAR', 'NSA-SERVICE-EXPOSURE']],
  ])('%s', (_what, expires, today, expected) => {
    expect(judged(expires, today)).toEqual(expected);
  });

  test.each(['2026-12-06T23:59:59Z', '2026-12-06 ', '+2026-12-06', '2026-12-6', '0000-01-01', '2100-02-29', '２０２７-01-01'])(
    'an expiry %j is not a date (ACK-INVALID)', (expires) => {
      const { report } = check([service({ [EXPOSURE]: JSON.stringify({ reason: REASON, expires }) })]);
      expect(ids(report)).toEqual(['ACK-INVALID', 'NSA-SERVICE-EXPOSURE']);
    });
});

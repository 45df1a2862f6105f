import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { HardenedValidation } from '../../src';
import { companions, hardenedDeployment, mutated } from '../support/fixtures';

/** A synthesized manifest file holding the manifests (as the CLI hands the plugin its paths). */
function manifestFile(manifests: any[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'plugin-')), 'shop.k8s.yaml');
  writeFileSync(file, manifests.map((m) => stringify(m)).join('---\n'));
  return file;
}

/** A stand-in for the cdk8s CLI's ValidationContext, recording what the plugin reports. */
function fakeContext(manifests: any[], constructMetadata: any = { web: { path: 'shop/web/Deployment' } }) {
  const violations: any[] = [];
  const submitted: any[] = [];
  const file = manifestFile(manifests);
  return {
    violations,
    submitted,
    file,
    context: {
      manifests: [file],
      metadata: constructMetadata,
      report: {
        addViolation: (v: any) => violations.push(v),
        submit: (status: string, metadata?: any) => submitted.push({ status, metadata }),
      },
    },
  };
}

describe('HardenedValidation (cdk8s CLI plugin)', () => {
  test('reports violations grouped by rule with construct paths, and fails on errors', async () => {
    // GIVEN a privileged Deployment whose name its companions share (so it is named by its identity)
    const run = fakeContext([mutated((_, c) => { c.securityContext.privileged = true; }), ...companions()]);
    // WHEN validated
    await new HardenedValidation().validate(run.context);
    // THEN the violation names the rule, the fix and the resource, and the report fails
    const privileged = run.violations.find((v) => v.ruleName.startsWith('PSS-PRIVILEGED'));
    expect(privileged).toMatchObject({
      ruleName: 'PSS-PRIVILEGED (error)',
      fix: expect.stringMatching(/privileged to false/),
      violatingResources: [{ resourceName: 'Deployment/shop/web', manifestPath: run.file, locations: [expect.stringMatching(/privileged is true/)] }],
    });
    expect(run.submitted[0].status).toBe('failure');
  });

  test('passes hardened manifests and reports the scores', async () => {
    const run = fakeContext([hardenedDeployment(), ...companions()]);
    await new HardenedValidation().validate(run.context);
    expect(run.violations).toEqual([]);
    expect(run.submitted[0].status).toBe('success');
    const [, passed, applicable] = /^100\.0% \((\d+)\/(\d+)\)$/.exec(run.submitted[0].metadata['score pss-restricted'])!;
    expect(Number(passed)).toBeGreaterThan(10);
    expect(passed).toBe(applicable);
  });

  test('acknowledgements from cdk8s.yaml cover a construct path', async () => {
    // GIVEN a privileged Deployment whose name no other object shares (so the CLI's recorded path is its own)
    const run = fakeContext([mutated((_, c) => { c.securityContext.privileged = true; })]);
    await new HardenedValidation({
      packs: ['pss-baseline'],
      acknowledgements: [{ ruleId: 'PSS-PRIVILEGED', constructPath: 'shop/web', reason: 'the node agent needs it (ticket OPS-7)' }],
    }).validate(run.context);
    expect(run.violations).toEqual([]);
    expect(run.submitted[0].status).toBe('success');
    expect(run.submitted[0].metadata.acknowledged).toMatch(/PSS-PRIVILEGED shop\/web\/Deployment: the node agent needs it/);
  });

  test('refuses unknown packs, unknown rules and missing reasons', () => {
    expect(() => new HardenedValidation({ packs: ['nope'] })).toThrow(/unknown pack "nope" in "packs"; use one of pss-baseline/);
    expect(() => new HardenedValidation({ acknowledgements: [{ ruleId: 'NOPE-X', constructPath: 'a', reason: 'long enough reason' }] }))
      .toThrow(/acknowledgements\[0\]: unknown rule id "NOPE-X": none of the packs pss-restricted/);
    expect(() => new HardenedValidation({ acknowledgements: [{ ruleId: 'PSS-PRIVILEGED', constructPath: 'a', reason: 'short' }] })).toThrow(/at least 10 characters/);
  });

  test('refuses properties that cdk8s.yaml got wrong, naming the property and the fix', () => {
    // GIVEN plugin properties as a careless cdk8s.yaml writes them (no type check on YAML)
    const asProps = (x: any) => x;
    expect(() => new HardenedValidation(asProps({ packs: 'pss-restricted' }))).toThrow(/"packs" must be a list of pack names, got "pss-restricted"/);
    expect(() => new HardenedValidation(asProps({ pack: ['pss-restricted'] }))).toThrow(/unknown property "pack"; use packs, podSecurityVersion, failOnWarnings, acknowledgements/);
    expect(() => new HardenedValidation(asProps({ failOnWarnings: 'yes' }))).toThrow(/"failOnWarnings" must be true or false/);
    expect(() => new HardenedValidation(asProps({ podSecurityVersion: 1.3 }))).toThrow(/"podSecurityVersion" must be a string such as "v1.33", got 1.3/);
    expect(() => new HardenedValidation({ podSecurityVersion: 'v1.20' })).toThrow(/"v1.20" is not supported; use a version from v1.27 to v1.37/);
    expect(() => new HardenedValidation(asProps({ acknowledgements: [{ ruleId: 'PSS-PRIVILEGED', constructPath: 'shop/web', reason: 'ten chars and more', why: 'x' }] })))
      .toThrow(/acknowledgements\[0\]: unknown key "why"/);
    expect(() => new HardenedValidation(asProps({ acknowledgements: [{ ruleId: 'PSS-PRIVILEGED', reason: 'ten chars and more' }] })))
      .toThrow(/constructPath is required/);
  });

  test('an acknowledgement never covers a same-named object of another chart', async () => {
    // GIVEN two privileged Deployments called "web" in two namespaces; the CLI records one path per name
    const inShop = mutated((_, c) => { c.securityContext.privileged = true; });
    const inAdmin = mutated((_, c) => { c.securityContext.privileged = true; });
    inAdmin.metadata.namespace = 'admin';
    const run = fakeContext([inShop, inAdmin, ...companions()], { web: { path: 'admin/web/Deployment' } });
    // WHEN the admin one is acknowledged by path only
    await new HardenedValidation({
      packs: ['pss-baseline'],
      acknowledgements: [{ ruleId: 'PSS-PRIVILEGED', constructPath: 'admin/web', reason: 'the node agent needs it (OPS-7)' }],
    }).validate(run.context);
    // THEN neither is covered (the path is ambiguous), and the acknowledgement is reported as stale
    const privileged = run.violations.find((v) => v.ruleName.startsWith('PSS-PRIVILEGED'));
    expect(privileged.violatingResources).toHaveLength(2);
    expect(run.violations.find((v) => v.ruleName.startsWith('ACK-STALE'))).toBeDefined();
    expect(run.submitted[0].status).toBe('failure');
  });

  test('naming the kind, namespace and name covers exactly that object', async () => {
    const inShop = mutated((_, c) => { c.securityContext.privileged = true; });
    const inAdmin = mutated((_, c) => { c.securityContext.privileged = true; });
    inAdmin.metadata.namespace = 'admin';
    const run = fakeContext([inShop, inAdmin, ...companions()], { web: { path: 'admin/web/Deployment' } });
    await new HardenedValidation({
      packs: ['pss-baseline'],
      acknowledgements: [{ ruleId: 'PSS-PRIVILEGED', constructPath: 'admin/web', kind: 'Deployment', namespace: 'admin', name: 'web', reason: 'the node agent needs it (OPS-7)' }],
    }).validate(run.context);
    const privileged = run.violations.find((v) => v.ruleName.startsWith('PSS-PRIVILEGED'));
    expect(privileged.violatingResources).toEqual([expect.objectContaining({ resourceName: 'Deployment/shop/web' })]);
    expect(run.submitted[0].metadata.acknowledged).toMatch(/PSS-PRIVILEGED Deployment\/admin\/web/);
  });

  test('reads the manifest files as kubectl does (YAML 1.1 booleans, Lists), not as the CLI\'s parseManifest does', async () => {
    // GIVEN a manifest file with privileged: yes inside a List
    const run = fakeContext([{ apiVersion: 'v1', kind: 'List', items: [mutated((_, c) => { c.securityContext.privileged = 'RAW'; })] }]);
    writeFileSync(run.file, readFileSync(run.file, 'utf8').replace('privileged: RAW', 'privileged: yes'));
    // WHEN validated
    await new HardenedValidation({ packs: ['pss-baseline'] }).validate(run.context);
    // THEN kubectl's privileged: true is found
    expect(run.violations.map((v) => v.ruleName)).toEqual(['PSS-PRIVILEGED (error)']);
  });

  test('judges Pod Security at the version the namespaces pin', async () => {
    // GIVEN a pod setting a sysctl allowed only from v1.32
    const pod = mutated((spec) => { spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }]; });
    const atLatest = fakeContext([pod, ...companions()]);
    const atV130 = fakeContext([pod, ...companions()]);
    // WHEN validated at the latest version and at v1.30
    await new HardenedValidation({ packs: ['pss-restricted'] }).validate(atLatest.context);
    await new HardenedValidation({ packs: ['pss-restricted'], podSecurityVersion: 'v1.30' }).validate(atV130.context);
    // THEN only v1.30 refuses it
    expect(atLatest.submitted[0].status).toBe('success');
    expect(atV130.violations.map((v) => v.ruleName)).toEqual(['PSS-SYSCTLS (error)']);
  });
});

describe('HardenedValidation acknowledgements with an owner and an expiry', () => {
  const privileged = () => fakeContext([mutated((_, c) => { c.securityContext.privileged = true; })]);
  const acknowledged = (terms: { owner?: string; expires?: string }) => new HardenedValidation({
    packs: ['pss-baseline'],
    today: '2026-06-15',
    acknowledgements: [{ ruleId: 'PSS-PRIVILEGED', constructPath: 'shop/web', reason: 'the node agent needs it (ticket OPS-7)', ...terms }],
  });

  test('until its expiry it accepts, and the summary shows its owner and date', async () => {
    // GIVEN an acknowledgement expiring today WHEN validated
    const run = privileged();
    await acknowledged({ owner: 'team-node', expires: '2026-06-15' }).validate(run.context);
    // THEN it passes, and the owner and expiry are listed
    expect(run.submitted[0].status).toBe('success');
    expect(run.submitted[0].metadata.acknowledged).toMatch(/the node agent needs it \(ticket OPS-7\) \(owner team-node, expires 2026-06-15\)$/);
  });

  test('after its expiry the finding fails again, marked with the expired acknowledgement', async () => {
    // GIVEN an acknowledgement that expired yesterday WHEN validated
    const run = privileged();
    await acknowledged({ owner: 'team-node', expires: '2026-06-14' }).validate(run.context);
    // THEN the error is back, with the reason, owner and date; and ACK-EXPIRED warns
    expect(run.submitted[0].status).toBe('failure');
    const violation = run.violations.find((v) => v.ruleName === 'PSS-PRIVILEGED (error)');
    expect(violation.violatingResources[0].locations).toContain('ACKNOWLEDGEMENT EXPIRED on 2026-06-14 (owner team-node): "the node agent needs it (ticket OPS-7)"');
    expect(run.violations.map((v) => v.ruleName)).toContain('ACK-EXPIRED (warning)');
  });

  test.each([
    ['2027-02-30', /the expiry "2027-02-30" is not a date; write it as YYYY-MM-DD/],
    ['2027-2-1', /the expiry "2027-2-1" is not a date/],
    ['', /the expiry "" is not a date/],
    [20270301, /the expiry 20270301 is not a date/],
    ['2027-06-16', /expires 2027-06-16, more than a year after today \(2026-06-15\); acknowledge for at most a year \(expires on or before 2027-06-15\)/],
  ])('refuses the expiry %p in cdk8s.yaml with the fix', (expires, error) => {
    expect(() => acknowledged({ expires: expires as any })).toThrow(error);
  });

  test('refuses a malformed "today"', () => {
    expect(() => new HardenedValidation({ today: 20260615 as any })).toThrow(/"today" must be a date such as "2026-03-01", got 20260615/);
    expect(() => new HardenedValidation({ today: '2026-6-15' })).toThrow(/"today" "2026-6-15" is not a date/);
  });
});

import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { stringify } from 'yaml';
import { HardenedValidation, Policy, PolicyPack } from '../../src';
import { runCheck } from '../../src/cli/check';
import { testChart } from '../support/helpers';

const KEY = 'ack.cdk8s-hardened.dev/NSA-SERVICE-EXPOSURE';
const REASON = 'the public entry point until the shop moves behind the gateway (PLAT-42)';
/** A date this many days from now, as the CLI (which judges against the current day) sees it. */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A LoadBalancer Service (an NSA-SERVICE-EXPOSURE warning) carrying the annotations. */
function service(annotations: { [key: string]: unknown }, name = 'lb'): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop', annotations }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } };
}

/** Checks the manifests with `cdk8s-hardened check` (nsa-cisa only) as JSON. */
function check(...manifests: any[]) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ack-annotations-')), 'shop.yaml');
  writeFileSync(file, manifests.map((m) => stringify(m)).join('---\n'));
  const { output, status } = runCheck([file, '--packs', 'nsa-cisa', '--format', 'json']);
  return { status, report: JSON.parse(output), file };
}

describe('acknowledgement annotations: ack.cdk8s-hardened.dev/<RULE-ID>', () => {
  test('check honours an annotation on the object, and lists it with its owner and expiry', () => {
    // GIVEN a LoadBalancer Service acknowledging its exposure in an annotation
    const expires = inDays(30);
    const { status, report, file } = check(service({ [KEY]: JSON.stringify({ reason: REASON, owner: 'team-shop', expires }) }));
    // THEN the finding is accepted, and the acknowledgement is listed with what it accepted
    expect(status).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.acknowledged).toEqual([expect.objectContaining({ ruleId: 'NSA-SERVICE-EXPOSURE', acknowledgedReason: REASON })]);
    expect(report.acknowledgements).toEqual([{
      ruleId: 'NSA-SERVICE-EXPOSURE',
      reason: REASON,
      owner: 'team-shop',
      expires,
      appWide: false,
      findings: 1,
      scope: `${file}:1 Service/shop/lb (annotation)`,
    }]);
  });

  test('an annotation covers only its own object', () => {
    // GIVEN two exposed Services, one annotated
    const { report } = check(service({ [KEY]: JSON.stringify({ reason: REASON }) }), service({}, 'other'));
    // THEN the other one is still reported
    expect(report.findings.map((f: any) => `${f.ruleId} ${f.name}`)).toEqual(['NSA-SERVICE-EXPOSURE other']);
  });

  test('an expired annotation no longer covers: the finding is back, marked with it', () => {
    // GIVEN an annotation that expired
    const { report } = check(service({ [KEY]: JSON.stringify({ reason: REASON, owner: 'team-shop', expires: '2020-01-31' }) }));
    // THEN the finding is reported again with the expired acknowledgement, and ACK-EXPIRED warns
    expect(report.findings.map((f: any) => f.ruleId).sort()).toEqual(['ACK-EXPIRED', 'NSA-SERVICE-EXPOSURE']);
    expect(report.findings.find((f: any) => f.ruleId === 'NSA-SERVICE-EXPOSURE').expiredAcknowledgement)
      .toMatchObject({ reason: REASON, owner: 'team-shop', expires: '2020-01-31' });
  });

  test.each([
    ['not JSON', 'the public entry point', /the value is not a JSON object; write it as ack\.cdk8s-hardened\.dev\/NSA-SERVICE-EXPOSURE: '\{"reason"/],
    ['a JSON list', JSON.stringify([{ reason: REASON }]), /the value is not a JSON object/],
    ['a number', 42, /the value is not a JSON object/],
    ['a short reason', JSON.stringify({ reason: 'because' }), /needs a reason of at least 10 characters/],
    ['no reason', JSON.stringify({ owner: 'team-shop' }), /needs a reason of at least 10 characters/],
    ['an unknown key', JSON.stringify({ reason: REASON, until: '2027-01-01' }), /unknown key "until"; use reason, owner, expires/],
    ['a day that does not exist', JSON.stringify({ reason: REASON, expires: '2027-02-30' }), /the expiry "2027-02-30" is not a date/],
    ['an unpadded date', JSON.stringify({ reason: REASON, expires: '2027-2-1' }), /the expiry "2027-2-1" is not a date/],
    ['a numeric date', JSON.stringify({ reason: REASON, expires: 20270301 }), /the expiry 20270301 is not a date/],
    ['an empty owner', JSON.stringify({ reason: REASON, owner: '' }), /the owner "" is not a team or person/],
  ])('an annotation with %s acknowledges nothing and is an ACK-INVALID error on its object', (_what, value, problem) => {
    // GIVEN an unreadable annotation WHEN checked
    const { status, report, file } = check(service({ [KEY]: value }));
    // THEN check fails with ACK-INVALID naming the object and the annotation, and the finding stands
    expect(status).toBe(1);
    const invalid = report.findings.find((f: any) => f.ruleId === 'ACK-INVALID');
    expect(invalid).toMatchObject({ severity: 'error', path: `${file}:1`, kind: 'Service', name: 'lb' });
    expect(invalid.message).toMatch(problem);
    expect(report.findings.map((f: any) => f.ruleId)).toContain('NSA-SERVICE-EXPOSURE');
  });

  test('a malformed rule id in the key is invalid; an unknown one is reported as in code (ACK-UNKNOWN-RULE)', () => {
    const malformed = check(service({ 'ack.cdk8s-hardened.dev/nsa-service-exposure': JSON.stringify({ reason: REASON }) }));
    expect(malformed.report.findings.find((f: any) => f.ruleId === 'ACK-INVALID').message).toMatch(/"nsa-service-exposure" is not a rule id/);
    const unknown = check(service({ 'ack.cdk8s-hardened.dev/NSA-NOPE': JSON.stringify({ reason: REASON }) }));
    expect(unknown.report.findings.find((f: any) => f.ruleId === 'ACK-UNKNOWN-RULE').message)
      .toMatch(/none of the packs evaluated \(nsa-cisa\) holds NSA-NOPE/);
  });

  test('a stale annotation (nothing to accept) is reported, as in code', () => {
    const { report } = check({ ...service({ 'ack.cdk8s-hardened.dev/NSA-METADATA-EGRESS': JSON.stringify({ reason: REASON }) }) });
    expect(report.findings.find((f: any) => f.ruleId === 'ACK-STALE').message).toMatch(/stale: no NSA-METADATA-EGRESS finding under .*shop.yaml:1 Service\/shop\/lb \(annotation\)/);
  });

  test('an expiry more than a year ahead is refused (ACK-EXPIRY-TOO-FAR)', () => {
    const { status, report } = check(service({ [KEY]: JSON.stringify({ reason: REASON, expires: inDays(400) }) }));
    expect(status).toBe(1);
    expect(report.findings.map((f: any) => f.ruleId).sort()).toEqual(['ACK-EXPIRY-TOO-FAR', 'NSA-SERVICE-EXPOSURE']);
  });

  test('the app\'s own engine honours the annotation too (the same YAML, the same verdict)', () => {
    // GIVEN a raw ApiObject carrying the annotation
    const { app, chart } = testChart();
    new ApiObject(chart, 'lb', service({ [KEY]: JSON.stringify({ reason: REASON, owner: 'team-shop', expires: '2026-07-01' }) }));
    // WHEN reported
    const report = Policy.report(app, { packs: [PolicyPack.NSA_CISA], today: '2026-06-15' });
    // THEN it is accepted and listed at the construct path
    expect(report.findings).toEqual([]);
    expect(report.acknowledgements).toEqual([expect.objectContaining({ scope: 'shop/lb Service/shop/lb (annotation)', findings: 1, owner: 'team-shop' })]);
  });

  test('the cdk8s CLI plugin honours the annotation', async () => {
    // GIVEN the annotated Service in a synthesized file
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ack-annotations-')), 'shop.k8s.yaml');
    writeFileSync(file, stringify(service({ [KEY]: JSON.stringify({ reason: REASON, owner: 'team-shop' }) })));
    const violations: any[] = [];
    const submitted: any[] = [];
    // WHEN validated
    await new HardenedValidation({ packs: ['nsa-cisa'] }).validate({
      manifests: [file],
      metadata: {},
      report: { addViolation: (v: any) => violations.push(v), submit: (s: string, m: any) => submitted.push({ s, m }) },
    });
    // THEN nothing is reported and the acknowledgement is listed with its owner
    expect(violations).toEqual([]);
    expect(submitted[0].m.acknowledged).toBe(`NSA-SERVICE-EXPOSURE Service/shop/lb: ${REASON} (owner team-shop)`);
  });
});

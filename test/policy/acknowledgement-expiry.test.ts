import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { HardenedApp, Policy, PolicyPack } from '../../src';
import { latestExpiry, parseIsoDate } from '../../src/policy/acknowledgement-expiry';
import { testChart } from '../support/helpers';

const TODAY = '2026-06-15';
const REASON = 'the public entry point until the shop moves behind the gateway (PLAT-42)';

/** A chart holding a LoadBalancer Service (an NSA-SERVICE-EXPOSURE warning), under a wrapper construct. */
function exposedService() {
  const { app, chart } = testChart();
  const edge = new Construct(chart, 'edge');
  new ApiObject(edge, 'lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
  return { app, edge };
}

const report = (app: Construct, today = TODAY) => Policy.report(app, { packs: [PolicyPack.NSA_CISA], today });

describe('acknowledgement expiry dates', () => {
  test.each([
    ['2027-02-30', 'a day that does not exist'],
    ['2027-2-1', 'not zero-padded'],
    ['', 'empty'],
    [20270301, 'a number'],
    ['2027-03-01T00:00:00Z', 'a timestamp'],
    [' 2027-03-01', 'padded with a space'],
  ])('Policy.acknowledge refuses the expiry %p (%s) at once, with the format', (expires, _why) => {
    // GIVEN a construct
    const { edge } = exposedService();
    // WHEN acknowledged with a malformed expiry THEN it throws, naming the value and the format
    expect(() => Policy.acknowledge(edge, 'NSA-SERVICE-EXPOSURE', REASON, { expires: expires as any }))
      .toThrow(/Policy\.acknowledge shop\/edge: the expiry .* is not a date; write it as YYYY-MM-DD/);
  });

  test.each([[''], ['  '], [42], ['a\nb']])('Policy.acknowledge refuses the owner %p', (owner) => {
    const { edge } = exposedService();
    expect(() => Policy.acknowledge(edge, 'NSA-SERVICE-EXPOSURE', REASON, { owner: owner as any })).toThrow(/is not a team or person/);
  });

  test('options that are not an object are refused', () => {
    const { edge } = exposedService();
    expect(() => Policy.acknowledge(edge, 'NSA-SERVICE-EXPOSURE', REASON, 'team-shop' as any)).toThrow(/options are "team-shop", not an object/);
  });

  test('the last allowed expiry is a year after today, 28 February for 29 February', () => {
    expect(latestExpiry('2026-06-15')).toBe('2027-06-15');
    expect(latestExpiry('2028-02-29')).toBe('2029-02-28');
    expect(parseIsoDate('2028-02-29')).toBeDefined();
    expect(parseIsoDate('2027-02-29')).toBeUndefined();
  });

  test('before and on its expiry day it accepts, and every report shows its owner and date', () => {
    // GIVEN an acknowledgement with an owner, expiring today
    const { app, edge } = exposedService();
    Policy.acknowledge(edge, 'NSA-SERVICE-EXPOSURE', REASON, { owner: ' team-shop ', expires: TODAY });
    // WHEN reported today
    const r = report(app);
    // THEN the finding is accepted, with the owner and expiry in text, JSON and SARIF
    expect(r.warnings).toEqual([]);
    expect(r.acknowledged[0].acknowledgement).toMatchObject({ owner: 'team-shop', expires: TODAY, reason: REASON });
    expect(r.toText()).toContain(`reason: ${REASON} (owner team-shop, expires ${TODAY})`);
    expect(r.toText()).toMatch(/NSA-SERVICE-EXPOSURE at shop\/edge: 1 finding accepted — .* \(owner team-shop, expires 2026-06-15\)/);
    expect(JSON.parse(r.toJson()).acknowledgements[0]).toMatchObject({ owner: 'team-shop', expires: TODAY, findings: 1 });
    const [result] = JSON.parse(r.toSarif()).runs[0].results;
    expect(result.suppressions).toEqual([{ kind: 'inSource', justification: REASON, properties: { owner: 'team-shop', expires: TODAY } }]);
  });

  test('from the day after, the finding is reported again, loudly, with the reason, owner and date', () => {
    // GIVEN the same acknowledgement
    const { app, edge } = exposedService();
    Policy.acknowledge(edge, 'NSA-SERVICE-EXPOSURE', REASON, { owner: 'team-shop', expires: '2026-06-14' });
    // WHEN reported on the day after its expiry
    const r = report(app);
    // THEN the finding is back, marked with the expired acknowledgement, and the acknowledgement is an ACK-EXPIRED warning
    const finding = r.warnings.find((f) => f.ruleId === 'NSA-SERVICE-EXPOSURE')!;
    expect(finding.expiredAcknowledgement).toMatchObject({ owner: 'team-shop', expires: '2026-06-14', reason: REASON });
    expect(finding.acknowledgedReason).toBeUndefined();
    expect(r.warnings.map((f) => f.ruleId)).toContain('ACK-EXPIRED');
    expect(r.acknowledgements[0]).toMatchObject({ findings: 0, problem: expect.stringMatching(/^EXPIRED on 2026-06-14 \(owner team-shop\)/) });
    expect(r.toText()).toContain(`ACKNOWLEDGEMENT EXPIRED on 2026-06-14 (owner team-shop): "${REASON}"`);
    const sarif = JSON.parse(r.toSarif()).runs[0].results.find((x: any) => x.ruleId === 'NSA-SERVICE-EXPOSURE');
    expect(sarif.suppressions).toEqual([{ kind: 'inSource', status: 'rejected', justification: REASON, properties: { owner: 'team-shop', expires: '2026-06-14' } }]);
    expect(sarif.message.text).toContain('ACKNOWLEDGEMENT EXPIRED on 2026-06-14');
  });

  test('an expired acknowledgement of an error fails synth, and the error says it expired', () => {
    // GIVEN a privileged pod whose acknowledgement expired in the past
    const app = new HardenedApp({ packs: [PolicyPack.RESTRICTED], printWarnings: false, today: TODAY, outdir: '/tmp/never-written' });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'debug', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug' },
      spec: { containers: [{ name: 'debug', image: 'busybox:1.36.1', securityContext: { privileged: true } }] },
    });
    for (const ruleId of new Set(Policy.report(app, { packs: [PolicyPack.RESTRICTED] }).errors.map((f) => f.ruleId))) {
      Policy.acknowledge(chart, ruleId, 'break-glass pod for INC-42', { owner: 'sre', expires: '2025-01-31' });
    }
    // WHEN synthesized THEN it fails, and the line names the expired acknowledgement
    expect(() => app.synthYaml()).toThrow(/\[PSS-PRIVILEGED\] .*\(ACKNOWLEDGEMENT EXPIRED on 2025-01-31, owner sre: "break-glass pod for INC-42"\)/);
  });

  test('an expiry more than a year ahead is refused at synth (ACK-EXPIRY-TOO-FAR, an error) and accepts nothing', () => {
    // GIVEN an acknowledgement a year and a day ahead
    const { app, edge } = exposedService();
    Policy.acknowledge(edge, 'NSA-SERVICE-EXPOSURE', REASON, { expires: '2027-06-16' });
    // WHEN reported
    const r = report(app);
    // THEN it is an error with the fix, and the finding stands
    const refused = r.errors.find((f) => f.ruleId === 'ACK-EXPIRY-TOO-FAR')!;
    expect(refused.message).toMatch(/expires 2027-06-16, more than a year after today \(2026-06-15\); .*on or before 2027-06-15/);
    expect(r.warnings.map((f) => f.ruleId)).toContain('NSA-SERVICE-EXPOSURE');
    // AND exactly a year ahead is allowed
    const allowed = exposedService();
    Policy.acknowledge(allowed.edge, 'NSA-SERVICE-EXPOSURE', REASON, { expires: '2027-06-15' });
    expect(report(allowed.app).findings).toEqual([]);
  });

  test('acknowledgements without owner or expiry keep working, and print no terms', () => {
    const { app, edge } = exposedService();
    Policy.acknowledge(edge, 'NSA-SERVICE-EXPOSURE', REASON);
    const r = report(app);
    expect(r.findings).toEqual([]);
    expect(r.toText()).toContain(`reason: ${REASON}\n`);
    expect(JSON.parse(r.toSarif()).runs[0].results[0].suppressions).toEqual([{ kind: 'inSource', justification: REASON }]);
  });

  test('today is checked like an expiry', () => {
    const { app } = exposedService();
    expect(() => Policy.report(app, { today: '2026-13-01' })).toThrow(/today "2026-13-01" is not a date/);
    expect(() => new HardenedApp({ today: 20260615 as any })).toThrow(/today 20260615 is not a date/);
  });
});

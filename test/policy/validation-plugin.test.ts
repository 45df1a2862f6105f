import { HardenedValidation } from '../../src';
import { companions, hardenedDeployment, mutated } from '../support/fixtures';

/** A stand-in for the cdk8s CLI's ValidationContext, recording what the plugin reports. */
function fakeContext(manifests: any[]) {
  const violations: any[] = [];
  const submitted: any[] = [];
  return {
    violations,
    submitted,
    context: {
      manifests: ['dist/shop.k8s.yaml'],
      parseManifest: () => manifests,
      metadata: { web: { path: 'shop/web/Deployment' } },
      report: {
        addViolation: (v: any) => violations.push(v),
        submit: (status: string, metadata?: any) => submitted.push({ status, metadata }),
      },
    },
  };
}

describe('HardenedValidation (cdk8s CLI plugin)', () => {
  test('reports violations grouped by rule with construct paths, and fails on errors', async () => {
    // GIVEN a privileged Deployment
    const run = fakeContext([mutated((_, c) => { c.securityContext.privileged = true; }), ...companions()]);
    // WHEN validated
    await new HardenedValidation().validate(run.context);
    // THEN the violation names the rule, the fix and the resource, and the report fails
    const privileged = run.violations.find((v) => v.ruleName.startsWith('PSS-PRIVILEGED'));
    expect(privileged).toMatchObject({
      ruleName: 'PSS-PRIVILEGED (error)',
      fix: expect.stringMatching(/privileged to false/),
      violatingResources: [{ resourceName: 'web', manifestPath: 'dist/shop.k8s.yaml', locations: [expect.stringMatching(/privileged is true/)] }],
    });
    expect(run.submitted[0].status).toBe('failure');
  });

  test('passes hardened manifests and reports the scores', async () => {
    const run = fakeContext([hardenedDeployment(), ...companions()]);
    await new HardenedValidation().validate(run.context);
    expect(run.violations).toEqual([]);
    expect(run.submitted[0]).toMatchObject({ status: 'success', metadata: { 'score pss-restricted': '100.0% (17/17)' } });
  });

  test('acknowledgements from cdk8s.yaml cover a construct path', async () => {
    const run = fakeContext([mutated((_, c) => { c.securityContext.privileged = true; }), ...companions()]);
    await new HardenedValidation({
      packs: ['pss-baseline'],
      acknowledgements: [{ ruleId: 'PSS-PRIVILEGED', constructPath: 'shop/web', reason: 'the node agent needs it (ticket OPS-7)' }],
    }).validate(run.context);
    expect(run.violations).toEqual([]);
    expect(run.submitted[0].status).toBe('success');
    expect(run.submitted[0].metadata.acknowledged).toMatch(/PSS-PRIVILEGED shop\/web\/Deployment: the node agent needs it/);
  });

  test('refuses unknown packs, unknown rules and missing reasons', () => {
    expect(() => new HardenedValidation({ packs: ['cis'] })).toThrow(/unknown pack "cis"; use one of pss-baseline/);
    expect(() => new HardenedValidation({ acknowledgements: [{ ruleId: 'NOPE-X', constructPath: 'a', reason: 'long enough reason' }] })).toThrow(/unknown rule id/);
    expect(() => new HardenedValidation({ acknowledgements: [{ ruleId: 'PSS-PRIVILEGED', constructPath: 'a', reason: 'short' }] })).toThrow(/at least 10 characters/);
  });
});

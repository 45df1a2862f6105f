import { PolicyPack, PolicyReport, Severity } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';
import { companions, hardenedDeployment } from '../support/fixtures';
import { RULE_CASES as cases } from '../support/rule-cases';

const ALL_PACKS = [PolicyPack.RESTRICTED, PolicyPack.NSA_CISA, PolicyPack.BEST_PRACTICES, PolicyPack.IMAGE_DIGESTS];

function findingsOf(manifests: any[]): Array<{ ruleId: string; message: string }> {
  const objects = manifests.map((m, i) => policyObject(m, `test/object${i}`));
  return PolicyReport._evaluate(objects, ALL_PACKS, () => undefined).findings.map((f) => ({ ruleId: f.ruleId, message: f.message }));
}

function rulesViolatedBy(manifests: any[]): string[] {
  return [...new Set(findingsOf(manifests).map((f) => f.ruleId))].sort();
}

describe('every built-in rule has a compliant and a non-compliant fixture', () => {
  test('the table covers every built-in rule', () => {
    const builtIn = new Set(ALL_PACKS.flatMap((p) => p.rules.map((r) => r.id)));
    expect(cases.map((c) => c[0]).sort()).toEqual([...builtIn].sort());
  });

  test('the hardened fixture with its companions has no findings but the digest rule', () => {
    expect(rulesViolatedBy([hardenedDeployment(), ...companions()])).toEqual(['BP-IMAGE-DIGEST']);
  });

  test.each(cases)('%s', (ruleId, compliant, nonCompliant, message) => {
    // GIVEN a compliant fixture (with the hardened Deployment and its companions)
    const compliantSet = [...compliant(), ...companions(), ...(ruleId === 'BP-IMAGE-DIGEST' ? [] : [hardenedDeployment()])];
    // THEN the rule finds nothing
    expect(findingsOf(compliantSet).filter((f) => f.ruleId === ruleId)).toEqual([]);
    // GIVEN a non-compliant fixture
    const violating = nonCompliant();
    const violatingSet = ruleId === 'BP-IMAGE-DIGEST' ? [hardenedDeployment(), ...companions()]
      : ruleId === 'NSA-NETWORK-POLICY' || ruleId === 'BP-PDB' ? violating : [...violating, ...companions()];
    // THEN the rule reports it with a precise message
    const found = findingsOf(violatingSet).filter((f) => f.ruleId === ruleId);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].message).toMatch(message);
  });
});

describe('packs', () => {
  test('restricted includes baseline; severities are set', () => {
    const baseline = PolicyPack.BASELINE.rules.map((r) => r.id);
    expect(PolicyPack.RESTRICTED.rules.map((r) => r.id)).toEqual(expect.arrayContaining(baseline));
    for (const rule of PolicyPack.RESTRICTED.rules) expect(rule.severity).toBe(Severity.ERROR);
  });

  test('finds workloads wherever pod specs live', () => {
    const pod = hardenedDeployment().spec.template;
    pod.spec.hostPID = true;
    const wrappers = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: pod.spec },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'shop' }, spec: { template: pod } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd', namespace: 'shop' }, spec: { template: pod } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'shop' }, spec: { template: pod } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'shop' }, spec: { template: pod } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'shop' }, spec: { jobTemplate: { spec: { template: pod } } } },
    ];
    for (const wrapper of wrappers) {
      expect(findingsOf([wrapper]).map((f) => f.ruleId)).toContain('PSS-HOST-NAMESPACES');
    }
  });
});

// Every built-in rule's fix reads right for plain YAML (`cdk8s-hardened check` over Helm output prints it as it is):
// it names manifest fields, never a construct or library API; the construct hint, where a construct does the fix, is
// kept apart (constructFix) for cdk8s apps.
import { PolicyPack, PolicyRule } from '../../src';

/** Every built-in rule, at the oldest and the latest Pod Security version (their texts may differ by version). */
function builtInRules(): PolicyRule[] {
  const packs = [...PolicyPack.builtIn(), PolicyPack.baseline({ version: 'v1.27' }), PolicyPack.restricted({ version: 'v1.27' })];
  return [...new Set(packs.flatMap((pack) => pack.rules))];
}

/** What only a cdk8s app can follow: constructors, charts, the library's constructs and its Policy, Prerequisite. */
const CONSTRUCT_ONLY = /\bnew |Chart\(|Secure[A-Z]\w+|DefaultDenyNamespace|FlywayMigrationJob|EgressAllowlist|\bPolicy\.|Prerequisite\.|\.allow\b/;

/** The rules whose fix a construct of this library does: they point there in cdk8s apps. */
const DONE_BY_CONSTRUCTS = [
  'PSS-SECCOMP-BASELINE', 'PSS-PRIVILEGE-ESCALATION', 'PSS-RUN-AS-NON-ROOT', 'PSS-RUN-AS-USER', 'PSS-SECCOMP', 'PSS-CAPABILITIES',
  'PSS-NAMESPACE-LEVEL', 'NSA-READONLY-ROOTFS', 'NSA-RESOURCES', 'NSA-SA-TOKEN', 'NSA-DEFAULT-NAMESPACE', 'NSA-NETWORK-POLICY',
  'NSA-METADATA-EGRESS', 'NSA-RBAC-DEFAULT-SA', 'NSA-RBAC-ISOLATION', 'K8S-QUOTA-SERVICE-TYPE', 'K8S-HPA-REPLICAS', 'K8S-REFERENCES-RESOLVE',
  'K8S-DNS-REACHABLE', 'K8S-MIGRATION-REACHES-DATABASE', 'NSA-MESH-MTLS', 'NSA-MESH-AUTHZ-FROM',
  'BP-PROBES', 'BP-PDB',
];

describe('fix texts', () => {
  const rules = builtInRules();

  test.each(rules.map((rule) => [rule.id, rule] as const))('%s: the fix is in manifest terms', (_, rule) => {
    // GIVEN a built-in rule / THEN its fix names no construct-only API, and is one short paragraph
    expect(rule.fix).not.toMatch(CONSTRUCT_ONLY);
    expect(rule.fix.length).toBeGreaterThan(20);
    expect(rule.fix.length).toBeLessThanOrEqual(300);
    expect(rule.fix).toMatch(/\.$/);
  });

  test.each(DONE_BY_CONSTRUCTS)('%s: cdk8s apps are pointed at the construct that does it', (id) => {
    // GIVEN a rule whose fix a construct does / THEN its hint names that construct
    const rule = rules.find((r) => r.id === id);
    expect(rule?.constructFix).toMatch(/SecureDeployment|DefaultDenyNamespace|FlywayMigrationJob|Chart|Prerequisite/);
    expect(rule?.constructFix).toMatch(/\.$/);
  });

  test('no other rule has a construct hint: the manifest fix is all there is to say', () => {
    // GIVEN the rules without a construct that does their fix / THEN they carry no hint
    expect(rules.filter((r) => r.constructFix !== undefined && !DONE_BY_CONSTRUCTS.includes(r.id)).map((r) => r.id)).toEqual([]);
  });
});

import { PolicyPack, PolicyReport } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';

function messagesOf(ruleId: string, manifests: any[]): string[] {
  const objects = manifests.map((m, i) => policyObject(m, `test/object${i}`));
  return PolicyReport._evaluate(objects, [PolicyPack.NSA_CISA], () => undefined).findings.filter((f) => f.ruleId === ruleId).map((f) => f.message);
}

const peerAuthentication = (spec: any) => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p', namespace: 'shop' }, spec });
const authorizationPolicy = (spec: any) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'a', namespace: 'shop' }, spec });
const SELECTOR = { matchLabels: { app: 'web' } };

describe('NSA-MESH-MTLS', () => {
  test.each<[string, any, string[]]>([
    ['STRICT namespace-wide', { mtls: { mode: 'STRICT' } }, []],
    ['unset (inherits)', {}, []],
    ['DISABLE for a workload', { selector: SELECTOR, mtls: { mode: 'DISABLE' } }, ['mtls.mode is DISABLE: the workloads it selects accept plaintext']],
    ['permissive in lower case (Istio reads modes case-insensitively here)', { mtls: { mode: 'permissive' } }, ['mtls.mode is PERMISSIVE: every workload of the namespace accepts plaintext']],
    ['a port-level PERMISSIVE scrape port with a selector (the documented exception)', { selector: SELECTOR, mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'PERMISSIVE' } } }, []],
    ['portLevelMtls without a selector (Istio ignores it)', { mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'PERMISSIVE' } } },
      ['portLevelMtls has no workload selector, and Istio applies port-level modes only with one']],
    ['a port-level DISABLE', { selector: SELECTOR, portLevelMtls: { 8080: { mode: 'DISABLE' } } }, ['portLevelMtls 8080 is DISABLE: the port accepts only plaintext']],
  ])('%s', (_, spec, expected) => {
    // GIVEN a PeerAuthentication / WHEN judged / THEN
    expect(messagesOf('NSA-MESH-MTLS', [peerAuthentication(spec)])).toEqual(expected.length ? [expected.join('; ')] : []);
  });

  test('malformed specs do not break the engine (any YAML reaches the CLI)', () => {
    expect(() => messagesOf('NSA-MESH-MTLS', [peerAuthentication('x'), peerAuthentication({ mtls: 3, portLevelMtls: [null] })])).not.toThrow();
  });
});

describe('NSA-MESH-AUTHZ-FROM', () => {
  const to = [{ operation: { ports: ['8080'] } }];
  test.each<[string, any, string[]]>([
    ['callers named by principal', { selector: SELECTOR, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/front'] } }], to }] }, []],
    ['allow-nothing (no rules)', {}, []],
    ['plaintext-only callers (notPrincipals "*": the scrape port of a Prometheus outside the mesh)', { rules: [{ from: [{ source: { notPrincipals: ['*'] } }], to }] }, []],
    ['a DENY policy is not judged', { action: 'DENY', rules: [{ to }] }, []],
    ['a rule without from', { rules: [{ to }] }, ['rules[0] has no from: it admits every caller of the mesh']],
    ['an empty rule (allow all)', { rules: [{}] }, ['rules[0] has no from: it admits every caller of the mesh']],
    ['an empty source', { rules: [{ from: [{ source: {} }], to }] }, ['rules[0].from[0] has an empty source: it admits every caller of the mesh']],
    ['every principal', { rules: [{ from: [{ source: { principals: ['*'] } }], to }] }, ['rules[0].from[0] admits every principal ("*")']],
    ['every namespace, action in lower case', { action: 'allow', rules: [{ from: [{ source: { namespaces: ['*'] } }], to }] }, ['rules[0].from[0] admits every namespace ("*")']],
  ])('%s', (_, spec, expected) => {
    expect(messagesOf('NSA-MESH-AUTHZ-FROM', [authorizationPolicy(spec)])).toEqual(expected.length ? [expected.join('; ')] : []);
  });
});

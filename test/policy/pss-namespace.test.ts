import { ApiObject, JsonPatch } from 'cdk8s';
import { DefaultDenyNamespace, Policy, PodSecurityLevel, PolicyPack, PolicyReport, SecureDeployment } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';
import { hardenedDeployment, mutated } from '../support/fixtures';
import { testChart } from '../support/helpers';

const ID = 'PSS-NAMESPACE-LEVEL';

function namespace(name: string, labels?: { [key: string]: any }): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels === undefined ? {} : { labels }) } };
}

function enforcing(level: any, version?: any): { [key: string]: any } {
  return { 'pod-security.kubernetes.io/enforce': level, ...(version === undefined ? {} : { 'pod-security.kubernetes.io/enforce-version': version }) };
}

/** The findings of one pack, as `ruleId Kind/name: message`. */
function findings(manifests: any[], pack: PolicyPack = PolicyPack.RESTRICTED): string[] {
  const objects = manifests.map((m, i) => policyObject(m, `test/o${i}`));
  return PolicyReport._evaluate(objects, [pack], () => undefined).findings.map((f) => `${f.ruleId} ${f.kind}/${f.name}: ${f.message}`);
}

function namespaceFindings(manifests: any[], pack?: PolicyPack): string[] {
  return findings(manifests, pack).filter((f) => f.startsWith(`${ID} `));
}

/** The hardened Deployment with a sysctl that PodSecurity allows from v1.32 on. */
function withTcpRmem(): any {
  return mutated((pod) => { pod.securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }]; });
}

describe('PSS-NAMESPACE-LEVEL: the enforce labels of each Namespace', () => {
  test.each([
    ['restricted, no version (latest)', enforcing('restricted')],
    ['restricted latest', enforcing('restricted', 'latest')],
    ['restricted v1.27 (the oldest supported)', enforcing('restricted', 'v1.27')],
    ['restricted v1.40 (newer than the rules: judged as latest, as upstream clamps it)', enforcing('restricted', 'v1.40')],
  ])('compliant: %s', (_, labels) => {
    // GIVEN a namespace that enforces restricted, WHEN checked by the restricted pack
    // THEN there is no finding
    expect(namespaceFindings([namespace('shop', labels), hardenedDeployment()])).toEqual([]);
  });

  test.each([
    ['no labels at all', undefined, /enforce is not set: the cluster's default level applies/],
    ['only an enforce-version', { 'pod-security.kubernetes.io/enforce-version': 'v1.33' }, /enforce is not set/],
    ['privileged', enforcing('privileged'), /enforce is privileged, weaker than restricted/],
    ['baseline', enforcing('baseline', 'v1.33'), /enforce is baseline, weaker than restricted/],
    ['a level that is no level', enforcing('Restricted'), /enforce is "Restricted", not privileged, baseline or restricted/],
    ['a version older than v1.27', enforcing('restricted', 'v1.25'), /enforce-version pins v1.25, older than v1.27/],
    ['a malformed version', enforcing('restricted', '1.30'), /enforce-version is "1.30", not "latest" or "v1.<minor>"/],
  ])('non-compliant: %s', (_, labels, message) => {
    // GIVEN a namespace whose labels do not enforce restricted at a supported version
    const found = namespaceFindings([namespace('shop', labels)]);
    // THEN the namespace is reported, with what is wrong
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^PSS-NAMESPACE-LEVEL Namespace\/shop: /);
    expect(found[0]).toMatch(message);
  });

  test('the baseline pack accepts baseline and restricted namespaces, not privileged ones', () => {
    // GIVEN namespaces at each level, WHEN checked by the baseline pack
    const manifests = [namespace('a', enforcing('baseline')), namespace('b', enforcing('restricted')), namespace('c', enforcing('privileged'))];
    // THEN only the privileged one is reported
    expect(namespaceFindings(manifests, PolicyPack.BASELINE))
      .toEqual([`${ID} Namespace/c: pod-security.kubernetes.io/enforce is privileged, weaker than baseline`]);
  });

  test('a label set through an escape hatch is what counts', () => {
    // GIVEN a DefaultDenyNamespace (restricted) whose enforce label is patched to privileged, and a raw Namespace
    const { app, chart } = testChart();
    const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    ApiObject.of(ns.node.findAll().find((c) => ApiObject.isApiObject(c) && (c as ApiObject).kind === 'Namespace')!)
      .addJsonPatch(JsonPatch.replace('/metadata/labels/pod-security.kubernetes.io~1enforce', 'privileged'));
    new ApiObject(chart, 'raw', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'raw', labels: enforcing('baseline', 'v1.31') } });
    // WHEN the app is checked by the restricted pack
    const report = Policy.report(app, { packs: [PolicyPack.RESTRICTED] });
    // THEN both namespaces are reported by what their synthesized labels say
    expect(report.findings.filter((f) => f.ruleId === ID).map((f) => `${f.name}: ${f.message}`).sort()).toEqual([
      'raw: pod-security.kubernetes.io/enforce is baseline, weaker than restricted',
      'shop: pod-security.kubernetes.io/enforce is privileged, weaker than restricted',
    ]);
  });

  test('DefaultDenyNamespace: restricted passes; an accepted weaker level is still a finding of the restricted pack', () => {
    // GIVEN a restricted and a baseline DefaultDenyNamespace, each with a SecureDeployment
    const { app, chart } = testChart();
    const strict = new DefaultDenyNamespace(chart, 'strict', { name: 'strict' });
    const weak = new DefaultDenyNamespace(chart, 'weak', { name: 'weak', podSecurityLevel: PodSecurityLevel.BASELINE, acceptWeakerPodSecurity: true });
    new SecureDeployment(chart, 'a', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, namespace: strict });
    new SecureDeployment(chart, 'b', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, namespace: weak });
    // WHEN checked by the restricted pack
    const found = Policy.report(app, { packs: [PolicyPack.RESTRICTED] }).findings.map((f) => `${f.ruleId} ${f.name}: ${f.message}`);
    // THEN only the weaker namespace is reported (the workloads pass restricted at the namespaces' pinned version)
    expect(found).toEqual([`${ID} weak: pod-security.kubernetes.io/enforce is baseline, weaker than restricted`]);
  });
});

describe('PSS-NAMESPACE-LEVEL: workloads judged at their namespace\'s level and version', () => {
  test('a pinned older version rejects what the pack\'s version allows: reported on the workload', () => {
    // GIVEN a namespace that pins restricted v1.30 and a workload with a sysctl allowed from v1.32
    const manifests = [namespace('shop', enforcing('restricted', 'v1.30')), withTcpRmem()];
    // WHEN checked by the latest restricted pack
    // THEN the pack's own sysctl rule passes it, and the namespace rule reports it on the Deployment, naming namespace, level and version
    expect(findings(manifests)).toEqual([
      `${ID} Deployment/web: namespace shop enforces restricted v1.30: sysctl net.ipv4.tcp_rmem is not safe at v1.30 (allowed from v1.32) (PSS-SYSCTLS)`,
    ]);
  });

  test('the same workload in a namespace at v1.32 or latest has no finding', () => {
    expect(findings([namespace('shop', enforcing('restricted', 'v1.32')), withTcpRmem()])).toEqual([]);
    expect(findings([namespace('shop', enforcing('restricted')), withTcpRmem()])).toEqual([]);
  });

  test('a pack at an older version than the namespace: the namespace\'s newer checks are reported', () => {
    // GIVEN a namespace at restricted latest and a workload whose probe names a host (forbidden from v1.34)
    const probe = mutated((_, c) => { c.readinessProbe = { httpGet: { path: '/', port: 8080, host: '169.254.169.254' } }; });
    const manifests = [namespace('shop', enforcing('restricted')), probe];
    // WHEN checked by the restricted pack at v1.33
    // THEN the namespace rule reports what v1.34 rejects
    expect(findings(manifests, PolicyPack.restricted({ version: 'v1.33' }))).toEqual([
      `${ID} Deployment/web: namespace shop enforces restricted v1.37: /spec/template/spec/containers/0/readinessProbe/httpGet/host is "169.254.169.254" (PSS-HOST-PROBES)`,
    ]);
  });

  test('a namespace stricter than the pack: its level\'s violations are reported, those the pack reports are not repeated', () => {
    // GIVEN a restricted namespace and a workload that may run as root and is privileged
    const root = mutated((pod, c) => {
      delete pod.securityContext.runAsNonRoot;
      delete c.securityContext.runAsNonRoot;
      c.securityContext.privileged = true;
    });
    // WHEN checked by the baseline pack
    const found = findings([namespace('shop', enforcing('restricted', 'latest')), root], PolicyPack.BASELINE);
    // THEN privileged is reported once (by the pack's own rule), runAsNonRoot by the namespace rule
    expect(found).toEqual([
      'PSS-PRIVILEGED Deployment/web: /spec/template/spec/containers/0/securityContext/privileged is true',
      `${ID} Deployment/web: namespace shop enforces restricted v1.37: /spec/template/spec/containers/0 may run as root `
        + '(runAsNonRoot is not true on the container or the pod) (PSS-RUN-AS-NON-ROOT)',
    ]);
  });

  test('a malformed version is judged as latest and a malformed level as restricted, like upstream', () => {
    // GIVEN a baseline pack and a namespace with a malformed level, and a workload that may run as root
    const root = mutated((pod, c) => { delete pod.securityContext.runAsNonRoot; delete c.securityContext.runAsNonRoot; });
    const found = findings([namespace('shop', enforcing('strict', 'v1.x')), root], PolicyPack.BASELINE);
    // THEN both labels are reported, and the workload is judged at restricted latest
    expect(found).toHaveLength(3);
    expect(found[2]).toMatch(/^PSS-NAMESPACE-LEVEL Deployment\/web: namespace shop enforces restricted v1.37: .* may run as root/);
  });

  test('privileged namespaces, versions older than v1.27, other namespaces and unnamespaced workloads are not judged again', () => {
    // GIVEN workloads that only restricted v1.30 rejects, in namespaces that cannot or need not be judged
    const inOther = withTcpRmem();
    inOther.metadata.namespace = 'other';
    const unnamespaced = withTcpRmem();
    delete unnamespaced.metadata.namespace;
    const old = withTcpRmem();
    old.metadata.namespace = 'old';
    const manifests = [namespace('shop', enforcing('privileged')), namespace('old', enforcing('restricted', 'v1.20')), withTcpRmem(),
      inOther, unnamespaced, old];
    // THEN only the namespaces' labels are reported
    expect(findings(manifests).map((f) => f.split(':')[0])).toEqual([`${ID} Namespace/shop`, `${ID} Namespace/old`]);
  });

  test('many namespaces and workloads are judged in linear time', () => {
    // GIVEN 2,000 namespaces pinned to two versions, each with one workload
    const manifests: any[] = [];
    for (let i = 0; i < 2000; i++) {
      manifests.push(namespace(`ns${i}`, enforcing('restricted', i % 2 ? 'v1.30' : 'v1.31')));
      const workload = hardenedDeployment();
      workload.metadata.namespace = `ns${i}`;
      manifests.push(workload);
    }
    const objects = manifests.map((m, i) => policyObject(m, `test/o${i}`));
    const rule = PolicyPack.RESTRICTED.rules.find((r) => r.id === ID)!;
    // WHEN the rule judges them
    const start = performance.now();
    const results = rule.evaluate(objects);
    // THEN every namespace and workload is judged once (the bound only catches a quadratic blow-up; speed is a budget of
    // `npm run bench`)
    expect(results).toHaveLength(4000);
    expect(results.every((r) => r.compliant)).toBe(true);
    expect(performance.now() - start).toBeLessThan(15_000);
  });
});

describe('PSS-NAMESPACE-LEVEL: hostile input', () => {
  test.each([
    ['labels: null', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: null } }, /enforce is not set/],
    ['no metadata', { apiVersion: 'v1', kind: 'Namespace' }, /enforce is not set/],
    ['a number as level', namespace('shop', enforcing(2)), /enforce is 2, not privileged/],
    ['a prototype key as level', namespace('shop', enforcing('constructor')), /enforce is "constructor", not privileged/],
    ['a number as version', namespace('shop', enforcing('restricted', 1.3)), /enforce-version is 1.3, not "latest"/],
    ['an absurdly long version', namespace('shop', enforcing('restricted', `v1.${'9'.repeat(400)}`)), undefined],
  ])('%s', (_, manifest, message) => {
    // GIVEN a Namespace with odd labels, WHEN checked
    const found = namespaceFindings([manifest, hardenedDeployment()]);
    // THEN the rule neither throws nor misses it
    if (message) expect(found.join('\n')).toMatch(message);
    else expect(found).toEqual([]);
  });

  test('a custom kind that happens to be called Namespace is not judged', () => {
    const custom = { apiVersion: 'hnc.x-k8s.io/v1alpha2', kind: 'Namespace', metadata: { name: 'shop' } };
    expect(namespaceFindings([custom, withTcpRmem()])).toEqual([]);
  });

  test('workloads of a namespace named like a prototype key are judged by that namespace only', () => {
    const workload = withTcpRmem();
    workload.metadata.namespace = '__proto__';
    expect(findings([namespace('__proto__', enforcing('restricted', 'v1.30')), workload])).toEqual([
      `${ID} Deployment/web: namespace __proto__ enforces restricted v1.30: sysctl net.ipv4.tcp_rmem is not safe at v1.30 (allowed from v1.32) (PSS-SYSCTLS)`,
    ]);
  });
});

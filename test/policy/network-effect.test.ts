import * as kplus from 'cdk8s-plus-27';
import {
  CanaryPair, CanaryRouting, DefaultDenyNamespace, DnsEgress, EgressAllowlist, EgressMode, EgressTarget, ExternalAddress, ExternalMongoService,
  FlywayMigrationJob, Migrations, PolicyPack, PolicyReport, PolicyRule, RuleResult, SecureDeployment,
} from '../../src';
import { CLOUD_METADATA_ADDRESSES, METADATA_ADDRESS_FORMS } from '../../src/k8s/addresses';
import { podOf } from '../../src/k8s/evaluated-object';
import { policyObject } from '../../src/k8s/policy-object';
import { MetadataEgressRule } from '../../src/policy/rules/nsa/metadata-egress';
import { NetworkPolicyCoverageRule } from '../../src/policy/rules/nsa/network-policy-coverage';
import { companions, hardenedDeployment, mutated } from '../support/fixtures';
import { synth, testChart } from '../support/helpers';

/** The messages of a rule's findings over the manifests. */
function findings(rule: PolicyRule, manifests: any[]): string[] {
  const objects = manifests.map((m, i) => policyObject(m, `test/o${i}`));
  return PolicyReport._evaluate(objects, [PolicyPack.of('test', [rule])], () => undefined).findings.map((f) => f.message);
}
const coverage = (manifests: any[]) => findings(new NetworkPolicyCoverageRule(), manifests);
const metadata = (manifests: any[]) => findings(new MetadataEgressRule(), manifests);

/** A NetworkPolicy selecting the hardened Deployment's pods (or every pod with `podSelector: {}`). */
function netpol(name: string, spec: any, namespace: string = 'shop'): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'web' } }, ...spec },
  };
}

/** The strict policy of the fixtures: deny all ingress and egress. */
const strict = () => companions()[0];
/** A policy of type Egress only (named `out`) with the given egress rules. */
const egressOnly = (egress: any[]) => netpol('out', { policyTypes: ['Egress'], egress });
const DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

describe('NSA-NETWORK-POLICY: compliant', () => {
  test('a deny-all policy restricts both directions', () => {
    // GIVEN the hardened Deployment and its deny-all policy
    // THEN nothing is found
    expect(coverage([hardenedDeployment(), strict()])).toEqual([]);
  });

  test('named peers on named ports restrict both directions', () => {
    // GIVEN ingress from pods of the namespace and from one other namespace, egress to DNS and one block
    const policy = netpol('web', {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } }], ports: [{ port: 8080 }] }],
      egress: [DNS, { to: [{ ipBlock: { cidr: '10.200.0.2/32' } }], ports: [{ port: 27017 }] }],
    });
    // THEN nothing is found
    expect(coverage([hardenedDeployment(), policy])).toEqual([]);
  });

  test('egress to every public address (internal ranges excepted) is "the internet", not everything', () => {
    // GIVEN egress on TCP 443 to 0.0.0.0/0 and ::/0 minus the private, CGNAT, link-local and unique-local ranges
    const policy = egressOnly([{
      to: [
        { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] } },
        { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } },
      ],
      ports: [{ protocol: 'TCP', port: 443 }],
    }]);
    // THEN the egress is accepted as restricted
    expect(coverage([hardenedDeployment(), strict(), policy])).toEqual([]);
  });
});

describe('NSA-NETWORK-POLICY: no policy', () => {
  test('keeps its message when no policy selects the pods', () => {
    expect(coverage([hardenedDeployment()])).toEqual(['no NetworkPolicy in namespace shop restricts ingress or egress of its pods']);
  });

  test('a strict policy in another namespace does not count', () => {
    // GIVEN the deny-all policy in namespace "other"
    const other = { ...strict(), metadata: { name: 'web', namespace: 'other' } };
    // THEN the pods of shop are unrestricted
    expect(coverage([hardenedDeployment(), other])).toEqual(['no NetworkPolicy in namespace shop restricts ingress or egress of its pods']);
  });

  test('policyTypes [Ingress] only leaves egress unrestricted', () => {
    const policy = netpol('in', { policyTypes: ['Ingress'], ingress: [] });
    expect(coverage([hardenedDeployment(), policy])).toEqual(['no NetworkPolicy in namespace shop restricts egress of its pods']);
  });

  test('without policyTypes, Egress is effective only with at least one egress rule', () => {
    // GIVEN no policyTypes and an empty egress list, then an empty policyTypes list and one egress rule
    expect(coverage([hardenedDeployment(), netpol('p', { ingress: [], egress: [] })]))
      .toEqual(['no NetworkPolicy in namespace shop restricts egress of its pods']);
    expect(coverage([hardenedDeployment(), netpol('p', { policyTypes: [], ingress: [], egress: [DNS] })])).toEqual([]);
  });

  test('a policy selecting other pods does not count', () => {
    const policy = { ...strict(), spec: { ...strict().spec, podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'db' } } } };
    expect(coverage([hardenedDeployment(), policy])).toEqual(['no NetworkPolicy in namespace shop restricts ingress or egress of its pods']);
  });

  test('a Calico NetworkPolicy (another API group) is not read', () => {
    const calico = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: 'all()', types: ['Ingress', 'Egress'] },
    };
    expect(coverage([hardenedDeployment(), calico])).toEqual(['no NetworkPolicy in namespace shop restricts ingress or egress of its pods']);
  });

  test('pods on the host network are not restricted by any policy', () => {
    const pod = mutated((spec) => { spec.hostNetwork = true; });
    expect(coverage([pod, strict()])).toEqual(['pods use the host network (/spec/template/spec/hostNetwork): NetworkPolicies do not restrict their ingress or egress']);
  });
});

describe('NSA-NETWORK-POLICY: hostile rules that admit everything', () => {
  test('ingress: [{}]', () => {
    const open = netpol('allow-all', { policyTypes: ['Ingress'], ingress: [{}] });
    expect(coverage([hardenedDeployment(), strict(), open]))
      .toEqual(['NetworkPolicy shop/allow-all ingress[0] has no "from": it admits every source on every port']);
  });

  test('from: []', () => {
    const open = netpol('allow-all', { policyTypes: ['Ingress'], ingress: [{ from: [], ports: [{ protocol: 'TCP', port: 443 }] }] });
    expect(coverage([hardenedDeployment(), strict(), open]))
      .toEqual(['NetworkPolicy shop/allow-all ingress[0] has an empty "from": it admits every source on TCP 443']);
  });

  test('namespaceSelector: {} alone', () => {
    const open = netpol('cluster', { policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { a: 'b' } } }, { namespaceSelector: {} }] }] });
    expect(coverage([hardenedDeployment(), strict(), open]))
      .toEqual(['NetworkPolicy shop/cluster ingress[0] from[1] has namespaceSelector {} and no podSelector: it admits every pod of every namespace on every port']);
  });

  test('namespaceSelector: {} with podSelector: {}', () => {
    const open = netpol('cluster', { policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {}, podSelector: {} }], ports: [{ port: 8080 }] }] });
    expect(coverage([hardenedDeployment(), strict(), open]))
      .toEqual(['NetworkPolicy shop/cluster ingress[0] from[0] has namespaceSelector {} and podSelector {}: it admits every pod of every namespace on TCP 8080']);
  });

  test('a namespaceSelector that every namespace satisfies counts as {}', () => {
    // GIVEN "the name label exists" (every namespace has it) and "not team=x" (no positive requirement)
    const exists = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'Exists' }] };
    const notIn = { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['x'] }] };
    const open = netpol('sneaky', { policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: exists }, { namespaceSelector: notIn, podSelector: {} }] }] });
    // THEN both peers are found
    expect(coverage([hardenedDeployment(), strict(), open])).toEqual([
      `NetworkPolicy shop/sneaky ingress[0] from[0] has namespaceSelector ${JSON.stringify(exists)} and no podSelector: it admits every pod of every namespace on every port`,
      `NetworkPolicy shop/sneaky ingress[0] from[1] has namespaceSelector ${JSON.stringify(notIn)} and podSelector {}: it admits every pod of every namespace but those its selectors exclude on every port`,
    ]);
    // AND a namespaceSelector with a positive requirement is not
    const named = netpol('named', { policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['x'] }] } }] }] });
    expect(coverage([hardenedDeployment(), strict(), named])).toEqual([]);
  });

  test('ingress from 0.0.0.0/0 is open whatever it excepts', () => {
    const open = netpol('world', { policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }] });
    expect(coverage([hardenedDeployment(), strict(), open]))
      .toEqual(['NetworkPolicy shop/world ingress[0] from[0] ipBlock 0.0.0.0/0 covers every IPv4 address: it admits every source on TCP 443']);
  });

  test('0.0.0.0/0 egress without except', () => {
    const open = egressOnly([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }]);
    expect(coverage([hardenedDeployment(), strict(), open]))
      .toEqual(['NetworkPolicy shop/out egress[0] to[0] ipBlock 0.0.0.0/0 covers every IPv4 address and does not except 10.0.0.0/8: it admits every destination on every port']);
  });

  test('::/0 egress', () => {
    const open = egressOnly([DNS, { to: [{ ipBlock: { cidr: '::/0', except: ['fe80::/10'] } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(coverage([hardenedDeployment(), strict(), open]))
      .toEqual(['NetworkPolicy shop/out egress[1] to[0] ipBlock ::/0 covers every IPv6 address and does not except fc00::/7: it admits every destination on TCP 443']);
  });

  test('0.0.0.0/0 egress excepting only 169.254.169.254/32 still reaches every pod', () => {
    const open = egressOnly([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }]);
    expect(coverage([hardenedDeployment(), strict(), open])).toEqual([expect.stringMatching(/^NetworkPolicy shop\/out egress\[0\] to\[0\] ipBlock 0.0.0.0\/0 covers every IPv4 address and does not except 10.0.0.0\/8/)]);
  });

  test('blocks that together cover every address are open too', () => {
    // GIVEN the two halves of the IPv4 space, and ::ffff:0:0/96 (every IPv4 address, written as IPv6)
    const halves = egressOnly([{ to: [{ ipBlock: { cidr: '0.0.0.0/1' } }, { ipBlock: { cidr: '128.0.0.0/1', except: ['169.254.0.0/16'] } }] }]);
    const mapped = netpol('mapped', { policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '::ffff:0:0/96' } }] }] });
    // THEN both are found
    expect(coverage([hardenedDeployment(), strict(), halves])).toEqual([
      'NetworkPolicy shop/out egress[0] the ipBlocks of to[0], to[1] cover every IPv4 address and to[0] (0.0.0.0/1) does not except 10.0.0.0/8: it admits every destination on every port',
    ]);
    expect(coverage([hardenedDeployment(), strict(), mapped]))
      .toEqual(['NetworkPolicy shop/mapped ingress[0] from[0] ipBlock ::ffff:0:0/96 covers every IPv4 address: it admits every source on every port']);
  });

  test('an open policy added next to a strict one opens the pods (policies are additive)', () => {
    // GIVEN the deny-all policy and a second policy admitting everything, selecting every pod
    const open = { ...netpol('allow-all', { policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] }), spec: { podSelector: {}, ingress: [{}], egress: [{}] } };
    // THEN both directions are open
    expect(coverage([hardenedDeployment(), strict(), open])).toEqual([
      'NetworkPolicy shop/allow-all ingress[0] has no "from": it admits every source on every port',
      'NetworkPolicy shop/allow-all egress[0] has no "to": it admits every destination on every port',
    ]);
  });

  test('rules of a direction the policy does not enforce are ignored, as Kubernetes ignores them', () => {
    // GIVEN an open ingress rule in a policy of type Egress only, beside the deny-all policy
    const policy = netpol('egress-only', { policyTypes: ['Egress'], ingress: [{}], egress: [] });
    expect(coverage([hardenedDeployment(), strict(), policy])).toEqual([]);
  });

  test('each pod is judged by the policies selecting it', () => {
    // GIVEN an open policy for the db pods and the deny-all policy for web
    const db = mutated((_, __, d) => { d.metadata.name = 'db'; d.spec.template.metadata.labels = { 'app.kubernetes.io/instance': 'db' }; });
    const open = netpol('db', { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'db' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [] });
    const objects = [hardenedDeployment(), db, strict(), open].map((m, i) => policyObject(m, `test/o${i}`));
    // WHEN judged
    const results = new NetworkPolicyCoverageRule().evaluate(objects);
    // THEN web is compliant and db is not
    expect(results.map((r) => [objects[r.objectIndex].name, r.compliant])).toEqual([['web', true], ['db', false]]);
  });
});

const ALL_METADATA = CLOUD_METADATA_ADDRESSES.join(', ');

describe('NSA-METADATA-EGRESS', () => {
  test('deny-all egress and DNS egress reach no metadata service', () => {
    expect(metadata([hardenedDeployment(), strict()])).toEqual([]);
    expect(metadata([hardenedDeployment(), egressOnly([DNS, { to: [{ ipBlock: { cidr: '10.200.0.2/32' } }] }])])).toEqual([]);
  });

  test('pods without egress isolation reach every metadata address', () => {
    const ingressOnly = netpol('in', { policyTypes: ['Ingress'], ingress: [] });
    expect(metadata([hardenedDeployment(), ingressOnly]))
      .toEqual([`no NetworkPolicy in namespace shop restricts egress of its pods: they reach the cloud metadata addresses ${ALL_METADATA}`]);
  });

  test('egress: [{}]', () => {
    expect(metadata([hardenedDeployment(), egressOnly([{}])]))
      .toEqual([`NetworkPolicy shop/out egress[0] has no "to": it reaches the cloud metadata addresses ${ALL_METADATA} on TCP 80`]);
  });

  test('to: []', () => {
    expect(metadata([hardenedDeployment(), egressOnly([DNS, { to: [], ports: [{ port: 80 }] }])]))
      .toEqual([`NetworkPolicy shop/out egress[1] has an empty "to": it reaches the cloud metadata addresses ${ALL_METADATA} on TCP 80`]);
  });

  test('169.254.0.0/16 reaches the metadata service and the ECS and EKS credential endpoints', () => {
    expect(metadata([hardenedDeployment(), egressOnly([{ to: [{ ipBlock: { cidr: '169.254.0.0/16' } }] }])]))
      .toEqual(['NetworkPolicy shop/out egress[0] to[0] ipBlock 169.254.0.0/16 reaches the cloud metadata addresses 169.254.169.254, 169.254.170.2, 169.254.170.23 on TCP 80']);
  });

  test('::ffff:169.254.169.254/128 (the IPv4 address, written as IPv6)', () => {
    expect(metadata([hardenedDeployment(), egressOnly([{ to: [{ ipBlock: { cidr: '::ffff:169.254.169.254/128' } }] }])]))
      .toEqual(['NetworkPolicy shop/out egress[0] to[0] ipBlock ::ffff:169.254.169.254/128 reaches the cloud metadata address 169.254.169.254 on TCP 80']);
  });

  test('0.0.0.0/0 excepting 169.254.0.0/16 only still reaches 100.100.100.200', () => {
    expect(metadata([hardenedDeployment(), egressOnly([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] } }] }])]))
      .toEqual(['NetworkPolicy shop/out egress[0] to[0] ipBlock 0.0.0.0/0 (except 169.254.0.0/16) reaches the cloud metadata address 100.100.100.200 on TCP 80']);
  });

  test('::/0 reaches the IPv6 endpoints and the NAT64 forms of the IPv4 ones', () => {
    expect(metadata([hardenedDeployment(), egressOnly([{ to: [{ ipBlock: { cidr: '::/0' } }], ports: [{ protocol: 'TCP', port: 1, endPort: 1024 }] }])]))
      .toEqual([expect.stringMatching(/^NetworkPolicy shop\/out egress\[0\] to\[0\] ipBlock ::\/0 reaches the cloud metadata addresses fd00:ec2::254, .*64:ff9b::a9fe:a9fe/)]);
  });

  test('64:ff9b::/96 (NAT64) reaches 169.254.169.254 through the gateway', () => {
    expect(metadata([hardenedDeployment(), egressOnly([{ to: [{ ipBlock: { cidr: '64:ff9b::/96' } }] }])]))
      .toEqual([expect.stringMatching(/ipBlock 64:ff9b::\/96 reaches the cloud metadata addresses 64:ff9b::a9fe:a9fe, /)]);
  });

  test('an except holding every metadata address closes the block', () => {
    const v4 = METADATA_ADDRESS_FORMS.filter((a) => !a.includes(':')).map((a) => `${a}/32`);
    const v6 = METADATA_ADDRESS_FORMS.filter((a) => a.includes(':')).map((a) => `${a}/128`);
    const closed = egressOnly([{
      to: [
        { ipBlock: { cidr: '0.0.0.0/0', except: v4 } },
        { ipBlock: { cidr: '::/0', except: v6 } },
      ],
    }]);
    expect(metadata([hardenedDeployment(), closed])).toEqual([]);
  });

  test.each([
    ['TCP 443', [{ protocol: 'TCP', port: 443 }], false],
    ['UDP 80', [{ protocol: 'UDP', port: 80 }], false],
    ['TCP 81-1024', [{ port: 81, endPort: 1024 }], false],
    ['TCP 80', [{ port: 80 }], true],
    ['TCP 1-1024', [{ protocol: 'TCP', port: 1, endPort: 1024 }], true],
    ['every TCP port', [{ protocol: 'TCP' }], true],
    ['named port "http"', [{ protocol: 'TCP', port: 'http' }], true],
  ])('ports %s: reaches on TCP 80 = %p', (_, ports, reaches) => {
    const policy = egressOnly([{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports }]);
    expect(metadata([hardenedDeployment(), policy]).length).toBe(reaches ? 1 : 0);
  });

  test('an open policy next to a strict one reaches the metadata service (policies are additive)', () => {
    const open = { ...egressOnly([{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }] }]), metadata: { name: 'imds', namespace: 'shop' } };
    expect(metadata([hardenedDeployment(), strict(), open])).toEqual([expect.stringMatching(/^NetworkPolicy shop\/imds egress\[0\] to\[0\]/)]);
  });

  test('pod and namespace selectors never reach a metadata service', () => {
    expect(metadata([hardenedDeployment(), egressOnly([{ to: [{ namespaceSelector: {} }, { podSelector: {} }] }])])).toEqual([]);
  });

  test('pods on the host network reach it whatever the policies say', () => {
    expect(metadata([mutated((spec) => { spec.hostNetwork = true; }), strict()])).toEqual([expect.stringMatching(/use the host network/)]);
  });
});

describe('performance', () => {
  test('10,000 workloads with 10,000 policies are judged in well under a second', () => {
    // GIVEN 10,000 Deployments, each with its own policy
    const manifests: any[] = [];
    for (let i = 0; i < 10_000; i++) {
      const labels = { 'app.kubernetes.io/instance': `w${i}` };
      manifests.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `w${i}`, namespace: `ns${i % 50}` },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'a:1' }] } } },
      });
      manifests.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `w${i}`, namespace: `ns${i % 50}` },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 8080 }] }],
          egress: [DNS, {
            // each policy has a block of its own beside the shared "internet" block
            to: [
              { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] } },
              { ipBlock: { cidr: `10.${Math.floor(i / 256)}.${i % 256}.0/24` } },
            ],
            ports: [{ port: 443 }],
          }],
        },
      });
    }
    const objects = manifests.map((m, i) => policyObject(m, `test/o${i}`));
    // (pod views are computed once per object of an evaluation and shared by every rule of the packs)
    for (const object of objects) podOf(object);
    // WHEN both rules judge them (best of two runs: the test machine may be busy)
    let results: RuleResult[] = [];
    const run = () => {
      const start = process.hrtime.bigint();
      results = [...new NetworkPolicyCoverageRule().evaluate(objects), ...new MetadataEgressRule().evaluate(objects)];
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const ms = Math.min(run(), run());
    // THEN every workload is judged compliant (speed is a budget of `npm run bench`; this bound only catches a quadratic
    // blow-up, whatever the load of the test machine)
    expect(results.length).toBe(20_000);
    expect(results.every((r) => r.compliant)).toBe(true);
    expect(ms).toBeLessThan(15_000);
  });
});

describe('our constructs stay compliant with both rules', () => {
  const both = (manifests: any[]) => [...coverage(manifests), ...metadata(manifests)];

  test('a default-deny namespace, allow-listed egress in both modes, a database, a migration job and a canary pair', () => {
    // GIVEN every network-relevant construct
    const { chart } = testChart();
    const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, namespace: ns });
    new EgressAllowlist(chart, 'db', { workload: web, allow: [EgressTarget.cidr('10.200.0.2/32', { tcp: [27017] }), EgressTarget.namespace('payments', { tcp: [443] })] });
    new EgressAllowlist(chart, 'api', { workload: web, mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] })] });
    const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'db');
    const mongo = new ExternalMongoService(chart, 'mongo', { address: ExternalAddress.ip('10.200.0.3', 'fd00::2'), database: 'dev', credentials });
    mongo.allowFrom(web);
    new FlywayMigrationJob(chart, 'migrate', { jdbcUrl: 'jdbc:postgresql://postgresql:5432/db', credentials, migrations: Migrations.fromImage('quay.io/acme/m:1.0.0') });
    new CanaryPair(chart, 'reco', {
      port: 8080,
      stable: { image: 'quay.io/acme/reco:1.0.0', replicas: 3 },
      canary: { image: 'quay.io/acme/reco:1.2.0', replicas: 1 },
      canaryWeight: 25,
      routing: CanaryRouting.gatewayApi({ gateway: { name: 'public', namespace: 'gateways' } }),
    });
    // THEN neither rule finds anything
    expect(both(synth(chart))).toEqual([]);
  });

  test('node-local DNS egress (a link-local address) is not the metadata service', () => {
    const { chart } = testChart();
    const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop', dns: DnsEgress.nodeLocal() } as any);
    new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, namespace: ns });
    expect(both(synth(chart))).toEqual([]);
  });
});

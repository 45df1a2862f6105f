// Gaps of the hostile review of issue 13, closed in the network constructs: targets that open egress together,
// more credential endpoints, IPv4-compatible addresses, labels over every namespace, per-workload Istio Sidecars,
// and the loopback names of /etc/hosts.
import * as kplus from 'cdk8s-plus-27';
import {
  EgressAllowlist, EgressAllowlistProps, EgressMode, EgressTarget, Policy, PolicyPack, SecureDeployment,
} from '../../../src';
import { NON_PUBLIC_BLOCKS, openEgressReasons } from '../../../src/constructs/network/peers';
import { validateExternalAddress } from '../../../src/k8s/addresses';
import { specialHostname, validateExternalHostname } from '../../../src/k8s/hostnames';
import { errorOf, Manifest, schemaFindings, synth, testChart } from '../../support/helpers';

const IMAGE = 'ghcr.io/acme/web:1.4.2';
const WHERE = /^EgressAllowlist shop\/egress: /;

/** An EgressAllowlist for a SecureDeployment `web` in chart `shop`, synthesized. */
function allowlist(props: Partial<EgressAllowlistProps>) {
  const { app, chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web' });
  new EgressAllowlist(chart, 'egress', { workload: web, name: 'web', allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })], ...props });
  const manifests = synth(chart);
  return { app, chart, manifests, policy: manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'web-egress')! };
}


/** The hosts a Sidecar imports. */
function sidecarHosts(manifests: Manifest[], name: string): string[] {
  return manifests.find((m) => m.kind === 'Sidecar' && m.metadata.name === name)!.spec.egress.flatMap((e: any) => e.hosts);
}

describe('hostile input: targets that open egress together', () => {
  test('0.0.0.0/1 and 128.0.0.0/1, each excepting the metadata it holds, are refused together', () => {
    // GIVEN two halves of IPv4, each valid alone
    const halves = [
      EgressTarget.cidr('0.0.0.0/1', { tcp: [443] }, { except: ['100.100.100.200/32'] }),
      EgressTarget.cidr('128.0.0.0/1', { tcp: [443] }, { except: ['169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32'] }),
    ];
    // WHEN both are allowed / THEN refused, naming both targets, the internal range left open and the fix
    const error = errorOf(() => allowlist({ allow: halves }));
    expect(error.message).toMatch(WHERE);
    expect(error.message).toMatch(/the targets together: the ipBlocks of allow\[0\], allow\[1\] cover every IPv4 address and allow\[0\] \(0.0.0.0\/1\) does not except 10.0.0.0\/8/);
    expect(error.message).toMatch(/; allow narrower blocks, or except every internal range \(10.0.0.0\/8, .*\) from the blocks that reach public addresses$/);
  });

  test('halves on different ports are refused too (ports do not narrow "everything")', () => {
    expect(() => allowlist({
      allow: [
        EgressTarget.cidr('::/1', { tcp: [443] }, { except: ['64:ff9b::a9fe:0/112', '64:ff9b::6440:0/106'] }),
        EgressTarget.cidr('8000::/1', { tcp: [80] }, { except: ['fd00:ec2::254/128', 'fd00:ec2::23/128', 'fd20:ce::254/128', 'fe80::a9fe:a9fe/128'] }),
      ],
    })).toThrow(/the targets together: the ipBlocks of allow\[0\], allow\[1\] cover every IPv6 address and allow\[1\] \(8000::\/1\) does not except fc00::\/7/);
  });

  test('halves that except every internal range mean "public addresses only", and are accepted with zero findings', () => {
    // GIVEN the halves of IPv4, each excepting the internal ranges it spans
    const { app, manifests } = allowlist({
      allow: [
        EgressTarget.cidr('0.0.0.0/1', { tcp: [443] }, { except: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8'] }),
        EgressTarget.cidr('128.0.0.0/1', { tcp: [443] }, { except: ['172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] }),
      ],
    });
    // THEN valid, and no policy finding
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('an internal target beside "the internet" is a deliberate target, not everything', () => {
    // GIVEN public addresses and a database in a private range
    const internet = EgressTarget.cidr('0.0.0.0/0', { tcp: [443] }, { except: [...NON_PUBLIC_BLOCKS[4]] });
    // WHEN allowed together / THEN accepted, both rules emitted
    const { policy, app } = allowlist({ allow: [internet, EgressTarget.cidr('10.0.0.0/8', { tcp: [5432] })] });
    expect(policy.spec.egress.map((r: any) => r.to[0].ipBlock.cidr)).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('openEgressReasons names the rules, and a rule without "to" is open on its own', () => {
    // GIVEN rules narrow alone / WHEN judged together / THEN the reasons name them
    const halves = [{ to: [{ ipBlock: { cidr: '0.0.0.0/1' } }] }, { to: [{ ipBlock: { cidr: '128.0.0.0/1' } }] }];
    expect(openEgressReasons(halves)).toEqual([
      'the ipBlocks of egress[0], egress[1] cover every IPv4 address and egress[0] (0.0.0.0/1) does not except 10.0.0.0/8: it admits every destination',
    ]);
    expect(openEgressReasons(halves, ['first', 'second'])[0]).toMatch(/^the ipBlocks of first, second cover/);
    expect(openEgressReasons([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }, {}])).toEqual(['egress[1] has no "to": it admits every destination']);
    expect(openEgressReasons([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }, { podSelector: { matchLabels: { app: 'db' } } }] }])).toEqual([]);
  });
});

describe('hostile input: every credential endpoint counts as cloud metadata', () => {
  test.each([
    ['169.254.170.2/32', 'the ECS task credentials endpoint'],
    ['169.254.170.23/32', 'the EKS Pod Identity agent'],
    ['fd00:ec2::23/128', 'the EKS Pod Identity agent over IPv6'],
    ['fe80::a9fe:a9fe/128', 'OpenStack metadata over IPv6'],
    ['fd20:ce::254/128', 'GCP metadata over IPv6'],
    ['64:ff9b::a9fe:aa17/128', 'the EKS Pod Identity agent through NAT64'],
    ['64:ff9b::/95', 'a block holding the NAT64 prefix'],
    ['64:ff9b::/64', 'a larger block holding the NAT64 prefix'],
  ])('EgressTarget.cidr(%p) is refused (%s)', (cidr) => {
    // GIVEN a credential endpoint as an egress block / WHEN allowed / THEN refused like 169.254.169.254/32
    const error = errorOf(() => allowlist({ allow: [EgressTarget.cidr(cidr, { tcp: [80] })] }));
    expect(error.message).toMatch(WHERE);
    expect(error.message).toMatch(/holds the cloud metadata address(es)? .*, which hands? out cloud credentials; add /);
  });

  test('a NAT64 block is accepted once it excepts the NAT64 forms of the metadata addresses', () => {
    // GIVEN the except list the error suggests for 64:ff9b::/64
    const suggestion = errorOf(() => allowlist({ allow: [EgressTarget.cidr('64:ff9b::/64', { tcp: [443] })] })).message;
    const except = JSON.parse(/except: (\[.*\])\)/.exec(suggestion)![1]);
    // WHEN used / THEN accepted with it
    const { policy } = allowlist({ allow: [EgressTarget.cidr('64:ff9b::/64', { tcp: [443] }, { except })] });
    expect(policy.spec.egress[0].to[0].ipBlock.except).toEqual(except);
    expect(except).toHaveLength(4);
  });

  test('"public addresses only" over IPv6 excepts the NAT64 forms of the internal IPv4 ranges', () => {
    // GIVEN ::/0 excepting NON_PUBLIC_BLOCKS[6] / WHEN allowed / THEN accepted: it reaches no metadata address in any form
    const { app } = allowlist({ allow: [EgressTarget.cidr('::/0', { tcp: [443] }, { except: [...NON_PUBLIC_BLOCKS[6]] })] });
    expect(NON_PUBLIC_BLOCKS[6]).toEqual(expect.arrayContaining(['64:ff9b::a9fe:0/112', '64:ff9b::6440:0/106', '64:ff9b::a00:0/104']));
    expect(Policy.report(app).findings).toEqual([]);
  });

  test.each([
    ['169.254.170.2', /is the AWS ECS task credentials endpoint 169.254.170.2, which hands out cloud credentials/],
    ['169.254.170.23', /is the EKS Pod Identity agent 169.254.170.23/],
    ['FD00:EC2::23', /is the EKS Pod Identity agent fd00:ec2::23/],
    ['fe80::a9fe:a9fe', /is the OpenStack metadata service fe80::a9fe:a9fe/],
    ['fd20:ce::254', /is the GCP metadata server fd20:ce::254/],
    ['64:ff9b::a9fe:aa17', /\(which reaches 169.254.170.23 through NAT64\) is the EKS Pod Identity agent/],
  ])('validateExternalAddress(%p) is refused', (address, message) => {
    expect(() => validateExternalAddress('Thing shop/x', address)).toThrow(message);
  });

  test('EgressTarget.cloudMetadata names a credential endpoint on purpose', () => {
    // GIVEN a workload that must fetch its pod identity credentials / WHEN named with a reason
    const { policy, app } = allowlist({ allow: [EgressTarget.cloudMetadata('169.254.170.23', 'the agent exchanges the pod identity token')] });
    // THEN one /32 on TCP 80, reported by the policy engine for acknowledgement
    expect(policy.spec.egress[0]).toEqual({ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] });
    expect(Policy.report(app).findings.map((f) => f.ruleId)).toEqual(['NSA-METADATA-EGRESS']);
  });
});

describe('hostile input: deprecated IPv4-compatible addresses', () => {
  test.each([
    ['::169.254.169.254', /\(the IPv4-compatible form of 169.254.169.254\) is the cloud metadata service 169.254.169.254/],
    ['::a9fe:a9fe', /\(the IPv4-compatible form of 169.254.169.254\) is the cloud metadata service/],
    ['::a9fe:aa17', /\(the IPv4-compatible form of 169.254.170.23\) is the EKS Pod Identity agent/],
    ['::127.0.0.1', /\(the IPv4-compatible form of 127.0.0.1\) is loopback/],
    ['::7f00:1', /\(the IPv4-compatible form of 127.0.0.1\) is loopback/],
    ['::224.0.0.1', /\(the IPv4-compatible form of 224.0.0.1\) is multicast/],
    ['::10.200.0.2', /address "::10.200.0.2" is a deprecated IPv4-compatible IPv6 address \(RFC 4291\) standing for 10.200.0.2.*; write the IPv4 address "10.200.0.2"$/],
    ['::c8:2', /\(the IPv4-compatible form of 0.200.0.2\) is unspecified/],
    ['::808:808', /address "::808:808" is a deprecated IPv4-compatible IPv6 address \(RFC 4291\) standing for 8.8.8.8/],
  ])('validateExternalAddress(%p) is judged as the IPv4 address it embeds, and refused', (address, message) => {
    // GIVEN an address in the ::/96 block / WHEN checked / THEN refused for what it embeds, or for its form
    const error = errorOf(() => validateExternalAddress('Thing shop/x', address));
    expect(error.message).toMatch(/^Thing shop\/x: address /);
    expect(error.message).toMatch(message);
  });

  test.each([['::', /is unspecified/], ['::1', /is loopback/]])('%p keeps its own meaning', (address, message) => {
    expect(() => validateExternalAddress('Thing shop/x', address)).toThrow(message);
  });

  test('an ordinary IPv6 address ending like an IPv4 one is accepted', () => {
    expect(validateExternalAddress('Thing shop/x', '2001:db8::10.200.0.2').text).toBe('2001:db8::ac8:2');
  });
});

describe('hostile input: labels are no boundary across namespaces', () => {
  test('EgressTarget.pods by labels in every namespace is refused', () => {
    // GIVEN app=db in all namespaces (any tenant can label a pod app=db)
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080 });
    const db = kplus.Pods.select(chart, 'db', { labels: { app: 'db' }, namespaces: kplus.Namespaces.all(chart, 'all') });
    // WHEN used / THEN refused, with named namespaces as the fix
    expect(() => new EgressAllowlist(chart, 'egress', { workload: web, allow: [EgressTarget.pods(db, { tcp: [5432] })] }))
      .toThrow(/^EgressAllowlist shop\/egress: egress target "shop\/db" selects pods by labels in every namespace \(namespaceSelector \{\}\).*; name the namespaces/);
  });

  test('the same labels in a named namespace are accepted', () => {
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web' });
    const db = kplus.Pods.select(chart, 'db', { labels: { app: 'db' }, namespaces: kplus.Namespaces.select(chart, 'data', { names: ['data'] }) });
    new EgressAllowlist(chart, 'egress', { workload: web, name: 'web', allow: [EgressTarget.pods(db, { tcp: [5432] })] });
    const policy = synth(chart).find((m) => m.metadata.name === 'web-egress')!;
    expect(policy.spec.egress[0].to).toEqual([{ podSelector: { matchLabels: { app: 'db' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } } }]);
  });
});

describe('hostile input: Istio Sidecars are per workload', () => {
  test.each<[string, (chart: any) => kplus.IPodSelector, RegExp]>([
    ['expressions only', (chart) => kplus.Pods.select(chart, 'sel', { expressions: [kplus.LabelExpression.in('app', ['web'])] }), /it would apply to every pod of the namespace/],
    ['labels and expressions', (chart) => kplus.Pods.select(chart, 'sel', { labels: { app: 'web' }, expressions: [kplus.LabelExpression.notIn('tier', ['batch'])] }),
      /it would apply to pods its expressions exclude/],
  ])('a workload selected by %s is refused in Istio mode', (_, select, message) => {
    // GIVEN a workload selected by label expressions
    const { chart } = testChart();
    // WHEN an Istio allowlist is made for it / THEN refused: a Sidecar selects by labels only
    const error = errorOf(() => new EgressAllowlist(chart, 'egress', {
      workload: select(chart), mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] })],
    }));
    expect(error.message).toMatch(/^EgressAllowlist shop\/egress: Istio mode: workload shop\/sel is selected by label expressions, and a Sidecar's workloadSelector takes labels only/);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/; select the workload by labels/);
  });

  test('a workload selected by expressions is accepted in Kubernetes mode (a NetworkPolicy takes them)', () => {
    const { chart } = testChart();
    const selected = kplus.Pods.select(chart, 'sel', { expressions: [kplus.LabelExpression.in('app', ['web'])] });
    new EgressAllowlist(chart, 'egress', { workload: selected, name: 'sel', allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })] });
    const policy = synth(chart).find((m) => m.kind === 'NetworkPolicy')!;
    expect(policy.spec.podSelector).toEqual({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] });
  });

  test('the Sidecar imports its own hosts and blocks, in-namespace Services, istio-system and other target namespaces only', () => {
    // GIVEN two workloads of one namespace, each with an Istio allowlist
    const { app, chart } = testChart();
    const a = new SecureDeployment(chart, 'a', { image: IMAGE, port: 8080, name: 'a' });
    const b = new SecureDeployment(chart, 'b', { image: IMAGE, port: 8080, name: 'b' });
    new EgressAllowlist(chart, 'egress-a', {
      workload: a,
      name: 'a',
      mode: EgressMode.ISTIO,
      allow: [
        EgressTarget.host('api.a.example.com', { tcp: [443] }),
        EgressTarget.cidr('10.200.0.2/32', { tcp: [27017] }),
        EgressTarget.namespace('shop', { tcp: [8080] }),
        EgressTarget.namespace('monitoring', { tcp: [9090] }),
      ],
    });
    new EgressAllowlist(chart, 'egress-b', { workload: b, name: 'b', mode: EgressMode.ISTIO, allow: [EgressTarget.host('payments.b.example.com', { tcp: [443] })] });
    // WHEN synthesized
    const manifests = synth(chart);
    // THEN each Sidecar imports its own ServiceEntries by host, never `./*` (the other's entries) nor its own namespace whole
    const blockHost = manifests.find((m) => m.kind === 'ServiceEntry' && m.spec.addresses)!.spec.hosts[0];
    expect(sidecarHosts(manifests, 'a')).toEqual(['./api.a.example.com', `./${blockHost}`, './*.svc.cluster.local', 'istio-system/*', 'monitoring/*']);
    expect(sidecarHosts(manifests, 'b')).toEqual(['./payments.b.example.com', './*.svc.cluster.local', 'istio-system/*']);
    // AND the output is schema-valid with zero findings
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app, { packs: [...PolicyPack.defaults()] }).findings).toEqual([]);
  });

  test('a second Istio allowlist for the same workload is refused, naming both', () => {
    // GIVEN an Istio allowlist for web
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web' });
    new EgressAllowlist(chart, 'first', { workload: web, mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] })] });
    // WHEN a second one selects the same pods / THEN refused with both construct paths and the fix
    const error = errorOf(() => new EgressAllowlist(chart, 'second', {
      workload: kplus.Pods.select(chart, 'sel', { labels: { 'app.kubernetes.io/instance': 'web' } }),
      mode: EgressMode.ISTIO,
      allow: [EgressTarget.host('other.example.com', { tcp: [443] })],
    }));
    expect(error.message).toMatch(/^EgressAllowlist shop\/second: Istio mode: workload shop\/sel .* can be selected by the Sidecar of the Istio EgressAllowlist shop\/first too/);
    expect(error.message).toMatch(/Istio leaves the choice between two Sidecars of one pod undefined; make one EgressAllowlist per workload in Istio mode/);
  });

  test.each<[string, string | undefined, EgressMode]>([
    ['another workload', 'other', EgressMode.ISTIO],
    ['another namespace', 'elsewhere', EgressMode.ISTIO],
    ['Kubernetes mode (NetworkPolicies add up)', undefined, EgressMode.KUBERNETES],
  ])('a second allowlist is accepted for %s', (what, variant, mode) => {
    // GIVEN an Istio allowlist for web
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web' });
    new EgressAllowlist(chart, 'first', { workload: web, mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] })] });
    // WHEN a second allowlist cannot select web's pods with a second Sidecar
    const workload = variant === 'other' ? new SecureDeployment(chart, 'other', { image: IMAGE, port: 8080, name: 'other' })
      : variant === 'elsewhere' ? kplus.Pods.select(chart, 'sel', { labels: { 'app.kubernetes.io/instance': 'web' }, namespaces: kplus.Namespaces.select(chart, 'ns', { names: ['elsewhere'] }) })
        : web;
    new EgressAllowlist(chart, 'second', { workload, mode, allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })] });
    // THEN at most one Sidecar per namespace selects web's labels
    const sidecars = synth(chart).filter((m) => m.kind === 'Sidecar' && m.metadata.namespace === 'shop');
    expect(sidecars.filter((s) => s.spec.workloadSelector.labels['app.kubernetes.io/instance'] === 'web')).toHaveLength(1);
    expect(what).toBeDefined();
  });
});

describe('hostile input: the names /etc/hosts gives loopback and special addresses', () => {
  test.each([
    ['ip6-localhost', /is the loopback interface of the pod itself/],
    ['ip6-loopback', /is the loopback interface/],
    ['IP6-LOCALHOST.', /is the loopback interface/],
    ['localhost.localdomain', /is the loopback interface/],
    ['localhost6.localdomain6', /is the loopback interface/],
    ['ip6-localnet', /is the special IPv6 address fe00::0 the pod's \/etc\/hosts maps it to/],
    ['ip6-mcastprefix', /fe00::0/],
    ['ip6-allnodes', /fe00::1/],
    ['ip6-allrouters', /fe00::2/],
  ])('EgressTarget.host(%p) is refused like localhost', (host, message) => {
    // GIVEN a name the kubelet-managed /etc/hosts resolves locally / WHEN an external host / THEN refused
    const error = errorOf(() => allowlist({ mode: EgressMode.ISTIO, allow: [EgressTarget.host(host, { tcp: [443] })] }));
    expect(error.message).toMatch(WHERE);
    expect(error.message).toMatch(message);
    expect(() => validateExternalHostname('Thing shop/x', 'host', host)).toThrow(/^Thing shop\/x: host /);
  });

  test.each(['ip6-localhost.example.com', 'localdomain.example.com', 'allnodes.example.com'])('%p is an ordinary name', (host) => {
    expect(specialHostname(host)).toBeUndefined();
  });
});

import * as kplus from 'cdk8s-plus-27';
import {
  DefaultDenyNamespace, DnsEgress, EgressAllowlist, EgressAllowlistProps, EgressMode, EgressTarget, Policy, PolicyPack,
  SecureDeployment,
} from '../../../src';
import { toKubePeerList, toKubePeers } from '../../../src/constructs/network/peers';
import { CLOUD_METADATA_ADDRESSES, validateExternalAddress, validateIpBlock } from '../../../src/k8s/addresses';
import { cidrContains } from '../../../src/k8s/cidr';
import { errorOf, schemaFindings, synth, testChart } from '../../support/helpers';

const WHERE = /^EgressAllowlist shop\/egress: /;

/** An EgressAllowlist for a SecureDeployment `web` in chart `shop`, synthesized. */
function allowlist(props: Partial<EgressAllowlistProps>) {
  const { app, chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
  const list = new EgressAllowlist(chart, 'egress', { workload: web, name: 'web', allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })], ...props });
  const manifests = synth(chart);
  return { app, chart, web, list, manifests, policy: manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'web-egress')! };
}


describe('hostile input: empty peer lists mean nobody, never everybody', () => {
  test('EgressTarget.namespacesWithLabels({}) is refused (namespaceSelector {} = every namespace)', () => {
    // GIVEN an empty label map / WHEN used / THEN refused with the construct path and a fix
    expect(() => allowlist({ allow: [EgressTarget.namespacesWithLabels({}, { tcp: [443] })] }))
      .toThrow(/^EgressAllowlist shop\/egress: EgressTarget.namespacesWithLabels\(\{\}\) has no label.*every namespace; name the labels/);
  });

  test('EgressTarget.pods over every pod of every namespace is refused', () => {
    // GIVEN a selector without labels over all namespaces
    const { chart } = testChart();
    const everyone = kplus.Pods.all(chart, 'everyone', { namespaces: kplus.Namespaces.all(chart, 'all-ns') });
    // WHEN / THEN
    expect(() => new EgressAllowlist(chart, 'egress', {
      workload: new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080 }),
      allow: [EgressTarget.pods(everyone, { tcp: [443] })],
    })).toThrow(/^EgressAllowlist shop\/egress: egress target "shop\/everyone": has namespaceSelector \{\} and podSelector \{\}: it admits every pod of every namespace; name the namespaces/);
  });

  test('an empty selector in the workload\'s own namespace is accepted (it is not "everybody")', () => {
    const { chart } = testChart();
    const neighbours = kplus.Pods.all(chart, 'neighbours');
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    new EgressAllowlist(chart, 'egress', { workload: web, name: 'web', allow: [EgressTarget.pods(neighbours, { tcp: [443] })] });
    const policy = synth(chart).find((m) => m.metadata.name === 'web-egress')!;
    expect(policy.spec.egress[0].to).toEqual([{ podSelector: {} }]);
  });

  test('an empty allow stays refused', () => {
    expect(() => allowlist({ allow: [] })).toThrow(/allow lists no target/);
  });

  test('a workload selecting every pod of the namespace is refused', () => {
    const { chart } = testChart();
    expect(() => new EgressAllowlist(chart, 'egress', { workload: kplus.Pods.all(chart, 'all'), allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })] }))
      .toThrow(/^EgressAllowlist shop\/egress: workload shop\/all selects every pod of the namespace; pass the workload itself/);
  });

  test.each([
    ['0.0.0.0/0', /a block of more than one address, and node-local DNS listens on one; pass the one address.*"0.0.0.0\/32"/],
    ['169.254.20.0/24', /a block of more than one address/],
    ['fd00::/64', /a block of more than one address/],
    ['169.254.169.254', /is the cloud metadata service 169.254.169.254, not a DNS cache/],
    ['::ffff:169.254.20.10', /is IPv4-mapped; write the IPv4 address "169.254.20.10"/],
    ['0.0.0.0', /is unspecified/],
    ['127.0.0.1', /is loopback/],
    ['dns.local', /is not an IPv4 or IPv6 address/],
  ])('DnsEgress.nodeLocal(%p) is refused', (address, message) => {
    // GIVEN a node-local DNS "address" that is not one ordinary address / WHEN used by a DefaultDenyNamespace / THEN refused
    const { chart } = testChart();
    const dns = DnsEgress.nodeLocal(address);
    const error = errorOf(() => dns._ruleFor('DefaultDenyNamespace shop/ns'));
    expect(error.message).toMatch(/^DefaultDenyNamespace shop\/ns: /);
    expect(error.message).toMatch(message);
    expect(chart).toBeDefined();
  });

  test.each(['169.254.20.10', '169.254.20.10/32', 'fd00::a', 'fd00::a/128'])('DnsEgress.nodeLocal(%p) is one address and accepted', (address) => {
    const rule = DnsEgress.nodeLocal(address)._ruleFor('DefaultDenyNamespace shop/ns')!;
    expect(rule.to).toEqual([{ ipBlock: { cidr: address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}` } }]);
  });

  test('DnsEgress.custom with empty namespace labels is refused, by the construct that uses it', () => {
    // GIVEN a custom DNS over every namespace / WHEN a DefaultDenyNamespace uses it / THEN refused
    const { chart } = testChart();
    expect(() => new DefaultDenyNamespace(chart, 'ns', { name: 'shop', dns: DnsEgress.custom({ namespaceLabels: {}, podLabels: {} }) }))
      .toThrow(/namespaceLabels of DnsEgress.custom is empty, which selects every namespace/);
    expect(() => DnsEgress.custom({ namespaceLabels: {}, podLabels: { app: 'unbound' } })._ruleFor('X a/b')).toThrow(/^X a\/b: namespaceLabels/);
  });
});

describe('hostile input: cloud metadata is never a destination by accident', () => {
  test.each([
    ['0.0.0.0/0', '169.254.169.254, 100.100.100.200, 169.254.170.2, 169.254.170.23'],
    ['169.254.0.0/16', '169.254.169.254, 169.254.170.2, 169.254.170.23'],
    ['169.254.170.0/24', '169.254.170.2, 169.254.170.23'],
    ['100.64.0.0/10', '100.100.100.200'],
    ['fd00::/8', 'fd00:ec2::254, fd00:ec2::23, fd20:ce::254'],
    ['fe80::/10', 'fe80::a9fe:a9fe'],
    ['169.254.169.254/32', '169.254.169.254'],
    ['::ffff:0:0/96', '169.254.169.254, 100.100.100.200, 169.254.170.2, 169.254.170.23'],
    ['::ffff:169.254.169.254/128', '169.254.169.254'],
    ['::ffff:a9fe:a9fe/128', '169.254.169.254'],
    ['64:ff9b::/96', '64:ff9b::a9fe:a9fe, 64:ff9b::6464:64c8, 64:ff9b::a9fe:aa02, 64:ff9b::a9fe:aa17'],
    ['64:ff9b::a9fe:a9fe/128', '64:ff9b::a9fe:a9fe'],
    ['64:ff9b::/95', '64:ff9b::a9fe:a9fe, 64:ff9b::6464:64c8, 64:ff9b::a9fe:aa02, 64:ff9b::a9fe:aa17'],
    ['64:ff9b::/64', '64:ff9b::a9fe:a9fe, 64:ff9b::6464:64c8, 64:ff9b::a9fe:aa02, 64:ff9b::a9fe:aa17'],
    ['::/0', 'fd00:ec2::254, fd00:ec2::23, fe80::a9fe:a9fe, fd20:ce::254, 64:ff9b::a9fe:a9fe, 64:ff9b::6464:64c8, 64:ff9b::a9fe:aa02, 64:ff9b::a9fe:aa17'],
  ])('EgressTarget.cidr(%p) is refused: it holds %s', (cidr, addresses) => {
    // GIVEN a block holding a metadata address (also in IPv4-mapped and NAT64 forms) / WHEN used / THEN refused, naming it and the except
    const error = errorOf(() => allowlist({ allow: [EgressTarget.cidr(cidr, { tcp: [80, 443] })] }));
    expect(error.message).toMatch(WHERE);
    expect(error.message).toContain(`holds the cloud metadata address${addresses.includes(',') ? 'es' : ''} ${addresses},`);
    expect(error.message).toMatch(/; add ".*" to except \(e.g. except: \[.*\]\), or allow a narrower block$/);
  });

  test('the suggested except is accepted, and the output has zero findings', () => {
    // GIVEN the except the error suggests for 169.254.0.0/16
    const suggestion = errorOf(() => allowlist({ allow: [EgressTarget.cidr('169.254.0.0/16', { tcp: [80] })] })).message;
    const except = JSON.parse(/except: (\[.*\])\)/.exec(suggestion)![1]);
    // WHEN used
    const { app, policy } = allowlist({ allow: [EgressTarget.cidr('169.254.0.0/16', { tcp: [80] }, { except })] });
    // THEN the block is emitted with it, and neither NSA rule finds anything
    expect(policy.spec.egress[0].to).toEqual([{ ipBlock: { cidr: '169.254.0.0/16', except: ['169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32'] } }]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('an except in IPv4-mapped form counts as the IPv4 block, and is then refused for its form', () => {
    expect(() => allowlist({ allow: [EgressTarget.cidr('169.254.0.0/16', { tcp: [80] }, { except: ['::ffff:169.254.169.254/128', '169.254.170.0/24'] })] }))
      .toThrow(/except block "::ffff:169.254.169.254\/128" of egress target CIDR "169.254.0.0\/16" is an IPv4-mapped IPv6 block: it stands for the IPv4 block 169.254.169.254\/32; write "169.254.169.254\/32"/);
  });

  test('EgressTarget.cloudMetadata names the address with a reason, on TCP 80 only', () => {
    // GIVEN a workload that must read instance metadata / WHEN named on purpose
    const { policy, app } = allowlist({ allow: [EgressTarget.cloudMetadata('169.254.169.254', 'the node agent reads its instance identity')] });
    // THEN one /32 on TCP 80, and the policy engine still reports it (to be acknowledged with the same reason)
    expect(policy.spec.egress[0]).toEqual({ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ protocol: 'TCP', port: 80 }] });
    expect(Policy.report(app).findings.map((f) => f.ruleId)).toEqual(['NSA-METADATA-EGRESS']);
  });

  test.each([
    ['169.254.169.254', '', /needs a reason of at least 10 characters/],
    ['169.254.169.254', '   ', /needs a reason/],
    ['10.0.0.1', 'the node agent reads its identity', /names no cloud metadata address \(169.254.169.254, fd00:ec2::254, 100.100.100.200, 169.254.170.2, /],
  ])('EgressTarget.cloudMetadata(%p, %p) is refused', (address, reason, message) => {
    expect(() => allowlist({ allow: [EgressTarget.cloudMetadata(address, reason)] })).toThrow(message);
  });

  test.each([
    [['10.1.0.0/24'], /except block "10.1.0.0\/24" lies outside egress target CIDR "10.0.0.0\/16"/],
    [['fd00::/64'], /except block "fd00::\/64" of egress target CIDR "10.0.0.0\/16" is IPv6, the CIDR IPv4/],
    [['10.0.0.0/16'], /except block "10.0.0.0\/16" is egress target CIDR "10.0.0.0\/16" itself, so the target allows nothing/],
    [['10.0.5.1/24'], /CIDR "10.0.5.1\/24" has host bits set/],
  ])('except %p is refused (the API server would refuse it, or it denies everything)', (except, message) => {
    expect(() => allowlist({ allow: [EgressTarget.cidr('10.0.0.0/16', { tcp: [443] }, { except })] })).toThrow(message);
  });

  test('a block over a whole family must except the internal ranges ("the internet"), which is then accepted with zero findings', () => {
    // GIVEN 0.0.0.0/0 excepting only the metadata addresses / THEN refused as NSA-NETWORK-POLICY would flag it
    const metadata = ['169.254.169.254/32', '100.100.100.200/32', '169.254.170.2/32', '169.254.170.23/32'];
    expect(() => allowlist({ allow: [EgressTarget.cidr('0.0.0.0/0', { tcp: [443] }, { except: metadata })] }))
      .toThrow(/egress target "0.0.0.0\/0": ipBlock 0.0.0.0\/0 covers every IPv4 address and does not except 10.0.0.0\/8.*; allow narrower blocks, or except every internal range/);
    // WHEN the internal ranges are excepted / THEN accepted, zero findings
    const internet = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];
    const { app, manifests } = allowlist({ allow: [EgressTarget.cidr('0.0.0.0/0', { tcp: [443] }, { except: internet })] });
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });
});

describe('hostile input: addresses are canonicalised before they are judged', () => {
  test.each([
    ['::ffff:127.0.0.1', /\(the IPv4-mapped form of 127.0.0.1\) is loopback/],
    ['::ffff:7f00:1', /\(the IPv4-mapped form of 127.0.0.1\) is loopback/],
    ['::ffff:169.254.169.254', /is the cloud metadata service 169.254.169.254/],
    ['::ffff:a9fe:a9fe', /is the cloud metadata service 169.254.169.254/],
    ['100.100.100.200', /is the cloud metadata service 100.100.100.200/],
    ['FD00:EC2::254', /is the cloud metadata service fd00:ec2::254/],
    ['64:ff9b::a9fe:a9fe', /\(which reaches 169.254.169.254 through NAT64\) is the cloud metadata service/],
    ['64:ff9b::127.0.0.1', /through NAT64\) is loopback/],
    ['::ffff:0.0.0.0', /is unspecified/],
  ])('validateExternalAddress(%p) is refused', (address, message) => {
    expect(() => validateExternalAddress('Thing shop/x', address)).toThrow(message);
  });

  test('an IPv4-mapped address is returned as the IPv4 address it maps (what the API server asks for)', () => {
    expect(validateExternalAddress('Thing shop/x', '::ffff:10.200.0.2')).toMatchObject({ version: 4, text: '10.200.0.2' });
    expect(validateExternalAddress('Thing shop/x', 'FD00::2').text).toBe('fd00::2');
  });

  test('an IPv4-mapped CIDR is judged as IPv4, then refused with the IPv4 block as the fix', () => {
    expect(() => validateIpBlock('Thing shop/x', '::ffff:10.0.0.0/120', undefined, { what: 'the block', allowCloudMetadata: false }))
      .toThrow(/the block "::ffff:10.0.0.0\/120" is an IPv4-mapped IPv6 block: it stands for the IPv4 block 10.0.0.0\/24; write "10.0.0.0\/24"/);
  });

  test.each([
    ['localhost', /is the loopback interface/],
    ['LOCALHOST.', /is the loopback interface/],
    ['metadata.google.internal', /is the cloud instance metadata service/],
    ['metadata.google.internal.', /is the cloud instance metadata service/],
    ['kubernetes.default.svc', /is the Kubernetes API server/],
    ['db.shop.svc.cluster.local', /is a Service inside the cluster, not a service outside the cluster; use EgressTarget.pods/],
    ['2852039166', /an IP address written as a name/],
    ['*', /is a wildcard: it names every host, which re-opens all egress/],
    ['*.com', /is a wildcard: it names every host of the top-level domain .com/],
    ['*.example.com', /is a wildcard/],
  ])('EgressTarget.host(%p) is refused in Istio mode', (host, message) => {
    const error = errorOf(() => allowlist({ mode: EgressMode.ISTIO, allow: [EgressTarget.host(host, { tcp: [443] })] }));
    expect(error.message).toMatch(WHERE);
    expect(error.message).toMatch(message);
  });

  test('a host with upper case and a trailing dot is written canonical', () => {
    const { manifests } = allowlist({ mode: EgressMode.ISTIO, allow: [EgressTarget.host('API.Example.com.', { tcp: [443] })] });
    expect(manifests.find((m) => m.kind === 'ServiceEntry')!.spec.hosts).toEqual(['api.example.com']);
  });
});

describe('hostile input: Istio REGISTRY_ONLY cannot be defeated from props', () => {
  test('blocks that together cover a family are refused (a ServiceEntry cannot carry their except)', () => {
    const internet = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];
    expect(() => allowlist({ mode: EgressMode.ISTIO, allow: [EgressTarget.cidr('0.0.0.0/0', { tcp: [443] }, { except: internet })] }))
      .toThrow(/Istio mode: allow\[0\] "0.0.0.0\/0" covers every IPv4 address.*; list the hosts with EgressTarget.host/);
    expect(() => allowlist({
      mode: EgressMode.ISTIO,
      allow: [
        EgressTarget.cidr('0.0.0.0/1', { tcp: [443] }, { except: ['10.0.0.0/8', '100.64.0.0/10'] }),
        EgressTarget.cidr('128.0.0.0/1', { tcp: [443] }, { except: ['172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] }),
      ],
    })).toThrow(/allow\[0\] "0.0.0.0\/1", allow\[1\] "128.0.0.0\/1" cover every IPv4 address/);
  });

  test('the Sidecar imports only its own namespace, istio-system and named target namespaces', () => {
    // GIVEN a namespace target for istio-system (already imported) and one for monitoring
    const { manifests, app } = allowlist({
      mode: EgressMode.ISTIO,
      allow: [EgressTarget.namespace('istio-system', { tcp: [15012] }), EgressTarget.namespace('monitoring', { tcp: [9090] })],
    });
    const sidecar = manifests.find((m) => m.kind === 'Sidecar')!;
    // THEN no host re-opens everything
    expect(sidecar.spec.egress).toEqual([{ hosts: ['./*.svc.cluster.local', 'istio-system/*', 'monitoring/*'] }]);
    expect(sidecar.spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(Policy.report(app, { packs: [...PolicyPack.defaults()] }).findings).toEqual([]);
  });

  test('a host listed twice is refused (one ServiceEntry per host)', () => {
    expect(() => allowlist({ mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] }), EgressTarget.host('API.example.com.', { tcp: [8443] })] }))
      .toThrow(/allow\[1\] repeats "api.example.com" of allow\[0\]; list each host or block once/);
  });

  test('ServiceEntry names never collide, even when slugs coincide or are long', () => {
    // GIVEN hosts whose slugs coincide, and long hosts that share a 40-character prefix
    const long = 'a'.repeat(50);
    const { manifests } = allowlist({
      mode: EgressMode.ISTIO,
      allow: [
        EgressTarget.host('a-b.example.com', { tcp: [443] }), EgressTarget.host('a.b-example.com', { tcp: [443] }),
        EgressTarget.host(`${long}.one.example.com`, { tcp: [443] }), EgressTarget.host(`${long}.two.example.com`, { tcp: [443] }),
      ],
    });
    const entries = manifests.filter((m) => m.kind === 'ServiceEntry');
    // THEN four distinct valid names
    const names = entries.map((m) => m.metadata.name);
    expect(new Set(names).size).toBe(4);
    names.forEach((name) => expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/));
    expect(schemaFindings(manifests)).toEqual([]);
  });
});

describe('hostile input: peers of ingress rules (toKubePeers)', () => {
  const where = 'SecureDeployment shop/web';

  test.each<[string, (chart: kplus.Pods['node']['scope'] & any) => kplus.INetworkPolicyPeer, RegExp]>([
    ['Namespaces.all()', (chart) => kplus.Namespaces.all(chart, 'all'), /allowIngressFrom peer shop\/all has namespaceSelector \{\} and podSelector \{\}: it admits every pod of every namespace; name the peers/],
    ['Pods.all() in every namespace', (chart) => kplus.Pods.all(chart, 'p', { namespaces: kplus.Namespaces.all(chart, 'n') }), /admits every pod of every namespace/],
    ['Peer.anyIpv4()', (chart) => kplus.NetworkPolicyIpBlock.anyIpv4(chart, 'any'), /ipBlock 0.0.0.0\/0 covers every IPv4 address: it admits every source/],
    ['Peer.anyIpv6()', (chart) => kplus.NetworkPolicyIpBlock.anyIpv6(chart, 'any'), /ipBlock ::\/0 covers every IPv6 address/],
    ['0.0.0.0/0 with except', (chart) => kplus.NetworkPolicyIpBlock.ipv4(chart, 'any', '0.0.0.0/0', ['10.0.0.0/8']), /covers every IPv4 address/],
    ['an except outside the block', (chart) => kplus.NetworkPolicyIpBlock.ipv4(chart, 'b', '10.0.0.0/16', ['10.1.0.0/24']), /except block "10.1.0.0\/24" lies outside/],
    ['a block with host bits', (chart) => kplus.NetworkPolicyIpBlock.ipv4(chart, 'b', '10.0.0.1/8'), /has host bits set; use the network "10.0.0.0\/8"/],
  ])('%s is refused', (_, make, message) => {
    // GIVEN a peer that admits everyone (or the API server refuses) / WHEN converted / THEN refused with the construct path
    const { chart } = testChart();
    const error = errorOf(() => toKubePeers(where, make(chart)));
    expect(error.message).toMatch(/^SecureDeployment shop\/web: /);
    expect(error.message).toMatch(message);
  });

  test('named peers are converted as before', () => {
    const { chart } = testChart();
    expect(toKubePeers(where, kplus.Pods.select(chart, 'gw', { labels: { app: 'gateway' } }))).toEqual([{ podSelector: { matchLabels: { app: 'gateway' } } }]);
    expect(toKubePeers(where, kplus.Namespaces.select(chart, 'ns', { names: ['ingress'] }))).toEqual([
      { podSelector: {}, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } },
    ]);
    expect(toKubePeers(where, kplus.NetworkPolicyIpBlock.ipv4(chart, 'lb', '10.0.0.0/24'))).toEqual([{ ipBlock: { cidr: '10.0.0.0/24' } }]);
  });

  test('a peer list: empty, or halves that together cover a family, are refused', () => {
    const { chart } = testChart();
    expect(() => toKubePeerList(where, 'allowIngressFrom', [])).toThrow(/allowIngressFrom is an empty list, which a NetworkPolicy reads as "every source"/);
    const halves = [kplus.NetworkPolicyIpBlock.ipv4(chart, 'a', '0.0.0.0/1'), kplus.NetworkPolicyIpBlock.ipv4(chart, 'b', '128.0.0.0/1')];
    expect(() => toKubePeerList(where, 'allowIngressFrom', halves)).toThrow(/the peers of allowIngressFrom together: the ipBlocks of from\[0\], from\[1\] cover every IPv4 address/);
    expect(() => toKubePeerList(where, 'allowIngressFrom', 'gateway' as any)).toThrow(/allowIngressFrom is a string, not a list/);
    expect(() => toKubePeers(where, 'gateway' as any)).toThrow(/^SecureDeployment shop\/web: allowIngressFrom peer is a string, not a network-policy peer/);
  });
});

describe('plain JavaScript callers get the construct-path-value-fix error', () => {
  test.each<[string, () => Partial<EgressAllowlistProps>, RegExp]>([
    ['allow: "x"', () => ({ allow: 'x' as any }), /allow is a string, not a list; pass allow as a list/],
    ['allow: ["x"]', () => ({ allow: ['x' as any] }), /allow\[0\] is a string, not an EgressTarget/],
    ['allow missing', () => ({ allow: undefined as any }), /allow is missing, not a list/],
    ['ports { tcp: "443" }', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: '443' as any })] }), /tcp of target "10.0.0.0\/24" is a string, not a list/],
    ['ports { tcp: ["443"] }', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: ['443' as any] })] }), /TCP port of 10.0.0.0\/24 "443" is not a valid port/],
    ['ports { tcp: [NaN] }', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [NaN] })] }), /TCP port of 10.0.0.0\/24 NaN is not a valid port/],
    ['ports { tcp: [0] }', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [0] })] }), /TCP port of 10.0.0.0\/24 0 is not a valid port/],
    ['ports { TCP: [443] }', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', { TCP: [443] } as any)] }), /have the unknown key "TCP"; use tcp, udp, tcpRanges, udpRanges/],
    ['ports missing', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', undefined as any)] }), /the ports of target "10.0.0.0\/24" are missing, not an object/],
    ['a range that is a number', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', { tcpRanges: [443 as any] })] }), /a tcpRanges entry of target "10.0.0.0\/24" is a number, not a range/],
    ['CIDR 42', () => ({ allow: [EgressTarget.cidr(42 as any, { tcp: [443] })] }), /egress target CIDR is a number, not a string/],
    ['except "10.0.0.0/25"', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] }, { except: '10.0.0.0/25' as any })] }), /except of egress target CIDR 10.0.0.0\/24 is a string, not a list/],
    ['pods("web")', () => ({ allow: [EgressTarget.pods('web' as any, { tcp: [443] })] }), /the selector of EgressTarget.pods is a string, not a pod selector/],
    ['namespace(7)', () => ({ allow: [EgressTarget.namespace(7 as any, { tcp: [443] })] }), /egress namespace is a number, not a string/],
    ['namespacesWithLabels("team=a")', () => ({ allow: [EgressTarget.namespacesWithLabels('team=a' as any, { tcp: [443] })] }), /labels of EgressTarget.namespacesWithLabels is a string, not a map/],
    ['host(null)', () => ({ mode: EgressMode.ISTIO, allow: [EgressTarget.host(null as any, { tcp: [443] })] }), /egress host name is null, not a string/],
    ['workload: "web"', () => ({ workload: 'web' as any }), /workload is a string, not a workload/],
    ['mode: "ISTIO"', () => ({ mode: 'ISTIO' as any }), /mode "ISTIO" is not an EgressMode; use EgressMode.KUBERNETES, EgressMode.ISTIO or EgressMode.CILIUM/],
    ['name: 5', () => ({ name: 5 as any }), /name is a number, not a string/],
  ])('%s', (_, props, message) => {
    // GIVEN a wrong type / WHEN constructed / THEN an InputError with the construct path, never a TypeError
    const error = errorOf(() => allowlist(props()));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(WHERE);
    expect(error.message).toMatch(message);
  });

  test('props that are not an object', () => {
    const { chart } = testChart();
    expect(() => new EgressAllowlist(chart, 'egress', 'web' as any)).toThrow(/^EgressAllowlist shop\/egress: props are a string, not an object/);
  });

  test('DnsEgress factories with wrong types', () => {
    expect(() => DnsEgress.nodeLocal(42 as any)._ruleFor('X a/b')).toThrow(/^X a\/b: the address of DnsEgress.nodeLocal is a number, not a string/);
    expect(() => DnsEgress.custom('dns' as any)._ruleFor('X a/b')).toThrow(/^X a\/b: the options of DnsEgress.custom are not an object/);
    expect(() => DnsEgress.custom({ namespaceLabels: { team: 'dns' }, podLabels: 'unbound' as any })._ruleFor('X a/b'))
      .toThrow(/podLabels of DnsEgress.custom is a string, not a map of strings/);
  });
});

describe('accepted hostile-looking inputs produce zero policy findings', () => {
  test('huge blocks with their metadata and internal ranges excepted, IPv6 ULA without AWS metadata, kplus peers, node-local DNS', () => {
    // GIVEN inputs at the edge of what is allowed
    const { app, chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    new DefaultDenyNamespace(chart, 'ns', { name: 'shop', dns: DnsEgress.nodeLocal('169.254.20.10/32') });
    new EgressAllowlist(chart, 'egress', {
      workload: web,
      name: 'web',
      allow: [
        EgressTarget.cidr('100.64.0.0/10', { tcp: [443] }, { except: ['100.100.100.200/32'] }),
        EgressTarget.cidr('fd00::/8', { tcp: [443] }, { except: ['fd00:ec2::254/128', 'fd00:ec2::23/128', 'fd20:ce::254/128'] }),
        EgressTarget.cidr('::/0', { tcp: [443] }, { except: ['fc00::/7', 'fe80::/10', '64:ff9b::a9fe:0/112', '64:ff9b::6440:0/106'] }),
        EgressTarget.pods(kplus.Pods.select(chart, 'cache', { labels: { app: 'redis' }, namespaces: kplus.Namespaces.select(chart, 'c', { names: ['cache'] }) }), { tcp: [6379] }),
        EgressTarget.namespacesWithLabels({ team: 'payments' }, { tcp: [8443] }),
      ],
    });
    // WHEN synthesized / THEN schema-valid and zero findings
    const manifests = synth(chart);
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
    // AND every metadata address stays excepted
    const policy = manifests.find((m) => m.metadata.name === 'web-egress')!;
    const blocks = policy.spec.egress.flatMap((r: any) => r.to).filter((p: any) => p.ipBlock).map((p: any) => p.ipBlock);
    expect(blocks.length).toBe(3);
    for (const block of blocks) {
      for (const address of CLOUD_METADATA_ADDRESSES.filter((a) => cidrContains(block.cidr, a))) {
        expect((block.except ?? []).some((e: string) => cidrContains(e, address))).toBe(true);
      }
    }
  });
});

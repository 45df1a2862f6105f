// Hostile input of EgressAllowlist and EgressTarget (Kubernetes mode): peers that mean everybody, cloud metadata and
// credential endpoints, address spellings, targets that open egress together, labels over every namespace, the names
// /etc/hosts maps locally, plain JavaScript callers.
import * as kplus from 'cdk8s-plus-27';
import {
  DefaultDenyNamespace, DnsEgress, EgressAllowlist, EgressAllowlistProps, EgressMode, EgressTarget, Policy, SecureDeployment,
} from '../../../src';
import { NON_PUBLIC_BLOCKS, openEgressReasons } from '../../../src/constructs/network/peers';
import { CLOUD_METADATA_ADDRESSES, validateExternalAddress, validateIpBlock } from '../../../src/k8s/addresses';
import { cidrContains } from '../../../src/k8s/cidr';
import { specialHostname, validateExternalHostname } from '../../../src/k8s/hostnames';
import { allowlist, WHERE } from '../../support/egress';
import { errorOf, schemaFindings, synth, testChart } from '../../support/helpers';
import { IMAGE } from '../../support/workloads';

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
    // (for a block over a whole family, the fix names its internal ranges: they hold every metadata address and mean "public only")
    expect(error.message).toMatch(/; add (the internal ranges of IPv[46] \(public addresses only\): )?".*" to exceptCidrs \(e.g. exceptCidrs: \[.*\]\), or allow a narrower block$/);
  });

  test('the suggested except is accepted, and the output has zero findings', () => {
    // GIVEN the except the error suggests for 169.254.0.0/16
    const suggestion = errorOf(() => allowlist({ allow: [EgressTarget.cidr('169.254.0.0/16', { tcp: [80] })] })).message;
    const except = JSON.parse(/exceptCidrs: (\[.*\])\)/.exec(suggestion)![1]);
    // WHEN used
    const { app, policy } = allowlist({ allow: [EgressTarget.cidr('169.254.0.0/16', { tcp: [80] }, { exceptCidrs: except })] });
    // THEN the block is emitted with it, and neither NSA rule finds anything
    expect(policy.spec.egress[0].to).toEqual([{ ipBlock: { cidr: '169.254.0.0/16', except: ['169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32'] } }]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('an except in IPv4-mapped form counts as the IPv4 block, and is then refused for its form', () => {
    expect(() => allowlist({ allow: [EgressTarget.cidr('169.254.0.0/16', { tcp: [80] }, { exceptCidrs: ['::ffff:169.254.169.254/128', '169.254.170.0/24'] })] }))
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
    expect(() => allowlist({ allow: [EgressTarget.cidr('10.0.0.0/16', { tcp: [443] }, { exceptCidrs: except })] })).toThrow(message);
  });

  test('a block over a whole family must except the internal ranges ("the internet"), which is then accepted with zero findings', () => {
    // GIVEN 0.0.0.0/0 excepting only the metadata addresses / THEN refused as NSA-NETWORK-POLICY would flag it
    const metadata = ['169.254.169.254/32', '100.100.100.200/32', '169.254.170.2/32', '169.254.170.23/32'];
    expect(() => allowlist({ allow: [EgressTarget.cidr('0.0.0.0/0', { tcp: [443] }, { exceptCidrs: metadata })] }))
      .toThrow(/egress target "0.0.0.0\/0": ipBlock 0.0.0.0\/0 covers every IPv4 address and does not except 10.0.0.0\/8.*; allow narrower blocks, or except the internal ranges of its family/);
    // WHEN the internal ranges are excepted / THEN accepted, zero findings
    const internet = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];
    const { app, manifests } = allowlist({ allow: [EgressTarget.cidr('0.0.0.0/0', { tcp: [443] }, { exceptCidrs: internet })] });
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
    ['*', /is a wildcard, and EgressTarget.host names one host .*up to every host, which re-opens all egress/],
    ['*.com', /is a wildcard, and EgressTarget.host names one host/],
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

describe('hostile input: targets that open egress together', () => {
  test('0.0.0.0/1 and 128.0.0.0/1, each excepting the metadata it holds, are refused together', () => {
    // GIVEN two halves of IPv4, each valid alone
    const halves = [
      EgressTarget.cidr('0.0.0.0/1', { tcp: [443] }, { exceptCidrs: ['100.100.100.200/32'] }),
      EgressTarget.cidr('128.0.0.0/1', { tcp: [443] }, { exceptCidrs: ['169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32'] }),
    ];
    // WHEN both are allowed / THEN refused, naming both targets, the internal range left open and the fix
    const error = errorOf(() => allowlist({ allow: halves }));
    expect(error.message).toMatch(WHERE);
    expect(error.message).toMatch(/the targets together: the ipBlocks of allow\[0\], allow\[1\] cover every IPv4 address and allow\[0\] \(0.0.0.0\/1\) does not except 10.0.0.0\/8/);
    expect(error.message).toMatch(/; allow narrower blocks, or except from each block that reaches public addresses the internal ranges of its family \(IPv4: 10.0.0.0\/8, .*; IPv6: fc00::\/7, .*\)$/);
  });

  test('halves on different ports are refused too (ports do not narrow "everything")', () => {
    expect(() => allowlist({
      allow: [
        EgressTarget.cidr('::/1', { tcp: [443] }, { exceptCidrs: ['64:ff9b::a9fe:0/112', '64:ff9b::6440:0/106'] }),
        EgressTarget.cidr('8000::/1', { tcp: [80] }, { exceptCidrs: ['fd00:ec2::254/128', 'fd00:ec2::23/128', 'fd20:ce::254/128', 'fe80::a9fe:a9fe/128'] }),
      ],
    })).toThrow(/the targets together: the ipBlocks of allow\[0\], allow\[1\] cover every IPv6 address and allow\[1\] \(8000::\/1\) does not except fc00::\/7/);
  });

  test('halves that except every internal range mean "public addresses only", and are accepted with zero findings', () => {
    // GIVEN the halves of IPv4, each excepting the internal ranges it spans
    const { app, manifests } = allowlist({
      allow: [
        EgressTarget.cidr('0.0.0.0/1', { tcp: [443] }, { exceptCidrs: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8'] }),
        EgressTarget.cidr('128.0.0.0/1', { tcp: [443] }, { exceptCidrs: ['172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] }),
      ],
    });
    // THEN valid, and no policy finding
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('an internal target beside "the internet" is a deliberate target, not everything', () => {
    // GIVEN public addresses and a database in a private range
    const internet = EgressTarget.cidr('0.0.0.0/0', { tcp: [443] }, { exceptCidrs: [...NON_PUBLIC_BLOCKS[4]] });
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
    const except = JSON.parse(/exceptCidrs: (\[.*\])\)/.exec(suggestion)![1]);
    // WHEN used / THEN accepted with it
    const { policy } = allowlist({ allow: [EgressTarget.cidr('64:ff9b::/64', { tcp: [443] }, { exceptCidrs: except })] });
    expect(policy.spec.egress[0].to[0].ipBlock.except).toEqual(except);
    expect(except).toHaveLength(4);
  });

  test('"public addresses only" over IPv6 excepts the NAT64 forms of the internal IPv4 ranges', () => {
    // GIVEN ::/0 excepting NON_PUBLIC_BLOCKS[6] / WHEN allowed / THEN accepted: it reaches no metadata address in any form
    const { app } = allowlist({ allow: [EgressTarget.cidr('::/0', { tcp: [443] }, { exceptCidrs: [...NON_PUBLIC_BLOCKS[6]] })] });
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
    ['a range with the old key from', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', { tcpRanges: [{ from: 80, to: 90 } as any] })] }),
      /a tcpRanges entry of target "10.0.0.0\/24" has the key "from", which is now "first"; write ranges as \{ first: 30000, last: 30100 \}/],
    ['a range with the old key to', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', { udpRanges: [{ first: 80, to: 90 } as any] })] }),
      /a udpRanges entry of target "10.0.0.0\/24" has the key "to", which is now "last"/],
    ['the old key except', () => ({ allow: [EgressTarget.cidr('10.0.0.0/16', { tcp: [443] }, { except: ['10.0.5.0/24'] } as any)] }),
      /the options of EgressTarget.cidr\("10.0.0.0\/16"\) have the key "except", which is now "exceptCidrs"; pass the blocks as \{ exceptCidrs: \[...\] \}/],
    ['except "10.0.0.0/25"', () => ({ allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] }, { exceptCidrs: '10.0.0.0/25' as any })] }), /exceptCidrs of egress target CIDR 10.0.0.0\/24 is a string, not a list/],
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
        EgressTarget.cidr('100.64.0.0/10', { tcp: [443] }, { exceptCidrs: ['100.100.100.200/32'] }),
        EgressTarget.cidr('fd00::/8', { tcp: [443] }, { exceptCidrs: ['fd00:ec2::254/128', 'fd00:ec2::23/128', 'fd20:ce::254/128'] }),
        EgressTarget.cidr('::/0', { tcp: [443] }, { exceptCidrs: ['fc00::/7', 'fe80::/10', '64:ff9b::a9fe:0/112', '64:ff9b::6440:0/106'] }),
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

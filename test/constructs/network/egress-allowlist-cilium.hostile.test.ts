import { EgressAllowlist, EgressMode, EgressTarget, Policy, SecureDeployment } from '../../../src';
import { NON_PUBLIC_BLOCKS } from '../../../src/constructs/network/peers';
import { errorOf, synth, testChart } from '../../support/helpers';

const WHERE = /^EgressAllowlist shop\/egress: /;

/** A Cilium-mode allowlist for a web workload in namespace shop; its CiliumNetworkPolicy and the policy findings. */
function allowlist(...allow: EgressTarget[]) {
  const { app, chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
  new EgressAllowlist(chart, 'egress', { workload: web, name: 'web', mode: EgressMode.CILIUM, allow });
  return { cilium: synth(chart).find((m) => m.kind === 'CiliumNetworkPolicy')!, findings: Policy.report(app).findings };
}

const pattern = (value: string) => EgressTarget.hostPattern(value, { tcp: [443] });

/** The target a fix suggests (`EgressTarget.host("…")` or `EgressTarget.hostPattern("…")`), built as the fix writes it. */
function suggested(error: Error): EgressTarget {
  const match = /EgressTarget\.(host|hostPattern)\(("[^"]*")/.exec(error.message.split('; ').pop()!);
  if (!match) throw new Error(`the fix suggests no target: ${error.message}`);
  const value = JSON.parse(match[2]) as string;
  return match[1] === 'host' ? EgressTarget.host(value, { tcp: [443] }) : pattern(value);
}

describe('hostile input: patterns that cover metadata or internal names', () => {
  test.each([
    ['*.google.internal', /matches metadata\.google\.internal, the cloud instance metadata service/],
    ['*.GOOGLE.Internal.', /matches metadata\.google\.internal/],
    ['*.ec2.internal', /matches instance-data\.ec2\.internal, the cloud instance metadata service/],
    ['*.goog', /matches metadata\.goog, the cloud instance metadata service/],
    ['*.default', /matches kubernetes\.default, the Kubernetes API server/],
    ['*.localdomain', /matches localhost\.localdomain, the loopback interface/],
    ['*.svc', /matches x\.svc, a Service inside the cluster; use EgressTarget\.pods/],
    ['*.local', /matches x\.cluster\.local, a Service inside the cluster/],
    ['*.cluster.local', /matches x\.cluster\.local, a Service inside the cluster/],
    ['*.shop.svc', /"shop\.svc" is a Service inside the cluster/],
    ['*.svc.cluster.local.', /"svc\.cluster\.local\." is a Service inside the cluster/],
    ['*.metadata.goog', /"metadata\.goog" is the cloud instance metadata service/],
    ['*.localhost', /"localhost" is the loopback interface/],
    ['*.169.254.169.254', /an IP address written as a name/],
    ['*.0xa9fea9fe', /an IP address written as a name/],
  ])('%s reaches a name EgressTarget.host refuses', (value, message) => {
    // GIVEN / WHEN a pattern over a domain below which a metadata, loopback, API server or in-cluster name lies
    const error = errorOf(() => allowlist(pattern(value)));
    // THEN it is refused with the construct path, the pattern and the name it would reach
    expect(error.message).toMatch(WHERE);
    expect(error.message).toMatch(message);
  });

  test.each([
    ['*.corp.internal', '.internal'],
    ['*.printer.local', '.local'],
    ['*.home.arpa', '.arpa'],
    ['*.254.169.in-addr.arpa', '.arpa'],
    ['*.corp.lan', '.lan'],
    ['*.shop.cluster', '.cluster'],
  ])('%s lies in a private zone (%s), and the fix passes', (value, zone) => {
    // GIVEN / WHEN a pattern under a private-use zone or a top-level domain the public DNS does not have
    const error = errorOf(() => allowlist(pattern(value)));
    // THEN it is refused, naming the zone
    expect(error.message).toMatch(WHERE);
    expect(error.message).toContain(`egress host pattern ${JSON.stringify(value)} lies under ${zone}`);
    // AND the host the fix suggests is accepted
    expect(allowlist(suggested(error)).cilium.spec.egress[1].toFQDNs[0].matchName).toBe(`api.${value.slice(2)}`);
  });

  test.each([
    ['*', /would reach every host, which re-opens all egress/],
    ['**', /would reach every host/],
    ['*.', /would reach every host/],
    ['*.*', /Cilium's "\*" matches any characters of a label/],
    ['**.google.internal', /"\*\*\." any depth/],
    ['metadata.*', /is not "\*\." and a fixed domain/],
    ['*internal', /is not "\*\." and a fixed domain/],
    ['*.goog*.internal', /is not "\*\." and a fixed domain/],
    ['sub*.example.com', /is not "\*\." and a fixed domain/],
    [' *.example.com', /is not "\*\." and a fixed domain/],
    ['*.example.com..', /has an empty label/],
    ['*..example.com', /has an empty label/],
  ])('%s is no "*." over a fixed domain', (value, message) => {
    // GIVEN / WHEN a wildcard anywhere but one leading "*." (Cilium's "*" matches within a label wherever it stands)
    const error = errorOf(() => allowlist(pattern(value)));
    // THEN it is refused
    expect(error.message).toMatch(WHERE);
    expect(error.message).toMatch(message);
  });

  test('the fix of a misplaced wildcard passes', () => {
    const error = errorOf(() => allowlist(pattern('metadata.*')));
    expect(allowlist(suggested(error)).findings).toEqual([]);
  });

  test('the fix of a pattern over a metadata name passes', () => {
    const error = errorOf(() => allowlist(pattern('*.google.internal')));
    expect(allowlist(suggested(error)).cilium.spec.egress[1].toFQDNs).toEqual([{ matchName: 'api.example.com' }]);
  });

  test('upper case and one trailing dot are written canonical', () => {
    expect(allowlist(pattern('*.CDN.Example.com.')).cilium.spec.egress[1].toFQDNs).toEqual([{ matchPattern: '*.cdn.example.com' }]);
  });
});

describe('hostile input: patterns over a public suffix', () => {
  test.each([
    ['*.com', 'com', 'ICANN', '*.example.com'],
    ['*.co.uk', 'co.uk', 'ICANN', '*.example.co.uk'],
    ['*.CO.UK.', 'co.uk', 'ICANN', '*.example.co.uk'],
    ['*.uk', 'uk', 'ICANN', '*.example.uk'],
    ['*.github.io', 'github.io', 'private', '*.example.github.io'],
    ['*.s3.amazonaws.com', 's3.amazonaws.com', 'private', '*.example.s3.amazonaws.com'],
    ['*.s3.eu-west-1.amazonaws.com', 's3.eu-west-1.amazonaws.com', 'private', '*.example.s3.eu-west-1.amazonaws.com'],
    ['*.herokuapp.com', 'herokuapp.com', 'private', '*.example.herokuapp.com'],
    // A wildcard rule (*.kawasaki.jp): every name right below is itself a public suffix.
    ['*.kawasaki.jp', 'x.kawasaki.jp', 'ICANN', '*.example.x.kawasaki.jp'],
  ])('%s is refused (public suffix %s, %s section), and the fix passes', (value, suffix, section, fix) => {
    // GIVEN / WHEN a wildcard right over a public suffix
    const error = errorOf(() => allowlist(pattern(value)));
    // THEN it is refused with the suffix, the section of the list and a registered domain as the fix
    expect(error.message).toMatch(WHERE);
    expect(error.message).toContain(`egress host pattern ${JSON.stringify(value)} matches every name right below ${JSON.stringify(suffix)}, a public suffix `
      + `(Public Suffix List, ${section} section)`);
    expect(error.message).toContain(`EgressTarget.hostPattern(${JSON.stringify(fix)}`);
    // AND the pattern the fix suggests is accepted
    expect(allowlist(suggested(error)).cilium.spec.egress[1].toFQDNs).toEqual([{ matchPattern: fix }]);
  });

  test.each(['*.example.co.uk', '*.acme.github.io', '*.assets.acme.herokuapp.com', '*.cdn.example.com', '*.amazonaws.com'])(
    '%s has a fixed label below its public suffix and is accepted', (value) => {
      // GIVEN / WHEN a pattern over a registered domain (amazonaws.com: the names right below it are Amazon's own)
      const { cilium, findings } = allowlist(pattern(value));
      // THEN it is written as given, and the policy packs find nothing
      expect(cilium.spec.egress[1].toFQDNs).toEqual([{ matchPattern: value }]);
      expect(findings).toEqual([]);
    });
});

describe('hostile input: DNS answers cannot reach link-local/loopback', () => {
  const DENIED = [
    '169.254.0.0/16', '127.0.0.0/8', 'fe80::/10', '::1/128', 'fd00:ec2::254/128', '100.100.100.200/32', 'fd00:ec2::23/128', 'fd20:ce::254/128',
    '64:ff9b::a9fe:0/112', '64:ff9b::7f00:0/104', '64:ff9b::6464:64c8/128',
  ];

  test('a name whose zone points at the metadata service meets an egressDeny over link-local, loopback and metadata', () => {
    // GIVEN a host whose DNS answer its zone's owner chooses (169.254.169.254.nip.io answers 169.254.169.254)
    const { cilium, findings } = allowlist(EgressTarget.host('169.254.169.254.nip.io', { tcp: [80] }));
    // THEN the CiliumNetworkPolicy denies those blocks whatever its toFQDNs allow (deny wins over allow in Cilium)
    expect(cilium.spec.egressDeny).toEqual([{ toCIDRSet: DENIED.map((cidr) => ({ cidr })) }]);
    // AND the policy packs find nothing
    expect(findings).toEqual([]);
  });

  test('an explicit cloudMetadata target is excepted from the deny, and only it', () => {
    // GIVEN a workload that must read its credentials (the ECS endpoint, Alibaba's metadata service)
    const { cilium } = allowlist(
      EgressTarget.cloudMetadata('169.254.170.2', 'reads its task role credentials'),
      EgressTarget.cloudMetadata('100.100.100.200', 'reads its instance role credentials'),
    );
    // THEN the deny excepts the /32 inside link-local and drops the block that is the address itself
    const deny = cilium.spec.egressDeny[0].toCIDRSet;
    expect(deny[0]).toEqual({ cidr: '169.254.0.0/16', except: ['169.254.170.2/32'] });
    expect(deny.map((set: any) => set.cidr)).not.toContain('100.100.100.200/32');
    expect(deny.map((set: any) => set.cidr)).toContain('64:ff9b::6464:64c8/128');
  });

  test.each([
    ['169.254.170.0/24', '169.254.0.0/16'],
    ['127.0.0.1/32', '127.0.0.0/8'],
    ['fe80::/64', 'fe80::/10'],
    ['::1/128', '::1/128'],
    ['64:ff9b::a9fe:a9fe/128', '64:ff9b::a9fe:0/112'],
  ])('a CIDR target %s inside a denied block (%s) is refused, and the fix passes', (cidr, block) => {
    // GIVEN / WHEN a block Cilium's deny would drop entirely
    const error = errorOf(() => allowlist(EgressTarget.cidr(cidr, { tcp: [443] }, cidr === '169.254.170.0/24' ? { exceptCidrs: ['169.254.170.2/32', '169.254.170.23/32'] } : {})));
    // THEN it is refused, naming the denied block
    expect(error.message).toMatch(WHERE);
    expect(error.message).toContain(`Cilium mode: egress target CIDR ${JSON.stringify(cidr)} lies inside ${block}`);
    expect(error.message).toMatch(/remove the target; for a cloud credential endpoint use EgressTarget\.cloudMetadata\(address, reason\)$/);
    // AND following the fix (the target removed, another kept) passes
    expect(allowlist(EgressTarget.cidr('10.0.0.0/8', { tcp: [443] })).findings).toEqual([]);
  });

  test.each([
    ['128.0.0.0/1', ['169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32'], ['169.254.0.0/16']],
    ['0.0.0.0/1', ['100.100.100.200/32'], ['127.0.0.0/8']],
    ['fd00::/8', ['fd00:ec2::254/128', 'fd00:ec2::23/128'], ['fd20:ce::254/128']],
    ['64:ff9b::/96', [], ['64:ff9b::a9fe:0/112', '64:ff9b::7f00:0/104', '64:ff9b::6464:64c8/128']],
    ['fe80::/9', [], ['fe80::/10']],
  ])('a CIDR target %s around a denied block must except it, and the fix passes', (cidr, except, missing) => {
    // GIVEN a block that excepts the metadata addresses, but not the rest of the denied block around them
    const make = (exceptCidrs: string[]) => allowlist(EgressTarget.cidr(cidr, { tcp: [443] }, { exceptCidrs }));
    // WHEN used in Cilium mode
    const error = errorOf(() => make(except));
    // THEN it is refused with the exact list to write
    expect(error.message).toMatch(WHERE);
    expect(error.message).toContain(`Cilium mode: egress target CIDR ${JSON.stringify(cidr)} holds ${missing[0]}`);
    const fix = /exceptCidrs: (\[[^\]]*\])\)$/.exec(error.message);
    expect(JSON.parse(fix![1])).toEqual(expect.arrayContaining(missing));
    // AND the list the fix writes is accepted
    expect(make(JSON.parse(fix![1])).cilium.spec.egress[1].toCIDRSet[0].except).toEqual(JSON.parse(fix![1]));
  });

  test('blocks over every public address, excepting the internal ranges, pass: the denied blocks are among them', () => {
    const { cilium, findings } = allowlist(
      EgressTarget.cidr('0.0.0.0/0', { tcp: [443] }, { exceptCidrs: [...NON_PUBLIC_BLOCKS[4]] }),
      EgressTarget.cidr('::/0', { tcp: [443] }, { exceptCidrs: [...NON_PUBLIC_BLOCKS[6]] }),
    );
    expect(cilium.spec.egress).toHaveLength(3);
    // AND the deny layer stays whole: blocks around the denied ones except them, they do not remove them
    expect(cilium.spec.egressDeny).toEqual([{ toCIDRSet: DENIED.map((cidr) => ({ cidr })) }]);
    expect(findings).toEqual([]);
  });
});

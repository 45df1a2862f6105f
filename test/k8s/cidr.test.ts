import { CLOUD_METADATA_ADDRESSES, cloudMetadataAddress, compatibleIpv4, nat64Cidr, nat64Ipv4 } from '../../src/k8s/addresses';
import { canonicalIp, cidrContains, formatIp, mappedIpv4Cidr, parseCidrRange, parseIp, validateCidr } from '../../src/k8s/cidr';

describe('cidrContains', () => {
  test.each([
    ['169.254.0.0/16', '169.254.169.254'],
    ['0.0.0.0/0', '100.100.100.200'],
    ['169.254.169.254/32', '169.254.169.254'],
    ['100.64.0.0/10', '100.100.100.200'],
    ['::/0', 'fd00:ec2::254'],
    ['fc00::/7', 'fd00:ec2::254'],
    ['fd00:ec2::254/128', 'FD00:EC2:0:0:0:0:0:254'],
  ])('%s holds %s', (cidr, address) => {
    // GIVEN a block and an address inside it / WHEN / THEN
    expect(cidrContains(cidr, address)).toBe(true);
  });

  test.each([
    ['169.254.169.255/32', '169.254.169.254'],
    ['10.0.0.0/8', '169.254.169.254'],
    ['169.254.170.0/24', '169.254.169.254'],
    ['fd00:ec2::255/128', 'fd00:ec2::254'],
    ['fe80::/10', 'fd00:ec2::254'],
  ])('%s does not hold %s', (cidr, address) => {
    expect(cidrContains(cidr, address)).toBe(false);
  });

  test('families do not mix: ::/0 holds no IPv4 address, 0.0.0.0/0 no IPv6 address', () => {
    expect(cidrContains('::/0', '169.254.169.254')).toBe(false);
    expect(cidrContains('0.0.0.0/0', 'fd00:ec2::254')).toBe(false);
  });

  test('an IPv4-mapped IPv6 block is the IPv4 block it maps', () => {
    // GIVEN mapped blocks of the metadata address
    // THEN they hold the IPv4 address, and its mapped form
    expect(cidrContains('::ffff:169.254.169.254/128', '169.254.169.254')).toBe(true);
    expect(cidrContains('::ffff:a9fe:0/112', '169.254.169.254')).toBe(true);
    expect(cidrContains('::ffff:0:0/96', '100.100.100.200')).toBe(true);
    expect(cidrContains('169.254.0.0/16', '::ffff:169.254.169.254')).toBe(true);
    expect(cidrContains('::ffff:169.254.169.254/128', '169.254.169.253')).toBe(false);
    // AND a mapped block is IPv4: it holds no IPv6 address
    expect(cidrContains('::ffff:0:0/96', 'fd00:ec2::254')).toBe(false);
  });

  test('host bits are cleared as the API server does, not refused', () => {
    expect(cidrContains('169.254.169.1/16', '169.254.169.254')).toBe(true);
    expect(cidrContains('10.0.0.1/8', '169.254.169.254')).toBe(false);
  });

  test('IPv4 parts with leading zeros are decimal, as the API server reads them', () => {
    expect(cidrContains('0169.0254.0.0/16', '169.254.169.254')).toBe(true);
    expect(cidrContains('169.254.169.254/032', '169.254.169.254')).toBe(true);
  });

  test.each([
    ['169.254.169.254', '169.254.169.254'],
    ['169.254.0.0/33', '169.254.169.254'],
    ['169.254.0.0/16/1', '169.254.169.254'],
    ['fd00::/129', 'fd00::1'],
    ['10.0.0.0/8', 'not-an-address'],
    ['', '10.0.0.1'],
  ])('malformed input (%p, %p) holds nothing', (cidr, address) => {
    expect(cidrContains(cidr, address)).toBe(false);
  });

  test('JavaScript callers without types get false, not an exception', () => {
    expect(cidrContains(undefined as any, '10.0.0.1')).toBe(false);
    expect(cidrContains('10.0.0.0/8', 42 as any)).toBe(false);
  });
});

describe('parseCidrRange', () => {
  test('gives the first and last address', () => {
    expect(parseCidrRange('10.0.0.0/8')).toEqual({ version: 4, prefix: 8, first: 0x0a000000n, last: 0x0affffffn });
    expect(parseCidrRange('::/0')).toEqual({ version: 6, prefix: 0, first: 0n, last: 2n ** 128n - 1n });
    expect(parseCidrRange('::ffff:10.0.0.0/104')).toEqual({ version: 4, prefix: 8, first: 0x0a000000n, last: 0x0affffffn });
  });

  test('leaves the strict validator as it was', () => {
    expect(() => validateCidr('Thing shop/web', '10.0.0.1/8')).toThrow(/host bits set/);
    expect(() => validateCidr('Thing shop/web', '010.0.0.0/8')).toThrow(/malformed/);
  });
});

describe('CLOUD_METADATA_ADDRESSES', () => {
  test('lists the metadata services and credential endpoints of the major clouds, frozen', () => {
    // GIVEN / WHEN the list / THEN instance metadata (AWS, GCP, Azure, OpenStack, Alibaba; IPv4 and IPv6), ECS task
    // credentials and the EKS Pod Identity agent, each once and canonical
    expect([...CLOUD_METADATA_ADDRESSES].sort()).toEqual([
      '100.100.100.200', '169.254.169.254', '169.254.170.2', '169.254.170.23', 'fd00:ec2::23', 'fd00:ec2::254', 'fd20:ce::254', 'fe80::a9fe:a9fe',
    ]);
    expect(CLOUD_METADATA_ADDRESSES.map((a) => formatIp(parseIp(a)!))).toEqual([...CLOUD_METADATA_ADDRESSES]);
    expect(Object.isFrozen(CLOUD_METADATA_ADDRESSES)).toBe(true);
  });

  test.each([...CLOUD_METADATA_ADDRESSES])('%s is recognised as a metadata address, written upper case too', (address) => {
    expect(cloudMetadataAddress(parseIp(address.toUpperCase())!)).toBe(address);
  });
});

describe('canonical addresses (IPv4-mapped and NAT64 forms)', () => {
  test.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:a9fe:a9fe', '169.254.169.254'],
    ['::FFFF:169.254.169.254', '169.254.169.254'],
    ['10.0.0.1', '10.0.0.1'],
    ['fd00::1', 'fd00::1'],
    ['::ffff:0:a9fe:a9fe', '::ffff:0:a9fe:a9fe'],
  ])('%s is judged as %s', (written, judged) => {
    // GIVEN an address in any form / WHEN canonicalised / THEN mapped IPv4 becomes IPv4, nothing else changes
    expect(formatIp(canonicalIp(parseIp(written)!))).toBe(judged);
  });

  test('a mapped block stands for an IPv4 block; other blocks for none', () => {
    expect(mappedIpv4Cidr(validateCidr('Thing a/b', '::ffff:169.254.0.0/112'))?.text).toBe('169.254.0.0/16');
    expect(mappedIpv4Cidr(validateCidr('Thing a/b', '::ffff:0:0/96'))?.text).toBe('0.0.0.0/0');
    expect(mappedIpv4Cidr(validateCidr('Thing a/b', 'fd00::/96'))).toBeUndefined();
    expect(mappedIpv4Cidr(validateCidr('Thing a/b', '::/0'))).toBeUndefined();
  });

  test('the metadata addresses are recognised in every form, and NAT64 addresses reach their IPv4 address', () => {
    expect(['169.254.169.254', '::ffff:a9fe:a9fe', 'FD00:EC2:0::254', '100.100.100.200'].map((a) => cloudMetadataAddress(parseIp(a)!)))
      .toEqual(['169.254.169.254', '169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);
    expect(cloudMetadataAddress(parseIp('169.254.169.253')!)).toBeUndefined();
    expect(formatIp(nat64Ipv4(parseIp('64:ff9b::a9fe:a9fe')!)!)).toBe('169.254.169.254');
    expect(nat64Ipv4(parseIp('64:ff9c::a9fe:a9fe')!)).toBeUndefined();
  });

  test('the NAT64 form of an IPv4 block is the IPv6 block that reaches it', () => {
    // GIVEN IPv4 blocks / WHEN in NAT64 form / THEN the well-known prefix, 96 bits longer, holding the NAT64 addresses
    expect(nat64Cidr('169.254.0.0/16')).toBe('64:ff9b::a9fe:0/112');
    expect(nat64Cidr('10.0.0.0/8')).toBe('64:ff9b::a00:0/104');
    expect(cidrContains(nat64Cidr('169.254.0.0/16'), '64:ff9b::a9fe:a9fe')).toBe(true);
    expect(() => validateCidr('Thing a/b', nat64Cidr('100.64.0.0/10'))).not.toThrow();
  });

  test.each([
    ['::a9fe:a9fe', '169.254.169.254'],
    ['::169.254.169.254', '169.254.169.254'],
    ['::10.0.0.1', '10.0.0.1'],
    ['::0.0.0.2', '0.0.0.2'],
  ])('the IPv4-compatible address %s embeds %s', (written, embedded) => {
    expect(formatIp(compatibleIpv4(parseIp(written)!)!)).toBe(embedded);
  });

  test.each(['::', '::1', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe', '1::a9fe:a9fe', '169.254.169.254'])('%s is no IPv4-compatible address', (written) => {
    expect(compatibleIpv4(parseIp(written)!)).toBeUndefined();
  });

  test('validateCidr refuses a non-string with the construct path, not a TypeError', () => {
    expect(() => validateCidr('Thing a/b', 42 as any)).toThrow(/^Thing a\/b: CIDR is a number, not a string/);
    expect(() => validateCidr('Thing a/b', undefined as any)).toThrow(/CIDR is missing/);
  });
});

describe('CIDRs and addresses', () => {
  const where = 'Thing shop/web';

  test('normalizes IPv4 and IPv6 blocks', () => {
    expect(validateCidr(where, '10.200.0.2/32').text).toBe('10.200.0.2/32');
    expect(validateCidr(where, 'FD00:0:0::/64').text).toBe('fd00::/64');
    expect(validateCidr(where, '::ffff:10.0.0.0/120').text).toBe('::ffff:a00:0/120');
  });

  test('refuses a prefix beyond the address size', () => {
    expect(() => validateCidr(where, '10.0.0.0/33')).toThrow(/prefix length 33, beyond the 32 bits/);
  });

  test('refuses host bits and suggests the network or the single host', () => {
    expect(() => validateCidr(where, '10.0.0.1/24')).toThrow('Thing shop/web: CIDR "10.0.0.1/24" has host bits set; use the network "10.0.0.0/24", or "10.0.0.1/32" for the single host');
    expect(() => validateCidr(where, 'fd00::1/64')).toThrow(/use the network "fd00::\/64", or "fd00::1\/128"/);
  });

  test.each(['10.0.0/8', '10.0.0.256/32', '10.0.0.0', 'fd00:::1/64', '10.0.0.0/8/1', '010.0.0.0/8'])('refuses malformed %p', (bad) => {
    expect(() => validateCidr(where, bad)).toThrow(/is malformed/);
  });

  test('parses addresses', () => {
    expect(parseIp('127.0.0.1')).toEqual({ version: 4, bytes: [127, 0, 0, 1] });
    expect(parseIp('::1')?.bytes[15]).toBe(1);
    expect(parseIp('1::2::3')).toBeUndefined();
  });
});

import { validateDnsLabel, validateDnsSubdomain, validateLabels } from '../../src/core/names';
import { validateCidr, parseIp } from '../../src/k8s/cidr';
import { validatePort } from '../../src/k8s/ports';
import { validateQuantity, quantityValue } from '../../src/k8s/quantity';
import { validateImage } from '../../src/parsers/image';

const where = 'Thing shop/web';

describe('DNS-1123 names', () => {
  test('accepts labels and subdomains', () => {
    expect(validateDnsLabel(where, 'name', 'web-1')).toBe('web-1');
    expect(validateDnsSubdomain(where, 'host', 'api.example.com')).toBe('api.example.com');
  });

  test.each(['Web', 'web_1', '-web', 'web-', 'a'.repeat(64), ''])('refuses label %p with the path and a suggestion', (bad) => {
    expect(() => validateDnsLabel(where, 'name', bad)).toThrow(/^Thing shop\/web: name .* is not a valid DNS-1123 label.*use a name like/);
  });

  test('suggests a lower-case name', () => {
    expect(() => validateDnsLabel(where, 'name', 'My_App')).toThrow('use a name like "my-app"');
  });

  test('refuses a subdomain with an over-long part', () => {
    expect(() => validateDnsSubdomain(where, 'host', `${'a'.repeat(64)}.example.com`)).toThrow(/not a valid DNS-1123 subdomain/);
  });

  test('checks label keys and values', () => {
    expect(validateLabels(where, { 'example.com/team': 'a.b_c-d' })).toEqual({ 'example.com/team': 'a.b_c-d' });
    expect(() => validateLabels(where, { team: 'has space' })).toThrow(/label "team" has the invalid value "has space"/);
    expect(() => validateLabels(where, { 'Bad_Prefix/x': 'v' })).toThrow(/prefix of label/);
  });
});

describe('image references', () => {
  test.each([
    ['ghcr.io/acme/web:1.4.2', { registry: 'ghcr.io', repository: 'acme/web', tag: '1.4.2' }],
    ['nginx:1.27.3', { repository: 'nginx', tag: '1.27.3' }],
    ['localhost:5000/web:v1', { registry: 'localhost:5000', repository: 'web', tag: 'v1' }],
    [`quay.io/acme/web@sha256:${'a'.repeat(64)}`, { registry: 'quay.io', repository: 'acme/web', digest: `sha256:${'a'.repeat(64)}` }],
  ])('parses %p', (image, expected) => {
    expect(validateImage(where, image)).toEqual(expect.objectContaining(expected));
  });

  test('refuses an untagged image, naming the fix', () => {
    expect(() => validateImage(where, 'nginx')).toThrow('Thing shop/web: image "nginx" has no tag, which means "latest" and can change under you; pin a version or digest (e.g. nginx:1.2.3 or nginx@sha256:…)');
  });

  test('refuses latest', () => {
    expect(() => validateImage(where, 'nginx:latest')).toThrow(/image "nginx:latest" uses the mutable tag "latest"; pin a version or digest/);
  });

  test.each(['Nginx:1.0', 'nginx:', 'nginx@sha256:abc', 'ghcr.io//web:1'])('refuses malformed %p', (bad) => {
    expect(() => validateImage(where, bad)).toThrow(/is not a valid image reference/);
  });

  test('requires a digest when asked', () => {
    expect(() => validateImage(where, 'nginx:1.27.3', { requireDigest: true })).toThrow(/not pinned by digest.*nginx:1.27.3@sha256:…/);
  });
});

describe('ports and quantities', () => {
  test.each([0, 70000, 1.5, -1])('refuses port %p', (bad) => {
    expect(() => validatePort(where, 'port', bad)).toThrow(/is not a valid port; use an integer from 1 to 65535/);
  });

  test('accepts the bounds', () => {
    expect(validatePort(where, 'port', 1)).toBe(1);
    expect(validatePort(where, 'port', 65535)).toBe(65535);
  });

  test.each(['100m', '0.5', '128Mi', '1G', '1e3'])('accepts quantity %p', (q) => {
    expect(validateQuantity(where, 'cpu', q)).toBe(q);
  });

  test.each(['100 m', 'lots', '1MB', ''])('refuses quantity %p', (q) => {
    expect(() => validateQuantity(where, 'cpu', q)).toThrow(/is not a Kubernetes quantity/);
  });

  test('computes quantity values', () => {
    expect(quantityValue('100m')).toBeCloseTo(0.1);
    expect(quantityValue('1Ki')).toBe(1024);
    expect(quantityValue('2G')).toBe(2e9);
  });
});

describe('CIDRs and addresses', () => {
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

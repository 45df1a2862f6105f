// Hostile addresses for validateExternalAddress: deprecated IPv4-compatible IPv6 addresses are judged as what they embed.
import { validateExternalAddress } from '../../src/k8s/addresses';
import { errorOf } from '../support/helpers';

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

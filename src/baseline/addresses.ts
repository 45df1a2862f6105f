import { Cidr, formatIp, IpAddress, parseIp } from './cidr';
import { inputError, quote } from './errors';

const REFUSED_RANGES: Array<{ cidr: string; what: string }> = [
  { cidr: '0.0.0.0/8', what: 'unspecified ("this network")' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local (also where cloud metadata services live)' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '255.255.255.255/32', what: 'broadcast' },
  { cidr: '::/128', what: 'unspecified' },
  { cidr: '::1/128', what: 'loopback' },
  { cidr: 'fe80::/10', what: 'link-local' },
  { cidr: 'ff00::/8', what: 'multicast' },
];

function inRange(ip: IpAddress, cidr: string): boolean {
  const [address, prefixText] = cidr.split('/');
  const network = parseIp(address)!;
  if (network.version !== ip.version) return false;
  const prefix = Number(prefixText);
  for (let bit = 0; bit < prefix; bit++) {
    const byte = Math.floor(bit / 8);
    const mask = 0x80 >> (bit % 8); // eslint-disable-line no-bitwise
    if ((ip.bytes[byte] & mask) !== (network.bytes[byte] & mask)) return false; // eslint-disable-line no-bitwise
  }
  return true;
}

/**
 * Checks the address of a service outside the cluster: a well-formed IPv4 or IPv6 address that is not
 * loopback, link-local, unspecified, multicast or broadcast (none of them reaches another host).
 * Returns the address in canonical form.
 */
export function validateExternalAddress(where: string, address: string): IpAddress & { text: string } {
  const ip = parseIp(address);
  if (!ip) {
    throw inputError(where, `address ${quote(address)} is not a valid IPv4 or IPv6 address`, 'write it like "10.200.0.2" or "fd00::2", or use ExternalAddress.hostname for a DNS name');
  }
  const refused = REFUSED_RANGES.find((r) => inRange(ip, r.cidr));
  if (refused) {
    throw inputError(
      where,
      `address ${quote(address)} is ${refused.what}, which never reaches a service outside the pod`,
      'use the routable address of the service (e.g. 10.200.0.2)',
    );
  }
  return { ...ip, text: formatIp(ip) };
}

/** The single-host CIDR of an address (/32 or /128). */
export function hostCidr(ip: IpAddress & { text: string }): Cidr {
  const prefix = ip.version === 4 ? 32 : 128;
  return { version: ip.version, address: ip.text, prefix, text: `${ip.text}/${prefix}` };
}

/**
 * The addresses of cloud instance metadata services, which hand out the node's credentials to whoever asks:
 * 169.254.169.254 (AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean, …), fd00:ec2::254 (AWS over IPv6) and
 * 100.100.100.200 (Alibaba Cloud). Every one of them answers HTTP on TCP port 80.
 */
export const CLOUD_METADATA_ADDRESSES: readonly string[] = Object.freeze(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

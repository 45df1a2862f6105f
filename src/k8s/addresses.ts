import { canonicalIp, Cidr, cidrContains, formatIp, IpAddress, mappedIpv4, mappedIpv4Cidr, parseCidrRange, parseIp, validateCidr } from './cidr';
import { inputError, quote } from '../core/errors';
import { checkStringList } from '../core/prop-checks';

/**
 * The addresses that hand out cloud credentials to whoever asks, each answering HTTP on TCP port 80:
 * - 169.254.169.254: the instance metadata service of AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean, …;
 * - fd00:ec2::254: AWS's instance metadata service over IPv6;
 * - 100.100.100.200: Alibaba Cloud's metadata service;
 * - 169.254.170.2: the AWS ECS task credentials endpoint (the task role's credentials);
 * - 169.254.170.23 and fd00:ec2::23: the EKS Pod Identity agent (the pod's IAM role credentials);
 * - fe80::a9fe:a9fe: OpenStack's metadata service over IPv6;
 * - fd20:ce::254: GCP's metadata server over IPv6 (IPv6-only instances).
 *
 * The policy engine's NSA-METADATA-EGRESS rule uses the same list.
 */
export const CLOUD_METADATA_ADDRESSES: readonly string[] = Object.freeze([
  '169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '169.254.170.2', '169.254.170.23', 'fd00:ec2::23', 'fe80::a9fe:a9fe', 'fd20:ce::254',
]);

/** What each address of CLOUD_METADATA_ADDRESSES is, for messages. */
const METADATA_ENDPOINTS: { readonly [address: string]: string } = Object.freeze({
  '169.254.169.254': 'the cloud metadata service',
  'fd00:ec2::254': 'the cloud metadata service',
  '100.100.100.200': 'the cloud metadata service',
  '169.254.170.2': 'the AWS ECS task credentials endpoint',
  '169.254.170.23': 'the EKS Pod Identity agent',
  'fd00:ec2::23': 'the EKS Pod Identity agent',
  'fe80::a9fe:a9fe': 'the OpenStack metadata service',
  'fd20:ce::254': 'the GCP metadata server',
});

/** The well-known NAT64 prefix (RFC 6052): `64:ff9b::a.b.c.d` reaches the IPv4 address a.b.c.d through a NAT64 gateway. */
const NAT64_PREFIX = '64:ff9b::/96';

/** The NAT64 form (`64:ff9b::a.b.c.d`) of an IPv4 address, canonical. */
function nat64Form(ip: IpAddress): string {
  return formatIp({ version: 6, bytes: [0, 0x64, 0xff, 0x9b, ...Array(8).fill(0), ...ip.bytes] });
}

/**
 * The NAT64 form of an IPv4 block (`169.254.0.0/16` → `64:ff9b::a9fe:0/112`): the IPv6 block that reaches it
 * through a NAT64 gateway.
 */
export function nat64Cidr(ipv4Cidr: string): string {
  const [address, prefix] = ipv4Cidr.split('/');
  return `${nat64Form(parseIp(address)!)}/${96 + Number(prefix)}`;
}

const NON_PUBLIC_IPV4 = Object.freeze(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8']);

/**
 * The blocks a rule over every address excepts to reach public addresses only ("the internet"): private,
 * carrier-grade NAT (also Alibaba's metadata), link-local (metadata, ECS and EKS credentials, node-local DNS),
 * loopback, and IPv6 unique-local (also AWS's and GCP's metadata), link-local (also OpenStack's metadata),
 * loopback and the NAT64 forms of the IPv4 ones (`64:ff9b::a9fe:0/112` reaches 169.254.0.0/16 through NAT64).
 */
export const NON_PUBLIC_BLOCKS: { readonly [version: number]: readonly string[] } = Object.freeze({
  4: NON_PUBLIC_IPV4,
  6: Object.freeze(['fc00::/7', 'fe80::/10', '::1/128', ...NON_PUBLIC_IPV4.map(nat64Cidr)]),
});

/**
 * The IPv4 address a deprecated IPv4-compatible IPv6 address (`::a.b.c.d`, RFC 4291 section 2.5.5.1: the
 * `::/96` block but `::` and `::1`) embeds; undefined for any other address.
 */
export function compatibleIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.version !== 6 || ip.bytes.slice(0, 12).some((b) => b !== 0)) return undefined;
  const v4 = ip.bytes.slice(12);
  return v4[0] === 0 && v4[1] === 0 && v4[2] === 0 && v4[3] <= 1 ? undefined : { version: 4, bytes: v4 };
}

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

/** The IPv4 address a NAT64 address of the well-known prefix (`64:ff9b::a9fe:a9fe`) reaches; undefined otherwise. */
export function nat64Ipv4(ip: IpAddress): IpAddress | undefined {
  return ip.version === 6 && inRange(ip, NAT64_PREFIX) ? { version: 4, bytes: ip.bytes.slice(12) } : undefined;
}

/** The cloud metadata address (as listed in CLOUD_METADATA_ADDRESSES) an address is, judged canonical; undefined otherwise. */
export function cloudMetadataAddress(ip: IpAddress): string | undefined {
  const text = formatIp(canonicalIp(ip));
  return CLOUD_METADATA_ADDRESSES.find((address) => formatIp(parseIp(address)!) === text);
}

/**
 * What a special-purpose address is (unspecified, loopback, link-local, multicast, broadcast), judged canonical
 * (an IPv4-mapped address as the IPv4 one); undefined for an ordinary unicast address.
 */
export function specialAddress(ip: IpAddress): { readonly what: string; readonly cidr: string } | undefined {
  const judged = canonicalIp(ip);
  return REFUSED_RANGES.find((r) => inRange(judged, r.cidr));
}

/** How the written address relates to the one judged, for messages: "", " (the IPv4-mapped form of 10.0.0.1)", … */
function disguise(written: IpAddress, judged: IpAddress): string {
  if (mappedIpv4(written)) return ` (the IPv4-mapped form of ${formatIp(judged)})`;
  if (compatibleIpv4(written) && judged.version === 4) return ` (the IPv4-compatible form of ${formatIp(judged)})`;
  if (written !== judged) return ` (which reaches ${formatIp(judged)} through NAT64)`;
  return '';
}

/**
 * Checks the address of a service outside the cluster: a well-formed IPv4 or IPv6 address that is not a cloud
 * metadata or credential endpoint (CLOUD_METADATA_ADDRESSES), loopback, link-local, unspecified, multicast or
 * broadcast (none of them reaches another host, or the one it reaches hands out credentials). Addresses are
 * judged canonical: an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) as the IPv4 address it maps, a NAT64
 * address (`64:ff9b::a9fe:a9fe`) also as the IPv4 address it reaches. A deprecated IPv4-compatible address
 * (`::a.b.c.d`, `::a9fe:a9fe`, RFC 4291) is judged as the IPv4 address it embeds, then refused with that
 * address as the fix. Returns the address in canonical form: an IPv4-mapped address as its IPv4 address (a
 * dual-stack socket sends to it as IPv4, and the API server asks for the IPv4 form).
 */
export function validateExternalAddress(where: string, address: string): IpAddress & { text: string } {
  if (typeof address !== 'string') {
    throw inputError(where, `address is ${address === undefined ? 'missing' : address === null ? 'null' : `a ${typeof address}`}, not a string`, 'write the address as a string, e.g. "10.200.0.2"');
  }
  const written = parseIp(address);
  if (!written) {
    throw inputError(where, `address ${quote(address)} is not a valid IPv4 or IPv6 address`, 'write it like "10.200.0.2" or "fd00::2", or use ExternalAddress.hostname for a DNS name');
  }
  const ip = canonicalIp(written);
  const embedded = nat64Ipv4(ip) ?? compatibleIpv4(ip);
  for (const judged of embedded ? [ip, embedded] : [ip]) {
    const metadata = cloudMetadataAddress(judged);
    if (metadata) {
      throw inputError(
        where,
        `address ${quote(address)}${disguise(written, judged)} is ${METADATA_ENDPOINTS[metadata]} ${metadata}, which hands out cloud credentials`,
        'use the routable address of the service (e.g. 10.200.0.2); workloads never need a metadata or credential endpoint as a backend',
      );
    }
    const refused = specialAddress(judged);
    if (refused) {
      throw inputError(
        where,
        `address ${quote(address)}${disguise(written, judged)} is ${refused.what}, which never reaches a service outside the pod`,
        'use the routable address of the service (e.g. 10.200.0.2)',
      );
    }
  }
  const compatible = compatibleIpv4(ip);
  if (compatible) {
    throw inputError(
      where,
      `address ${quote(address)} is a deprecated IPv4-compatible IPv6 address (RFC 4291) standing for ${formatIp(compatible)}, which no network routes`,
      `write the IPv4 address ${quote(formatIp(compatible))}`,
    );
  }
  return { ...ip, text: formatIp(ip) };
}

/** The single-host CIDR of an address (/32 or /128). */
export function hostCidr(ip: IpAddress & { text: string }): Cidr {
  const prefix = ip.version === 4 ? 32 : 128;
  return { version: ip.version, address: ip.text, prefix, text: `${ip.text}/${prefix}` };
}

/** A checked ipBlock: the block and its except list, canonical. */
export interface CheckedIpBlock {
  /** The block. */
  readonly cidr: Cidr;
  /** The blocks inside it that stay denied. */
  readonly except: Cidr[];
}

/** Options of {@link validateIpBlock}. */
export interface IpBlockOptions {
  /** What the block is, for messages (e.g. `egress target CIDR`). */
  readonly what: string;
  /**
   * Whether the block may hold cloud metadata addresses (ingress sources, or an egress target named with an
   * acknowledgement).
   */
  readonly allowCloudMetadata: boolean;
  /**
   * The name the caller gave the except list, for fixes (`exceptCidrs` in EgressTarget.cidr's options).
   * @default "except" (the ipBlock field)
   */
  readonly exceptKey?: string;
}

/**
 * Every address an ipBlock can reach a metadata endpoint by: CLOUD_METADATA_ADDRESSES, then the NAT64 forms
 * (`64:ff9b::a9fe:a9fe`) of the IPv4 ones, which an IPv6 block holding them reaches through a NAT64 gateway
 * (a block inside the NAT64 prefix, or one overlapping it from outside: `64:ff9b::/64`, `::/0`). The policy
 * engine's NSA-METADATA-EGRESS rule judges by the same list.
 */
export const METADATA_ADDRESS_FORMS: readonly string[] = Object.freeze([
  ...CLOUD_METADATA_ADDRESSES,
  ...CLOUD_METADATA_ADDRESSES.map((address) => parseIp(address)!).filter((ip) => ip.version === 4).map(nat64Form),
]);

/** The metadata address forms a block reaches (held and not excepted). IPv4-mapped blocks count as IPv4 (cidrContains). */
function metadataReached(cidr: Cidr, except: Cidr[]): string[] {
  return METADATA_ADDRESS_FORMS.filter((form) => cidrContains(cidr.text, form) && !except.some((e) => cidrContains(e.text, form)));
}

/**
 * Checks an ipBlock of a NetworkPolicy rule as the API server does, and more:
 * - the CIDR and every except block are well formed, without host bits (strict: `10.0.0.1/24` is ambiguous);
 * - every except block lies inside the CIDR, in the same family, and is not the CIDR itself (the API server
 *   refuses the first two; the last denies everything the block allows);
 * - unless `allowCloudMetadata`, the block does not reach a cloud metadata address (CLOUD_METADATA_ADDRESSES): a
 *   block holding one must except it (`0.0.0.0/0` must carry 169.254.169.254/32, 100.100.100.200/32, 169.254.170.2/32 and
 *   169.254.170.23/32); an IPv6 block holding the NAT64 form of an IPv4 one (`64:ff9b::a9fe:a9fe`) must except that form;
 * - IPv4-mapped IPv6 blocks (`::ffff:a9fe:a9fe/128`) are judged as the IPv4 block they map and then refused with
 *   that block as the fix: the API server warns about them and will refuse them (KEP-4858), and NetworkPolicy
 *   implementations see the traffic as IPv4, so the mapped form would not match it.
 */
export function validateIpBlock(where: string, cidrText: string, exceptTexts: string[] | undefined, options: IpBlockOptions): CheckedIpBlock {
  const what = options.what;
  const exceptKey = options.exceptKey ?? 'except';
  const cidr = validateCidr(where, cidrText);
  const listed = exceptTexts === undefined ? [] : checkStringList(where, `${exceptKey} of ${what} ${cidr.text}`, exceptTexts);
  const range = parseCidrRange(cidr.text)!;
  const except = listed.map((text) => {
    const block = validateCidr(where, text);
    const inner = parseCidrRange(block.text)!;
    if (inner.version !== range.version) {
      throw inputError(
        where,
        `except block ${quote(text)} of ${what} ${quote(cidrText)} is IPv${inner.version}, the CIDR IPv${range.version}`,
        `list only blocks of the CIDR's own family in ${exceptKey} (the API server refuses others); write a second target for the other family`,
      );
    }
    if (inner.first < range.first || inner.last > range.last) {
      throw inputError(where, `except block ${quote(text)} lies outside ${what} ${quote(cidrText)}`, `list only blocks inside the CIDR in ${exceptKey} (the API server refuses others)`);
    }
    if (inner.first === range.first && inner.last === range.last) {
      throw inputError(where, `except block ${quote(text)} is ${what} ${quote(cidrText)} itself, so the target allows nothing`, 'except a smaller block, or remove the target');
    }
    return block;
  });
  if (!options.allowCloudMetadata) {
    const reached = metadataReached(cidr, except);
    if (reached.length > 0) {
      // A block over a whole family also needs every internal range excepted (the rules of every caller refuse it as
      // "every destination" otherwise), and those ranges hold every metadata address: the fix names them at once.
      const wholeFamily = cidr.prefix === 0;
      const blocks = wholeFamily ? NON_PUBLIC_BLOCKS[range.version].filter((b) => !listed.includes(b))
        : reached.map((address) => `${address}/${address.includes(':') ? 128 : 32}`);
      throw inputError(
        where,
        `${what} ${quote(cidrText)} holds the cloud metadata address${reached.length > 1 ? 'es' : ''} ${reached.join(', ')}, which hand${reached.length > 1 ? '' : 's'} out cloud credentials`,
        // Every block was checked by validateCidr: the list is addresses only, and the whole of it is the fix.
        `add ${wholeFamily ? `the internal ranges of IPv${range.version} (public addresses only): ` : ''}${blocks.map((b) => quote(b)).join(', ')} to `
          + `${exceptKey} (e.g. ${exceptKey}: ${JSON.stringify([...listed, ...blocks])}), or allow a narrower block`,
      );
    }
  }
  const written = [{ text: cidrText, block: cidr }, ...except.map((block, i) => ({ text: listed[i], block }))];
  const mapped = written.map((w) => ({ ...w, v4: mappedIpv4Cidr(w.block) })).find((m) => m.v4);
  if (mapped) {
    throw inputError(
      where,
      `${mapped.block === cidr ? `${what} ${quote(cidrText)}` : `except block ${quote(mapped.text)} of ${what} ${quote(cidrText)}`} is an IPv4-mapped IPv6 block: `
        + `it stands for the IPv4 block ${mapped.v4!.text}`,
      `write ${quote(mapped.v4!.text)} (the API server will refuse mapped addresses, and NetworkPolicy implementations see the traffic as IPv4)`,
    );
  }
  return { cidr, except };
}

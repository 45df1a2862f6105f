/* eslint-disable no-bitwise */ // IP address arithmetic is bitwise by nature.
import { inputError, quote } from '../core/errors';

/** An IP address as its version and bytes. */
export interface IpAddress {
  /** 4 or 6. */
  readonly version: number;
  /** 4 or 16 bytes, network order. */
  readonly bytes: number[];
}

/** A CIDR block, normalized. */
export interface Cidr {
  /** 4 or 6. */
  readonly version: number;
  /** The network address in canonical text form. */
  readonly address: string;
  /** The prefix length. */
  readonly prefix: number;
  /** `address/prefix`. */
  readonly text: string;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^(0|[1-9][0-9]{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

function parseIpv6(text: string): number[] | undefined {
  let body = text;
  const lastColon = text.lastIndexOf(':');
  const v4Tail = text.slice(lastColon + 1);
  if (v4Tail.includes('.')) {
    // An embedded IPv4 tail (e.g. ::ffff:10.0.0.1) stands for the last two groups.
    const v4 = parseIpv4(v4Tail);
    if (!v4) return undefined;
    body = `${text.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = toGroups(halves[0]);
  const tail = halves.length === 2 ? toGroups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array(missing).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

/**
 * The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, also written `::ffff:a9fe:a9fe`) stands for;
 * undefined for any other address. A dual-stack socket sends to a mapped address as IPv4, so it is judged as one.
 */
export function mappedIpv4(ip: IpAddress): IpAddress | undefined {
  return ip.version === 6 && isIpv4Mapped(ip.bytes) ? { version: 4, bytes: ip.bytes.slice(12) } : undefined;
}

/** The address as it is judged: an IPv4-mapped IPv6 address as the IPv4 address it maps, any other as it is. */
export function canonicalIp(ip: IpAddress): IpAddress {
  return mappedIpv4(ip) ?? ip;
}

/**
 * The IPv4 block an IPv4-mapped IPv6 block (`::ffff:a.b.c.d/96+n`) stands for (`a.b.c.d/n`); undefined for any
 * other block.
 */
export function mappedIpv4Cidr(cidr: Cidr): Cidr | undefined {
  const ip = parseIp(cidr.address);
  const v4 = ip && cidr.prefix >= 96 ? mappedIpv4(ip) : undefined;
  if (!v4) return undefined;
  const address = formatIp(v4);
  return { version: 4, address, prefix: cidr.prefix - 96, text: `${address}/${cidr.prefix - 96}` };
}

/** Parses an IPv4 or IPv6 address; undefined when malformed. */
export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes ? { version: 6, bytes } : undefined;
  }
  const bytes = parseIpv4(text);
  return bytes ? { version: 4, bytes } : undefined;
}

/** Formats an address in canonical form (IPv6 per RFC 5952: lower case, longest zero run as `::`). */
export function formatIp(ip: IpAddress): string {
  if (ip.version === 4) return ip.bytes.join('.');
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] << 8) | ip.bytes[i + 1]).toString(16));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

function maskHostBits(bytes: number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - bits)) & 0xff);
  });
}

/**
 * Parses and checks a CIDR block (IPv4 or IPv6). A block with host bits set is refused with the
 * network block and the single-host block as suggestions (`10.0.0.1/24` → `10.0.0.0/24` or `10.0.0.1/32`).
 */
export function validateCidr(where: string, cidr: string): Cidr {
  if (typeof cidr !== 'string') {
    const kind = cidr === undefined ? 'missing' : cidr === null ? 'null' : Array.isArray(cidr) ? 'a list' : typeof cidr === 'object' ? 'an object' : `a ${typeof cidr}`;
    throw inputError(where, `CIDR is ${kind}, not a string`, 'write an address and a prefix length, e.g. "10.0.0.0/24" or "fd00::/64"');
  }
  const [addressText, prefixText, extra] = cidr.split('/');
  const ip = parseIp(addressText ?? '');
  if (!ip || prefixText === undefined || extra !== undefined || !/^[0-9]{1,3}$/.test(prefixText)) {
    throw inputError(where, `CIDR ${quote(cidr)} is malformed`, 'write an address and a prefix length, e.g. "10.0.0.0/24" or "fd00::/64"');
  }
  const maxPrefix = ip.version === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > maxPrefix) {
    throw inputError(
      where,
      `CIDR ${quote(cidr)} has prefix length ${prefix}, beyond the ${maxPrefix} bits of an IPv${ip.version} address`,
      `use a prefix from 0 to ${maxPrefix} (e.g. ${formatIp(ip)}/${maxPrefix} for this one host)`,
    );
  }
  const network = { version: ip.version, bytes: maskHostBits(ip.bytes, prefix) };
  if (network.bytes.some((b, i) => b !== ip.bytes[i])) {
    throw inputError(
      where,
      `CIDR ${quote(cidr)} has host bits set`,
      `use the network ${quote(`${formatIp(network)}/${prefix}`)}, or ${quote(`${formatIp(ip)}/${maxPrefix}`)} for the single host`,
    );
  }
  const address = formatIp(network);
  return { version: ip.version, address, prefix, text: `${address}/${prefix}` };
}

/** A CIDR block as the range of addresses it holds, for containment and coverage checks. */
export interface CidrRange {
  /** 4 or 6 (an IPv4-mapped IPv6 block, `::ffff:a.b.c.d/96+n`, is the IPv4 block `a.b.c.d/n`). */
  readonly version: number;
  /** The prefix length (in IPv4 bits for a mapped block). */
  readonly prefix: number;
  /** The first address of the block, as an unsigned integer. */
  readonly first: bigint;
  /** The last address of the block, as an unsigned integer. */
  readonly last: bigint;
}

/** Reads IPv4 parts with leading zeros as decimal (`010.0.0.1` is 10.0.0.1), as the API server's lenient parser does. */
function withoutLeadingZeros(text: string): string {
  return text.replace(/(^|[.:])0+(?=[0-9])/g, '$1');
}

/** Whether 16 bytes are an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`). */
function isIpv4Mapped(bytes: number[]): boolean {
  return bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

/** Parses an address leniently and canonicalises IPv4-mapped IPv6 to IPv4. */
function parseCanonicalIp(text: unknown): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  const ip = parseIp(withoutLeadingZeros(text.trim()));
  if (ip && ip.version === 6 && isIpv4Mapped(ip.bytes)) return { version: 4, bytes: ip.bytes.slice(12) };
  return ip;
}

/**
 * Parses a CIDR block as the API server reads a NetworkPolicy `ipBlock`: host bits are cleared instead of
 * refused, IPv4 parts with leading zeros are decimal, and an IPv4-mapped IPv6 block (`::ffff:169.254.0.0/112`)
 * is the IPv4 block it maps (`169.254.0.0/16`). Undefined when malformed (no prefix, prefix too long, bad address).
 */
export function parseCidrRange(cidr: string): CidrRange | undefined {
  if (typeof cidr !== 'string') return undefined;
  const [addressText, prefixText, extra] = cidr.trim().split('/');
  const ip = parseIp(withoutLeadingZeros(addressText ?? ''));
  if (!ip || prefixText === undefined || extra !== undefined || !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  let version = ip.version;
  let bytes = ip.bytes;
  let prefix = Number(prefixText);
  if (prefix > (version === 4 ? 32 : 128)) return undefined;
  if (version === 6 && prefix >= 96 && isIpv4Mapped(bytes)) {
    version = 4;
    bytes = bytes.slice(12);
    prefix -= 96;
  }
  const hostBits = BigInt((version === 4 ? 32 : 128) - prefix);
  const hostMask = (1n << hostBits) - 1n;
  const first = toBigInt(bytes) & ~hostMask;
  return { version, prefix, first, last: first | hostMask };
}

/**
 * Whether a CIDR block holds an address (IPv4 or IPv6). IPv4-mapped IPv6 blocks and addresses
 * (`::ffff:169.254.169.254`) are read as the IPv4 ones they map; an IPv6 block never holds an IPv4 address
 * otherwise (`::/0` does not hold 10.0.0.1). False when either is malformed.
 */
export function cidrContains(cidr: string, address: string): boolean {
  const range = parseCidrRange(cidr);
  const ip = parseCanonicalIp(address);
  if (!range || !ip || ip.version !== range.version) return false;
  const value = toBigInt(ip.bytes);
  return range.first <= value && value <= range.last;
}

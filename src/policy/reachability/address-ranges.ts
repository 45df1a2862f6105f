/* eslint-disable no-bitwise */ // IP address arithmetic is bitwise by nature.
import { NON_PUBLIC_BLOCKS } from '../../k8s/addresses';
import { CidrRange, formatIp, parseCidrRange } from '../../k8s/cidr';

/** A contiguous range of IP addresses of one family, both ends included. */
export interface AddressInterval {
  /** 4 or 6. */
  readonly version: number;
  /** The first address, as an unsigned integer. */
  readonly first: bigint;
  /** The last address. */
  readonly last: bigint;
}

const LAST_ADDRESS: { readonly [version: number]: bigint } = Object.freeze({ 4: 2n ** 32n - 1n, 6: 2n ** 128n - 1n });

/** Every address of the family. */
export function wholeFamily(version: number): AddressInterval {
  return { version, first: 0n, last: LAST_ADDRESS[version] };
}

/**
 * The addresses of an ipBlock: its CIDR without its excepts, as sorted disjoint intervals. Excepts of the other family
 * take nothing away.
 */
export function ipBlockIntervals(cidr: CidrRange, except: readonly CidrRange[]): AddressInterval[] {
  let intervals: AddressInterval[] = [{ version: cidr.version, first: cidr.first, last: cidr.last }];
  for (const hole of except) {
    if (hole.version !== cidr.version) continue;
    intervals = intervals.flatMap((i): AddressInterval[] => {
      if (hole.last < i.first || hole.first > i.last) return [i];
      const parts: AddressInterval[] = [];
      if (hole.first > i.first) parts.push({ version: i.version, first: i.first, last: hole.first - 1n });
      if (hole.last < i.last) parts.push({ version: i.version, first: hole.last + 1n, last: i.last });
      return parts;
    });
  }
  return intervals;
}

/** An address as text: dotted IPv4, or IPv6 in canonical form. */
export function formatAddress(version: number, value: bigint): string {
  const bytes: number[] = [];
  let rest = value;
  for (let i = 0; i < (version === 4 ? 4 : 16); i++) {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return formatIp({ version, bytes });
}

/** A range as netpol-analyzer names it: `10.0.0.0-10.255.255.255`. */
export function formatInterval(interval: AddressInterval): string {
  return `${formatAddress(interval.version, interval.first)}-${formatAddress(interval.version, interval.last)}`;
}

/**
 * The address space cut into the disjoint ranges that a list of ipBlocks creates: every boundary of every block
 * (CIDR without excepts) starts a new range, so each block is a union of whole ranges and each range is judged as one
 * peer. IPv4 is always covered (0.0.0.0-255.255.255.255 when no block cuts it); IPv6 only when some block is IPv6, so
 * that manifests without IPv6 blocks are described as netpol-analyzer (IPv4 only) describes them.
 */
export class AddressPartition {
  /** The ranges, IPv4 first, each family in address order. */
  public readonly ranges: readonly AddressInterval[];

  /** @param blocks the blocks, each as its intervals */
  public constructor(blocks: ReadonlyArray<readonly AddressInterval[]>) {
    const ranges: AddressInterval[] = [];
    for (const version of [4, 6]) {
      const intervals = blocks.flatMap((block) => block.filter((i) => i.version === version));
      if (version === 6 && intervals.length === 0) continue;
      const starts = new Set<bigint>([0n]);
      for (const i of intervals) {
        starts.add(i.first);
        if (i.last < LAST_ADDRESS[version]) starts.add(i.last + 1n);
      }
      const sorted = [...starts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      sorted.forEach((first, k) => ranges.push({ version, first, last: k + 1 < sorted.length ? sorted[k + 1] - 1n : LAST_ADDRESS[version] }));
    }
    this.ranges = ranges;
  }

  /** The indexes (into `ranges`) of the ranges that make up the intervals. */
  public indexesOf(intervals: readonly AddressInterval[]): number[] {
    const indexes: number[] = [];
    for (const interval of intervals) {
      for (let k = this.firstAt(interval); k < this.ranges.length; k++) {
        const range = this.ranges[k];
        if (range.version !== interval.version || range.first > interval.last) break;
        indexes.push(k);
      }
    }
    return indexes;
  }

  /** The index of the range that starts at the interval's first address (binary search). */
  private firstAt(interval: AddressInterval): number {
    let low = 0;
    let high = this.ranges.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const range = this.ranges[middle];
      if (range.version < interval.version || (range.version === interval.version && range.last < interval.first)) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The public addresses of each family: all but the non-public blocks (private, link-local, loopback, …), as intervals. */
const PUBLIC_INTERVALS: { readonly [version: number]: readonly AddressInterval[] } = Object.freeze(Object.fromEntries([4, 6].map((version) => [
  version,
  ipBlockIntervals(parseCidrRange(version === 4 ? '0.0.0.0/0' : '::/0')!, NON_PUBLIC_BLOCKS[version].map((block) => parseCidrRange(block)!)),
])));

/**
 * Whether the intervals hold every public address of IPv4 or of IPv6 (every address but the private, carrier-grade NAT,
 * link-local, loopback and unique-local blocks): what a rule's address blocks must hold to admit a named host, whose
 * addresses cannot be known from the manifests (`0.0.0.0/0` except the private ranges does; a `/32` does not).
 */
export function holdsPublicAddresses(intervals: readonly AddressInterval[]): boolean {
  return [4, 6].some((version) => {
    const held = intervals.filter((i) => i.version === version).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    return PUBLIC_INTERVALS[version].every((p) => {
      let next = p.first;
      for (const i of held) {
        if (i.first > next) break;
        if (i.last >= next) next = i.last + 1n;
        if (next > p.last) return true;
      }
      return next > p.last;
    });
  });
}

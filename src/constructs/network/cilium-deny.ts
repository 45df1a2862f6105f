import { inputError, quote } from '../../core/errors';
import { CheckedIpBlock, CLOUD_METADATA_ADDRESSES, nat64Cidr } from '../../k8s/addresses';
import { cidrContains, CidrRange, parseCidrRange } from '../../k8s/cidr';
import { CiliumEgressDenyRule } from '../../k8s/custom-resources/cilium';

/** A block of the Cilium deny layer, and what lives there. */
export interface DeniedBlock {
  /** The block, e.g. `169.254.0.0/16`. */
  readonly cidr: string;
  /** What it holds, for messages. */
  readonly what: string;
}

/** Link-local and loopback of both families: where the metadata and credential endpoints and the pod itself live. */
const NEVER_EXTERNAL: readonly DeniedBlock[] = Object.freeze([
  { cidr: '169.254.0.0/16', what: 'link-local, where the cloud metadata and credential endpoints live' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: 'fe80::/10', what: 'link-local, where OpenStack\'s IPv6 metadata service lives' },
  { cidr: '::1/128', what: 'loopback' },
]);

/**
 * The blocks a Cilium-mode allowlist denies whatever its rules allow (`egressDeny`, which Cilium enforces over
 * every allow, of this policy and any other): link-local and loopback of both families, every cloud metadata
 * and credential address outside them (CLOUD_METADATA_ADDRESSES: 100.100.100.200, fd00:ec2::254, fd00:ec2::23,
 * fd20:ce::254), and the NAT64 forms (`64:ff9b::/96`) of the IPv4 ones. `toFQDNs` allows whatever address a DNS
 * answer holds, and the owner of any zone (`169.254.169.254.nip.io`) chooses the answer: names must not lead there.
 */
export function ciliumDeniedBlocks(): DeniedBlock[] {
  const metadata = CLOUD_METADATA_ADDRESSES
    .filter((address) => !NEVER_EXTERNAL.some((block) => cidrContains(block.cidr, address)))
    .map((address) => ({ cidr: `${address}/${address.includes(':') ? 128 : 32}`, what: 'a cloud metadata service' }));
  const ipv4 = [...NEVER_EXTERNAL, ...metadata].filter((block) => !block.cidr.includes(':'));
  const nat64 = ipv4.map((block) => ({ cidr: nat64Cidr(block.cidr), what: `${block.what}, through NAT64 (${block.cidr})` }));
  return [...NEVER_EXTERNAL, ...metadata, ...nat64];
}

/**
 * The `egressDeny` rule of a Cilium-mode allowlist: every denied block, excepting the allowed blocks inside it
 * (only `EgressTarget.cloudMetadata` targets get there: a CIDR target overlapping a denied block is refused), and
 * without a denied block that such a target names exactly (an except cannot be the block itself).
 */
export function ciliumEgressDeny(allowed: string[]): CiliumEgressDenyRule {
  const range = (cidr: string) => parseCidrRange(cidr)!;
  const same = (a: CidrRange, b: CidrRange) => a.version === b.version && a.first === b.first && a.last === b.last;
  return {
    toCIDRSet: ciliumDeniedBlocks()
      .filter((block) => !allowed.some((cidr) => same(range(cidr), range(block.cidr))))
      .map((block) => {
        const except = allowed.filter((cidr) => contains(range(block.cidr), range(cidr)));
        return except.length > 0 ? { cidr: block.cidr, except } : { cidr: block.cidr };
      }),
  };
}

function contains(outer: CidrRange, inner: CidrRange): boolean {
  return outer.version === inner.version && outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether the except blocks together hold every address of a range. */
function covered(range: CidrRange, except: CidrRange[]): boolean {
  let next = range.first;
  const sorted = except.filter((e) => e.version === range.version).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  for (const e of sorted) {
    if (e.first > next) break;
    if (e.last + 1n > next) next = e.last + 1n;
  }
  return next > range.last;
}

/**
 * Refuses a Cilium-mode CIDR target that holds addresses of a denied block (`ciliumDeniedBlocks`) without excepting
 * them: Cilium's deny would drop that part silently, and the allowlist would not say what it does. A block inside a
 * denied one allows nothing at all; a block around one must except it (which also excepts the metadata addresses).
 */
export function refuseDeniedOverlap(where: string, value: string, block: CheckedIpBlock): void {
  const range = parseCidrRange(block.cidr.text)!;
  const except = block.except.map((e) => parseCidrRange(e.text)!);
  const denied = ciliumDeniedBlocks().map((d) => ({ ...d, range: parseCidrRange(d.cidr)! }));
  const around = denied.find((d) => contains(d.range, range));
  if (around) {
    throw inputError(where, `Cilium mode: egress target CIDR ${quote(value)} lies inside ${around.cidr} (${around.what}), which the allowlist's egressDeny `
      + 'refuses whatever a rule allows (no DNS answer may lead there)', 'remove the target; for a cloud credential endpoint use EgressTarget.cloudMetadata(address, reason)');
  }
  const missing = denied.filter((d) => contains(range, d.range) && !covered(d.range, except));
  if (missing.length > 0) {
    const kept = block.except.filter((e) => !missing.some((d) => contains(d.range, parseCidrRange(e.text)!))).map((e) => e.text);
    const list = [...kept, ...missing.map((d) => d.cidr)];
    throw inputError(where, `Cilium mode: egress target CIDR ${quote(value)} holds ${missing.map((d) => `${d.cidr} (${d.what})`).join(', ')}, which the allowlist's `
      + 'egressDeny refuses whatever a rule allows (no DNS answer may lead there)', `add ${missing.map((d) => quote(d.cidr)).join(', ')} to exceptCidrs (exceptCidrs: ${JSON.stringify(list)})`);
  }
}

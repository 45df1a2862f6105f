import { canonicalHostname, specialHostnameUnder, validateExternalHostname } from './hostnames';
import { inputError, quote } from '../core/errors';
import { checkString } from '../core/prop-checks';

/**
 * Zones of private names that no public DNS serves: `.internal` (reserved for private use by ICANN, and where
 * cloud metadata and instance names live: `metadata.google.internal`, `instance-data.ec2.internal`), `.local`
 * (multicast DNS, and the default cluster domain `cluster.local`) and `.arpa` (reverse lookups, `home.arpa` home
 * networks). Top-level domains the Public Suffix List does not know are refused besides these.
 */
const PRIVATE_ZONES = ['internal', 'local', 'arpa'];

/** What the Public Suffix List says of the names right below a domain. */
interface Registration {
  /** The registrable domain of the domain itself (null: the domain is a public suffix). */
  readonly domain: string | null;
  /** The registrable domain of a name right below it. */
  readonly below: string | null;
  /** The public suffix of a name right below it. */
  readonly suffix: string;
  /** Which section of the list that suffix comes from; `none` when no rule matched (a top-level domain no public DNS has). */
  readonly section: 'ICANN' | 'private' | 'none';
}

/**
 * Judges a domain with the Public Suffix List (tldts, ICANN and private sections), loaded on first use: importing
 * the library must not load the list.
 */
function registration(domain: string): Registration {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tldts = require('tldts') as typeof import('tldts');
  const options = { allowPrivateDomains: true, extractHostname: false, detectIp: false };
  const below = tldts.parse(`x.${domain}`, options);
  return {
    domain: tldts.getDomain(domain, options),
    below: below.domain,
    suffix: below.publicSuffix ?? domain,
    section: below.isIcann ? 'ICANN' : below.isPrivate ? 'private' : 'none',
  };
}

/** A host right below a domain to show in a fix: one the checks accept (the domain itself when a label no longer fits). */
function hostBelow(domain: string): string {
  return `api.${domain}`.length <= 253 ? `api.${domain}` : domain;
}

/**
 * Checks a host pattern for Cilium's `toFQDNs.matchPattern` and returns it canonical (lower case, one trailing dot
 * dropped): `*.` and a fixed domain, which Cilium matches as every name one label below the domain.
 *
 * Refused, judging every name the pattern can match (at any depth below the domain, which is wider than Cilium's
 * one label, so a later widening of `*` cannot slip through):
 * - any other form: `*`, `**.` (any depth), and a `*` anywhere else (`metadata.*`, `*internal`, `*.goog*.internal`),
 *   where Cilium's `*` matches any characters of a label;
 * - a domain `validateExternalHostname` refuses, and one with a name below it that it refuses (the single list of
 *   metadata, loopback, API server and in-cluster names: `*.google.internal` holds `metadata.google.internal`);
 * - a domain under `.internal`, `.local`, `.arpa`, the in-cluster zones (`.svc`, `cluster.local`) or a top-level
 *   domain the Public Suffix List does not know (`.corp`, `.lan`: private names);
 * - a wildcard right over a public suffix of the Public Suffix List, ICANN or private section (`*.co.uk`,
 *   `*.github.io`, `*.s3.amazonaws.com`), and a domain that is itself one or shorter (`*.uk`): every party that
 *   registers a name there would be reachable. At least one fixed label lies below the public suffix.
 */
export function validateHostPattern(where: string, given: string): string {
  const pattern = checkString(where, 'egress host pattern', given);
  // The fixed part as written: validateExternalHostname judges its dots (one trailing dot, no empty label).
  const fixed = pattern.startsWith('*.') ? pattern.slice(2) : undefined;
  if (fixed === undefined || fixed === '' || fixed === '.' || fixed.includes('*')) {
    const reach = /^\*+$/.test(canonicalHostname(pattern)) ? 'every host, which re-opens all egress'
      : 'names nobody listed: Cilium\'s "*" matches any characters of a label wherever it stands, and "**." any depth';
    throw inputError(where, `egress host pattern ${quote(pattern)} is not "*." and a fixed domain: it would reach ${reach}`,
      'write "*." and the domain the hosts share, e.g. EgressTarget.hostPattern("*.api.example.com", { tcp: [443] }), or list each host with EgressTarget.host');
  }
  const domain = validateExternalHostname(where, `the domain of egress host pattern ${quote(pattern)} (RFC 1123)`, fixed);
  const under = specialHostnameUnder(domain);
  if (under) {
    throw inputError(where, `egress host pattern ${quote(pattern)} matches ${under.name}, ${under.special.what}`, under.special.inCluster ? under.special.fix
      : 'list each external host the workload connects to, e.g. EgressTarget.host("api.example.com", { tcp: [443] })');
  }
  const psl = registration(domain);
  const zone = PRIVATE_ZONES.find((z) => domain === z || domain.endsWith(`.${z}`)) ?? (psl.section === 'none' ? psl.suffix.split('.').pop() : undefined);
  if (zone !== undefined) {
    throw inputError(where, `egress host pattern ${quote(pattern)} lies under .${zone}, a zone of private or infrastructure names `
      + '(private use, multicast DNS, reverse lookups, or a top-level domain the public DNS does not have)', `list each host the workload connects to, e.g. EgressTarget.host(${quote(hostBelow(domain))}, { tcp: [443] })`);
  }
  if (psl.domain === null || psl.below !== psl.domain) {
    const registered = registration(`x.example.${psl.suffix}`).below ?? `example.${psl.suffix}`;
    throw inputError(where, `egress host pattern ${quote(pattern)} matches every name right below ${quote(psl.suffix)}, a public suffix (Public Suffix List, `
      + `${psl.section} section): hosts of every party that registers a name there`,
    `name a domain registered under it, e.g. EgressTarget.hostPattern(${quote(`*.${registered}`)}, { tcp: [443] }), or list each host with EgressTarget.host`);
  }
  return `*.${domain}`;
}

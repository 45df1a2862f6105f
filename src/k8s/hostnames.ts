import { inputError, quote } from '../core/errors';
import { validateDnsSubdomain } from '../core/names';

/** Why a host name cannot be the destination of an external service. */
export interface SpecialHostname {
  /** What the name reaches, e.g. "the loopback interface". */
  readonly what: string;
  /** How to reach what the user probably meant. */
  readonly fix: string;
  /** Whether the name is a Service inside the cluster (fine for in-cluster targets, not for external ones). */
  readonly inCluster: boolean;
}

const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);
/**
 * Names for loopback besides `localhost`: the kubelet writes `ip6-localhost` and `ip6-loopback` (::1) into every
 * pod's /etc/hosts, and distributions' /etc/hosts (hostNetwork pods, images' resolvers) add the others.
 */
const LOOPBACK_NAMES = new Set([
  'ip6-localhost', 'ip6-loopback', 'localhost.localdomain', 'localhost4', 'localhost4.localdomain4', 'localhost6', 'localhost6.localdomain6',
]);
/** The other names the kubelet writes into every pod's /etc/hosts: IPv6 special addresses, never a service. */
const KUBELET_HOSTS_NAMES: { readonly [name: string]: string } = Object.freeze({
  'ip6-localnet': 'fe00::0', 'ip6-mcastprefix': 'fe00::0', 'ip6-allnodes': 'fe00::1', 'ip6-allrouters': 'fe00::2',
});
const API_SERVER_NAMES = new Set(['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']);
/** Zones every name of which is loopback (`*.localhost`, RFC 6761). */
const LOOPBACK_ZONES = ['localhost'];
/** Zones every name of which is a Service inside the cluster (the default cluster domain). */
const IN_CLUSTER_ZONES = ['svc', 'cluster.local'];

/**
 * A host name as DNS compares it: lower case, without the one trailing dot of a fully qualified name
 * (`API.Example.com.` and `api.example.com` are the same host).
 */
export function canonicalHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

/**
 * What a canonical host name reaches when it is not an ordinary external name: loopback (`localhost`,
 * `*.localhost`, RFC 6761, and the other loopback names of /etc/hosts: `ip6-localhost`, `ip6-loopback`,
 * `localhost.localdomain`, …), the special IPv6 names the kubelet writes into /etc/hosts (`ip6-allnodes`,
 * `ip6-allrouters`, `ip6-localnet`, `ip6-mcastprefix`), a cloud metadata service (`metadata.google.internal`, `instance-data`, …),
 * the Kubernetes API server (`kubernetes.default.svc…`), a Service inside the cluster (`*.svc`,
 * `*.cluster.local`), or an address in disguise (an all-numeric last label, which resolvers read as an
 * IPv4 number such as `2852039166` = 169.254.169.254).
 */
export function specialHostname(canonical: string): SpecialHostname | undefined {
  if (LOOPBACK_ZONES.some((zone) => canonical === zone || canonical.endsWith(`.${zone}`)) || LOOPBACK_NAMES.has(canonical)) {
    return { what: 'the loopback interface of the pod itself', fix: 'name the service\'s own host', inCluster: false };
  }
  if (Object.prototype.hasOwnProperty.call(KUBELET_HOSTS_NAMES, canonical)) {
    return {
      what: `the special IPv6 address ${KUBELET_HOSTS_NAMES[canonical]} the pod's /etc/hosts maps it to (written by the kubelet)`,
      fix: 'name the service\'s own host',
      inCluster: false,
    };
  }
  if (METADATA_NAMES.has(canonical)) {
    return { what: 'the cloud instance metadata service, which hands out the node\'s credentials', fix: 'do not let workloads reach the metadata service', inCluster: false };
  }
  if (API_SERVER_NAMES.has(canonical)) {
    return { what: 'the Kubernetes API server', fix: 'grant API access through a ServiceAccount and RBAC, not an egress target', inCluster: false };
  }
  if (IN_CLUSTER_ZONES.some((zone) => canonical.endsWith(`.${zone}`))) {
    return { what: 'a Service inside the cluster', fix: 'use EgressTarget.pods(...) or EgressTarget.namespace(...) for in-cluster targets', inCluster: true };
  }
  const last = canonical.split('.').pop() ?? '';
  if (/^(0x[0-9a-f]+|[0-9]+)$/.test(last)) {
    return { what: 'an IP address written as a name (resolvers read an all-numeric name as an address)', fix: 'write the address itself, or the real host name', inCluster: false };
  }
  return undefined;
}

/** A name under a domain that specialHostname refuses, and why. */
export interface SpecialNameUnder {
  /** The name, e.g. `metadata.google.internal` under `google.internal`. */
  readonly name: string;
  /** What it reaches. */
  readonly special: SpecialHostname;
}

/**
 * A name strictly under a canonical domain, at any depth (`a.domain`, `a.b.domain`), that specialHostname refuses,
 * or undefined when specialHostname refuses none: what a wildcard over the domain could reach. Judged by the
 * same lists specialHostname uses: the fixed names under the domain (metadata, loopback, API server names), the
 * loopback and in-cluster zones that overlap it, and a numeric last label.
 */
export function specialHostnameUnder(domain: string): SpecialNameUnder | undefined {
  const fixed = [...METADATA_NAMES, ...LOOPBACK_NAMES, ...Object.keys(KUBELET_HOSTS_NAMES), ...API_SERVER_NAMES];
  // A name in a zone below the domain (x.cluster.local under local), and one right below it (x.domain: the domain's
  // own zone, its last label).
  const candidates = [...[...LOOPBACK_ZONES, ...IN_CLUSTER_ZONES].map((zone) => `x.${zone}`), `x.${domain}`, ...fixed];
  for (const name of candidates.filter((candidate) => candidate.endsWith(`.${domain}`))) {
    const special = specialHostname(name);
    if (special) return { name, special };
  }
  return undefined;
}

/**
 * Checks the host name of a service outside the cluster and returns it canonical: a DNS-1123 subdomain
 * that is not loopback, a metadata service, the API server, an in-cluster Service or a disguised address.
 */
export function validateExternalHostname(where: string, what: string, hostname: string): string {
  if (typeof hostname !== 'string') throw inputError(where, `${what} is ${typeof hostname}, not a host name`, 'pass a host name such as "api.example.com"');
  if (/\.\.|^\./.test(hostname) || hostname.endsWith('..')) {
    throw inputError(where, `${what} ${quote(hostname)} has an empty label`, 'remove the extra dots, e.g. "api.example.com"');
  }
  const canonical = validateDnsSubdomain(where, what, canonicalHostname(hostname));
  const special = specialHostname(canonical);
  if (special) {
    throw inputError(where, `${what} ${quote(hostname)} is ${special.what}, not a service outside the cluster`, special.fix);
  }
  return canonical;
}

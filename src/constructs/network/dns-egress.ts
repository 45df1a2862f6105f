import { k8s } from 'cdk8s-plus-27';
import { inputError, quote } from '../../core/errors';
import { validateLabels } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkPropsObject, checkString, checkStringMap, PropKeys } from '../../core/prop-checks';
import { cloudMetadataAddress, specialAddress } from '../../k8s/addresses';
import { mappedIpv4, parseIp, validateCidr } from '../../k8s/cidr';
import { dnsEgressRule } from '../../k8s/dns';

/** Options of a custom DNS egress allowance. */
export interface CustomDnsEgressOptions {
  /** Labels of the namespace the DNS pods run in (at least one: any namespace could run look-alike pods). */
  readonly namespaceLabels: { [key: string]: string };
  /** Labels of the DNS pods. */
  readonly podLabels: { [key: string]: string };
}

type Render = (where: string) => Plain<k8s.NetworkPolicyEgressRule> | undefined;

const CUSTOM_DNS_EGRESS_OPTIONS: PropKeys<CustomDnsEgressOptions> = { namespaceLabels: true, podLabels: true };

/**
 * Where pods of a default-deny namespace may send DNS queries (UDP and TCP 53).
 *
 * The factories check their input when a construct uses them (the error names that construct): node-local DNS
 * is one address, never a block or a metadata address; a custom DNS server is selected in named namespaces.
 */
export class DnsEgress {
  /** The cluster DNS: pods `k8s-app: kube-dns` in the namespace labelled `kubernetes.io/metadata.name: kube-system`. */
  public static kubeDns(): DnsEgress {
    return new DnsEgress(() => dnsEgressRule());
  }

  /**
   * NodeLocal DNSCache, listening on one link-local (or other node) address of every node: an IPv4 or IPv6
   * address, or its /32 or /128 block. Blocks of more than one address, cloud metadata, loopback,
   * unspecified and multicast addresses are refused.
   */
  public static nodeLocal(address: string = '169.254.20.10'): DnsEgress {
    return new DnsEgress((where) => ({ ...dnsEgressRule(), to: [{ ipBlock: { cidr: nodeLocalCidr(where, address) } }] }));
  }

  /** DNS pods selected by labels (e.g. a DNS server of your own), in the namespaces with the given labels. */
  public static custom(options: CustomDnsEgressOptions): DnsEgress {
    return new DnsEgress((where) => {
      if (options === null || typeof options !== 'object' || Array.isArray(options)) {
        throw inputError(where, 'the options of DnsEgress.custom are not an object', 'pass { namespaceLabels: { … }, podLabels: { … } }');
      }
      checkPropsObject(where, options, CUSTOM_DNS_EGRESS_OPTIONS, 'the options of DnsEgress.custom');
      const namespaceLabels = checkStringMap(where, 'namespaceLabels of DnsEgress.custom', options.namespaceLabels);
      const podLabels = checkStringMap(where, 'podLabels of DnsEgress.custom', options.podLabels);
      if (Object.keys(namespaceLabels).length === 0) {
        throw inputError(
          where,
          'namespaceLabels of DnsEgress.custom is empty, which selects every namespace: any tenant could run pods with these labels and answer the queries',
          'name the DNS server\'s namespace, e.g. namespaceLabels: { "kubernetes.io/metadata.name": "dns" }',
        );
      }
      return {
        ...dnsEgressRule(),
        to: [{
          namespaceSelector: { matchLabels: validateLabels(where, { ...namespaceLabels }) },
          podSelector: { matchLabels: validateLabels(where, { ...podLabels }) },
        }],
      };
    });
  }

  /** No DNS egress: pods resolve nothing (only for workloads that use IP addresses alone). */
  public static none(): DnsEgress {
    return new DnsEgress(() => undefined);
  }

  private constructor(private readonly render: Render) {}

  /**
   * The egress rule, if any, checked; errors name the construct.
   * @internal
   */
  public _ruleFor(where: string): Plain<k8s.NetworkPolicyEgressRule> | undefined {
    return this.render(where);
  }
}

/** The single-host block of the node-local DNS address, checked. */
function nodeLocalCidr(where: string, given: unknown): string {
  const text = checkString(where, 'the address of DnsEgress.nodeLocal', given);
  const [addressText, prefixText] = text.split('/');
  const ip = parseIp(addressText);
  if (!ip) {
    throw inputError(where, `DnsEgress.nodeLocal address ${quote(text)} is not an IPv4 or IPv6 address`, 'pass the address node-local DNS listens on, e.g. "169.254.20.10"');
  }
  const hostPrefix = ip.version === 4 ? 32 : 128;
  const cidr = validateCidr(where, prefixText === undefined ? `${addressText}/${hostPrefix}` : text);
  if (cidr.prefix !== hostPrefix) {
    throw inputError(
      where,
      `DnsEgress.nodeLocal address ${quote(text)} is a block of more than one address, and node-local DNS listens on one`,
      `pass the one address (e.g. "169.254.20.10", or ${quote(`${cidr.address}/${hostPrefix}`)})`,
    );
  }
  const v4 = mappedIpv4(ip);
  if (v4) {
    throw inputError(where, `DnsEgress.nodeLocal address ${quote(text)} is IPv4-mapped`, `write the IPv4 address ${quote(v4.bytes.join('.'))}`);
  }
  const metadata = cloudMetadataAddress(ip);
  if (metadata) {
    throw inputError(where, `DnsEgress.nodeLocal address ${quote(text)} is the cloud metadata service ${metadata}, not a DNS cache`, 'pass the address node-local DNS listens on, e.g. "169.254.20.10"');
  }
  const special = specialAddress(ip);
  if (special && !special.what.startsWith('link-local')) {
    throw inputError(where, `DnsEgress.nodeLocal address ${quote(text)} is ${special.what}, which no DNS cache answers on for a pod`, 'pass the address node-local DNS listens on, e.g. "169.254.20.10"');
  }
  return cidr.text;
}

import { k8s } from 'cdk8s-plus-27';
import { dnsEgressRule, validateCidr, validateLabels } from '../baseline';
import { Plain } from '../baseline/plain';

/** Options of a custom DNS egress allowance. */
export interface CustomDnsEgressOptions {
  /** Labels of the namespace the DNS pods run in. */
  readonly namespaceLabels: { [key: string]: string };
  /** Labels of the DNS pods. */
  readonly podLabels: { [key: string]: string };
}

/** Where pods of a default-deny namespace may send DNS queries (UDP and TCP 53). */
export class DnsEgress {
  /** The cluster DNS: pods `k8s-app: kube-dns` in the namespace labelled `kubernetes.io/metadata.name: kube-system`. */
  public static kubeDns(): DnsEgress {
    return new DnsEgress(dnsEgressRule());
  }

  /** NodeLocal DNSCache, listening on a link-local address of every node. */
  public static nodeLocal(address: string = '169.254.20.10'): DnsEgress {
    const cidr = validateCidr('DnsEgress.nodeLocal', address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`);
    return new DnsEgress({ ...dnsEgressRule(), to: [{ ipBlock: { cidr: cidr.text } }] });
  }

  /** DNS pods selected by labels (e.g. a DNS server of your own). */
  public static custom(options: CustomDnsEgressOptions): DnsEgress {
    validateLabels('DnsEgress.custom', { ...options.namespaceLabels, ...options.podLabels });
    return new DnsEgress({
      ...dnsEgressRule(),
      to: [{ namespaceSelector: { matchLabels: options.namespaceLabels }, podSelector: { matchLabels: options.podLabels } }],
    });
  }

  /** No DNS egress: pods resolve nothing (only for workloads that use IP addresses alone). */
  public static none(): DnsEgress {
    return new DnsEgress(undefined);
  }

  private constructor(
    /**
     * The egress rule, if any.
     * @internal
     */
    public readonly _rule: Plain<k8s.NetworkPolicyEgressRule> | undefined,
  ) {}
}

import { ApiObject, Chart, Names } from 'cdk8s';
import { IPodSelector, k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { EgressTarget, EgressTargetKind } from './egress-target';
import { kubeSelector } from './peers';
import { inputError, quote, recommendedLabels, suggestDnsLabel, validateDnsLabel } from '../baseline';
import { Plain } from '../baseline/plain';
import * as istio from '../imports/networking.istio.io';
import { kube } from '../kube/objects';

/** How egress is enforced. */
export enum EgressMode {
  /**
   * Kubernetes NetworkPolicy only: IP blocks, pods and namespaces; host names are refused.
   */
  KUBERNETES = 'kubernetes',
  /**
   * Istio: a ServiceEntry per external host or IP block and a Sidecar with `outboundTrafficPolicy:
   * REGISTRY_ONLY` (unlisted hosts are blocked by the proxy), plus the NetworkPolicy as a second layer.
   */
  ISTIO = 'istio',
}

/** Props of {@link EgressAllowlist}. */
export interface EgressAllowlistProps {
  /** The workload whose pods may connect out (a SecureDeployment or any cdk8s-plus-27 pod selector). */
  readonly workload: IPodSelector;
  /** What the workload may connect to, with ports. */
  readonly allow: EgressTarget[];
  /**
   * How egress is enforced.
   * @default EgressMode.KUBERNETES
   */
  readonly mode?: EgressMode;
  /**
   * Name of the objects created.
   * @default - a unique DNS label derived from the construct path
   */
  readonly name?: string;
}

/** Addresses that are never "the internet": private, carrier-grade NAT, link-local and unique-local ranges. */
const NON_PUBLIC_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8'];
const NON_PUBLIC_V6 = ['fc00::/7', 'fe80::/10', '::1/128'];

/**
 * Denied unless listed: egress from a workload's pods only to the listed targets and ports.
 *
 * With `EgressMode.KUBERNETES` (the default) this is a NetworkPolicy, which matches IP blocks, pods and
 * namespaces but not host names. With `EgressMode.ISTIO` a ServiceEntry per external host or block and a
 * Sidecar with `REGISTRY_ONLY` make the proxy refuse every unlisted host; the NetworkPolicy then allows
 * host targets' ports to public addresses only (it cannot see names) and the sidecar's connection to istiod.
 */
export class EgressAllowlist extends Construct {
  /** The NetworkPolicy. */
  public readonly networkPolicy: ApiObject;
  /** The ServiceEntries (Istio mode), networking.istio.io/v1. */
  public readonly serviceEntries: ApiObject[] = [];
  /** The Sidecar (Istio mode), networking.istio.io/v1. */
  public readonly sidecar?: ApiObject;

  public constructor(scope: Construct, id: string, props: EgressAllowlistProps) {
    super(scope, id);
    const where = `EgressAllowlist ${this.node.path}`;
    const mode = props.mode ?? EgressMode.KUBERNETES;
    const name = validateDnsLabel(where, 'name', props.name ?? Names.toDnsLabel(this));
    if (props.allow.length === 0) {
      throw inputError(where, 'allow lists no target', 'list at least one EgressTarget, or leave the workload with DNS only by omitting this construct');
    }
    const selectorConfig = props.workload.toPodSelectorConfig();
    const podSelector = kubeSelector(selectorConfig.labelSelector);
    const namespace = selectorConfig.namespaces?.names?.length === 1 ? selectorConfig.namespaces.names[0] : undefined;
    const labels = recommendedLabels(where, { name, instance: name, component: 'egress-allowlist', partOf: suggestDnsLabel(Chart.of(this).node.id) });
    const metadata = (objectName: string) => ({ name: objectName, namespace, labels });

    const egress: Plain<k8s.NetworkPolicyEgressRule>[] = props.allow.map((target) => {
      if (target.kind === EgressTargetKind.HOST && mode === EgressMode.ISTIO) {
        target._hostname(where);
        return { to: publicAddresses(), ports: target._kubePorts(where) };
      }
      return target._rule(where);
    });

    if (mode === EgressMode.ISTIO) {
      egress.push({
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
        ports: [{ protocol: 'TCP', port: 15012 }],
      });
      const sidecarHosts = new Set(['./*', 'istio-system/*']);
      for (const target of props.allow) {
        if (target.kind === EgressTargetKind.HOST || target.kind === EgressTargetKind.CIDR) {
          this.serviceEntries.push(this.serviceEntry(where, name, target, metadata));
        } else {
          for (const peer of target._peer(where)) {
            const ns = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
            if (ns) sidecarHosts.add(`${ns}/*`);
          }
        }
      }
      this.sidecar = new istio.Sidecar(this, 'Sidecar', {
        metadata: metadata(name),
        spec: {
          workloadSelector: { labels: podSelector.matchLabels ?? {} },
          outboundTrafficPolicy: { mode: istio.SidecarSpecOutboundTrafficPolicyMode.REGISTRY_UNDERSCORE_ONLY },
          egress: [{ hosts: [...sidecarHosts] }],
        },
      });
    }

    this.networkPolicy = kube.networkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(`${name}-egress`.slice(0, 63)),
      spec: { podSelector, policyTypes: ['Egress'], egress },
    });
  }

  private serviceEntry(
    where: string,
    name: string,
    target: EgressTarget,
    metadata: (objectName: string) => any,
  ): ApiObject {
    const ports = target._ports(where).map((p) => {
      if (p.protocol !== 'TCP' || p.endPort !== undefined) {
        throw inputError(
          where,
          `Istio mode: ${p.protocol} ${p.endPort ? `range ${p.port}-${p.endPort}` : `port ${p.port}`} of ${quote(target.value)} cannot be listed in a ServiceEntry`,
          'list single TCP ports for hosts and IP blocks in Istio mode',
        );
      }
      const protocol = p.port === 443 ? 'TLS' : 'TCP';
      return { number: p.port, name: `${protocol.toLowerCase()}-${p.port}`, protocol };
    });
    const isHost = target.kind === EgressTargetKind.HOST;
    const host = isHost ? target._hostname(where) : undefined;
    const block = isHost ? undefined : target._cidr(where).block;
    const slug = suggestDnsLabel(host ?? block!.text.replace(/[/:.]/g, '-'));
    return new istio.ServiceEntry(this, `ServiceEntry-${slug}`, {
      metadata: metadata(`${name}-${slug}`.slice(0, 63).replace(/-+$/, '')),
      spec: {
        hosts: [host ?? `${slug}.${name}.egress.internal`],
        addresses: block ? [block.text] : undefined,
        location: istio.ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
        resolution: isHost ? istio.ServiceEntrySpecResolution.DNS : istio.ServiceEntrySpecResolution.NONE,
        ports,
        exportTo: ['.'],
      },
    });
  }
}

function publicAddresses(): Plain<k8s.NetworkPolicyPeer>[] {
  return [
    { ipBlock: { cidr: '0.0.0.0/0', except: NON_PUBLIC_V4 } },
    { ipBlock: { cidr: '::/0', except: NON_PUBLIC_V6 } },
  ];
}

// CiliumNetworkPolicy (cilium.io/v2), typed by hand for the fields the library emits, as src/kube types the core
// kinds: a generated class of this CRD would be larger than the rest of the library. The tests and CI validate
// the output against ../shared/crds/cilium, strictly.

/** A port (or range) and protocol. */
export interface CiliumPortProtocol {
  /** A port number, as a string. */
  readonly port: string;
  /** The last port of a range. */
  readonly endPort?: number;
  /** TCP, UDP, SCTP or ANY. */
  readonly protocol: string;
}

/** Ports, optionally with L7 (DNS) rules. */
export interface CiliumPortRule {
  readonly ports: CiliumPortProtocol[];
  readonly rules?: { readonly dns: Array<{ readonly matchName?: string; readonly matchPattern?: string }> };
}

/** One egress rule: to FQDNs, CIDRs or endpoints, on ports. */
export interface CiliumEgressRule {
  readonly toFQDNs?: Array<{ readonly matchName?: string; readonly matchPattern?: string }>;
  readonly toCIDRSet?: Array<{ readonly cidr: string; readonly except?: string[] }>;
  readonly toEndpoints?: Array<{ readonly matchLabels: { readonly [key: string]: string } }>;
  readonly toPorts: CiliumPortRule[];
}

/**
 * One egress deny rule: to CIDRs, on every port. Cilium enforces it over every allow rule, of this policy and any
 * other that selects the endpoint.
 */
export interface CiliumEgressDenyRule {
  readonly toCIDRSet: Array<{ readonly cidr: string; readonly except?: string[] }>;
}

/** The props of a CiliumNetworkPolicy. */
export interface CiliumNetworkPolicyProps {
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: { readonly [key: string]: string } };
  readonly spec: {
    readonly endpointSelector: { readonly matchLabels?: { readonly [key: string]: string }; readonly matchExpressions?: any[] };
    readonly egress: CiliumEgressRule[];
    readonly egressDeny?: CiliumEgressDenyRule[];
  };
}

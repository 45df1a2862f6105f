import { CanaryRoutingPlan, gatewayApiPlan, istioPlan, replicaPlan } from './canary-routing-plan';

/**
 * A header condition that sends a request to the canary. Set exactly one of exact, prefix, regex (not empty).
 * Header names are case-insensitive: a name may be matched only once.
 */
export interface HeaderMatch {
  /** The header name, e.g. `user-agent`. */
  readonly name: string;
  /**
   * The value, exactly.
   * @default - not matched exactly
   */
  readonly exact?: string;
  /**
   * A prefix of the value.
   * @default - not matched by prefix
   */
  readonly prefix?: string;
  /**
   * A regular expression in RE2 syntax (what Envoy runs), matched against the whole value, e.g. `.*Safari.*` or
   * `(?i).*safari.*`. Look-around, back-references and possessive repetitions are refused; at most 1024 bytes.
   * @default - not matched by expression
   */
  readonly regex?: string;
}

/** Options of Istio routing. */
export interface IstioCanaryOptions {
  /**
   * Requests with all these headers go to the canary, whatever the weight.
   * @default - none
   */
  readonly matchHeaders?: HeaderMatch[];
  /**
   * Mirror every request to the canary (responses from the canary are discarded). Mirroring suits
   * idempotent requests only: a mirrored POST is executed twice. With weight 0 this is a dark launch.
   * @default false
   */
  readonly mirror?: boolean;
}

/** The Gateway a route attaches to. */
export interface GatewayReference {
  /** The Gateway's name. */
  readonly name: string;
  /**
   * The Gateway's namespace, whose Gateway pods the workloads' NetworkPolicies let through.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * The listener of the Gateway.
   * @default - all listeners
   */
  readonly sectionName?: string;
}

/** Options of Gateway API routing. */
export interface GatewayApiCanaryOptions {
  /** The Gateway the HTTPRoute attaches to. */
  readonly gateway: GatewayReference;
  /**
   * Host names the route serves: DNS names, optionally under a wildcard label (`*.example.com`); a bare `*`,
   * IP addresses and trailing dots are refused, as the Gateway API refuses them.
   * @default - every host name of the listener
   */
  readonly hostnames?: string[];
  /**
   * Requests with all these headers go to the canary: exact values or regular expressions (a prefix becomes an expression).
   * @default - none
   */
  readonly matchHeaders?: HeaderMatch[];
  /**
   * Mirror every request to the canary with a RequestMirror filter. Idempotent requests only.
   * @default false
   */
  readonly mirror?: boolean;
}

/** How traffic is split between the stable and the canary version (each kind renders its own objects). */
export class CanaryRouting {
  /**
   * No mesh: one Service selects both versions, and the weight is the share of canary replicas.
   *
   * The replica counts must therefore represent the weight exactly.
   */
  public static replicas(): CanaryRouting {
    return new CanaryRouting(() => replicaPlan(), {});
  }

  /** Istio: a DestinationRule with a subset per version and a VirtualService with exact weights, header routes and mirroring. */
  public static istio(options: IstioCanaryOptions = {}): CanaryRouting {
    return new CanaryRouting((where) => istioPlan(where, options), options);
  }

  /** Gateway API: an HTTPRoute with weighted backendRefs to one Service per version, header matches and a RequestMirror filter. */
  public static gatewayApi(options: GatewayApiCanaryOptions): CanaryRouting {
    return new CanaryRouting((where) => gatewayApiPlan(where, options), options);
  }

  private constructor(
    private readonly plan: (where: string) => CanaryRoutingPlan,
    private readonly options: IstioCanaryOptions,
  ) {}

  /** Header conditions that send requests to the canary. */
  public get matchHeaders(): HeaderMatch[] {
    return this.options?.matchHeaders ?? [];
  }

  /** Whether requests are mirrored to the canary. */
  public get mirror(): boolean {
    return this.options?.mirror ?? false;
  }

  /**
   * The routing checked for a pair (errors name the pair): what it deploys and the objects it renders.
   * @internal
   */
  public _plan(where: string): CanaryRoutingPlan {
    return this.plan(where);
  }
}

import { BlueGreenPlan, gatewayApiBlueGreenPlan, istioBlueGreenPlan, servicesBlueGreenPlan } from './blue-green-routing-plan';
import type { GatewayReference, HeaderMatch } from './canary-routing';

/** Options of Istio blue/green routing. */
export interface IstioBlueGreenOptions {
  /**
   * Requests with all these headers go to the idle slot: how tests reach the next version through the mesh before
   * it takes the traffic.
   * @default - none: the idle slot is reached only through the `<name>-preview` Service
   */
  readonly previewHeaders?: HeaderMatch[];
}

/** Options of Gateway API blue/green routing. */
export interface GatewayApiBlueGreenOptions {
  /** The Gateway the route attaches to. */
  readonly gateway: GatewayReference;
  /**
   * The host names the route serves.
   * @default - every host name of the listener
   */
  readonly hostnames?: string[];
  /**
   * Requests with all these headers go to the idle slot (tests of the next version through the Gateway).
   * @default - none
   */
  readonly previewHeaders?: HeaderMatch[];
}

/**
 * How a BlueGreenDeployment's traffic reaches the active slot, and tests the idle one. Controller-free: the switch is
 * a props change (`active`). Every routing writes the `<name>` Service (the active slot, or both slots under Istio,
 * whose VirtualService then routes) and a `<name>-preview` Service selecting the idle slot; with Istio or the Gateway
 * API both weights are written, 100 and 0 (an omitted weight would count as 1: a silent even split).
 */
export class BlueGreenRouting {
  /** Services only: `<name>` selects the active slot, `<name>-preview` the idle one. */
  public static services(): BlueGreenRouting {
    return new BlueGreenRouting(() => servicesBlueGreenPlan());
  }

  /**
   * Istio: `<name>` selects both slots, a DestinationRule has a subset per slot, and a VirtualService sends 100 % to the
   * active subset and 0 % to the idle one (both written); preview headers reach the idle subset.
   */
  public static istio(options: IstioBlueGreenOptions = {}): BlueGreenRouting {
    return new BlueGreenRouting((where) => istioBlueGreenPlan(where, options));
  }

  /**
   * Gateway API: an HTTPRoute whose default rule has both slots' Services as backends, weights 100 and 0 (both
   * written); preview headers reach the idle slot.
   */
  public static gatewayApi(options: GatewayApiBlueGreenOptions): BlueGreenRouting {
    return new BlueGreenRouting((where) => gatewayApiBlueGreenPlan(where, options));
  }

  private constructor(private readonly plan: (where: string) => BlueGreenPlan) {}

  /**
   * The routing checked for a deployment (errors name it).
   * @internal
   */
  public _plan(where: string): BlueGreenPlan {
    return this.plan(where);
  }
}

// The generated (src/imports/) Istio and Gateway API classes, loaded on first use: most apps never emit these kinds, and
// loading them costs every app at `require('cdk8s-hardened')`. The object factory (`kube` in objects.ts) is the only
// caller: constructs create these kinds through it, with the modules' types and no module of their own to load.
import type * as GatewayApi from '../imports/gateway.networking.k8s.io';
import type * as IstioNetworking from '../imports/networking.istio.io';

/** networking.istio.io/v1: DestinationRule, ServiceEntry, Sidecar, VirtualService. */
export function istio(): typeof IstioNetworking {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../imports/networking.istio.io');
}

/** gateway.networking.k8s.io/v1: HTTPRoute. */
export function gateway(): typeof GatewayApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../imports/gateway.networking.k8s.io');
}

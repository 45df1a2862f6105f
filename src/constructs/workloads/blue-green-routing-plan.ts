// How each kind of blue/green routing checks its options and renders its objects. Internal to the library:
// BlueGreenDeployment asks its BlueGreenRouting for a plan and never switches on the kind of routing.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { GatewayApiBlueGreenOptions, IstioBlueGreenOptions } from './blue-green-routing';
import { checkGateway, CheckedHeader, checkHeaders, checkRouteHostnames, gatewayHeaderMatches, istioHeaderMatch } from './canary-routing-plan';
import type { SecureDeployment } from './secure-deployment';
import { checkPropsObject, PropKeys } from '../../core/prop-checks';
import { kube } from '../../k8s/objects';
import { DEFAULT_PORT_NAME } from '../../k8s/ports';

/** The label that tells the slots apart. */
export const SLOT_LABEL = 'slot';

/** What a blue/green plan renders from. */
export interface BlueGreenContext {
  readonly scope: Construct;
  readonly name: string;
  readonly namespace?: string;
  readonly port: number;
  readonly labels: { [key: string]: string };
  /** The slot that takes the traffic, and its workload. */
  readonly active: { readonly slot: string; readonly workload: SecureDeployment };
  /** The other slot, if it runs. */
  readonly idle?: { readonly slot: string; readonly workload: SecureDeployment };
}

/** A blue/green routing, checked. */
export interface BlueGreenPlan {
  /** Whether each slot has its own Service (the Gateway API routes to Services). */
  readonly servicePerSlot: boolean;
  /** The namespace of the Gateway, whose proxies must reach the slots. */
  readonly gatewayNamespace?: string;
  /** The routing objects. */
  render(context: BlueGreenContext): ApiObject[];
}

const ISTIO_OPTIONS: PropKeys<IstioBlueGreenOptions> = { previewHeaders: true };
const GATEWAY_API_OPTIONS: PropKeys<GatewayApiBlueGreenOptions> = { gateway: true, hostnames: true, previewHeaders: true };

/** Services only. */
export function servicesBlueGreenPlan(): BlueGreenPlan {
  return { servicePerSlot: false, render: (context) => slotServices(context, false) };
}

/** Istio: subsets per slot, a VirtualService with both weights and preview header routes. */
export function istioBlueGreenPlan(where: string, options: IstioBlueGreenOptions): BlueGreenPlan {
  const checked = checkPropsObject(where, options, ISTIO_OPTIONS, 'BlueGreenRouting.istio options');
  const headers = checkHeaders(where, 'BlueGreenRouting.istio previewHeaders', checked.previewHeaders, 'istio');
  return { servicePerSlot: false, render: (context) => [...slotServices(context, true), ...istioObjects(context, headers)] };
}

/** Gateway API: an HTTPRoute with both slots' Services as weighted backends and preview header rules. */
export function gatewayApiBlueGreenPlan(where: string, options: GatewayApiBlueGreenOptions): BlueGreenPlan {
  const checked = checkPropsObject(where, options, GATEWAY_API_OPTIONS, 'BlueGreenRouting.gatewayApi options');
  const gateway = checkGateway(where, checked.gateway, 'BlueGreenRouting.gatewayApi gateway');
  const hostnames = checkRouteHostnames(where, checked.hostnames);
  const headers = gatewayHeaderMatches(where, checkHeaders(where, 'BlueGreenRouting.gatewayApi previewHeaders', checked.previewHeaders, 'gateway-api'));
  return {
    servicePerSlot: true,
    gatewayNamespace: gateway.namespace,
    render: (context) => {
      const backend = (workload: SecureDeployment, weight: number) => ({ name: workload.name, port: context.port, weight });
      const idle = context.idle;
      const previewRules = idle && headers.length ? [{ matches: [{ headers }], backendRefs: [backend(idle.workload, 1)] }] : [];
      const route = kube.httpRoute(context.scope, 'HttpRoute', {
        metadata: { name: context.name, namespace: context.namespace, labels: context.labels },
        spec: {
          parentRefs: [{ name: gateway.name, namespace: gateway.namespace, sectionName: gateway.sectionName }],
          hostnames,
          rules: [
            ...previewRules,
            { backendRefs: [backend(context.active.workload, 100), ...(idle ? [backend(idle.workload, 0)] : [])] },
          ],
        },
      });
      return [...slotServices(context, false), route];
    },
  };
}

/** `<name>` (the active slot, or both for a mesh that routes) and `<name>-preview` (the idle slot). */
function slotServices(context: BlueGreenContext, bothSlots: boolean): ApiObject[] {
  const service = (id: string, name: string, slot?: string) => kube.service(context.scope, id, {
    metadata: { name, namespace: context.namespace, labels: context.labels },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': context.name, ...(slot ? { [SLOT_LABEL]: slot } : {}) },
      ports: [{ name: DEFAULT_PORT_NAME, port: context.port, targetPort: DEFAULT_PORT_NAME, protocol: 'TCP' }],
    },
  });
  return [
    service('Service', context.name, bothSlots ? undefined : context.active.slot),
    ...(context.idle ? [service('PreviewService', `${context.name}-preview`, context.idle.slot)] : []),
  ];
}

function istioObjects(context: BlueGreenContext, headers: CheckedHeader[]): ApiObject[] {
  const host = context.namespace ? `${context.name}.${context.namespace}.svc.cluster.local` : context.name;
  const metadata = { name: context.name, namespace: context.namespace, labels: context.labels };
  const slots = [context.active, ...(context.idle ? [context.idle] : [])];
  const rule = kube.destinationRule(context.scope, 'DestinationRule', {
    metadata,
    spec: { host, subsets: slots.map(({ slot }) => ({ name: slot, labels: { [SLOT_LABEL]: slot } })) },
  });
  const idle = context.idle;
  const previewRoutes = idle && headers.length ? [{
    name: 'preview-by-header',
    match: [{ headers: istioHeaderMatch(headers) }],
    route: [{ destination: { host, subset: idle.slot } }],
  }] : [];
  const service = kube.virtualService(context.scope, 'VirtualService', {
    metadata,
    spec: {
      hosts: [host],
      http: [...previewRoutes, {
        name: 'active',
        route: [
          { destination: { host, subset: context.active.slot }, weight: 100 },
          ...(idle ? [{ destination: { host, subset: idle.slot }, weight: 0 }] : []),
        ],
      }],
    },
  });
  return [rule, service];
}

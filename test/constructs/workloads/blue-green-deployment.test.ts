import {
  BlueGreenDeployment, BlueGreenDeploymentProps, BlueGreenRouting, BlueGreenSlot, Policy, PolicyPack,
} from '../../../src';
import { errorOf, Manifest, schemaFindings, synth, testChart } from '../../support/helpers';

const ALL_PACKS = { packs: [...PolicyPack.defaults(), PolicyPack.BASELINE] };
const V1 = 'ghcr.io/acme/shop:1.0.0';
const V2 = 'ghcr.io/acme/shop:2.0.0';
const GATEWAY = { name: 'public', namespace: 'gateways' };

function blueGreen(props: Partial<BlueGreenDeploymentProps> = {}) {
  const { app, chart } = testChart();
  const deployment = new BlueGreenDeployment(chart, 'shop', {
    port: 8080, active: BlueGreenSlot.BLUE, blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 3 }, ...props,
  });
  return { app, chart, deployment, manifests: synth(chart) };
}

const named = (manifests: Manifest[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name)!;
/** The slot label each Service selects (undefined: both slots). */
const selectedSlot = (manifests: Manifest[], name: string) => named(manifests, 'Service', name).spec.selector.slot;

describe('BlueGreenDeployment: controller-free switching with Services', () => {
  test('stage 1 — blue active, green idle: shop selects blue, shop-preview selects green (snapshot)', () => {
    // GIVEN blue serving 1.0.0 and green holding 2.0.0 for tests
    const { app, manifests } = blueGreen();
    // THEN the stable Service reaches blue and the preview Service green
    expect(selectedSlot(manifests, 'shop')).toBe('blue');
    expect(selectedSlot(manifests, 'shop-preview')).toBe('green');
    // AND each slot is a hardened Deployment with its own PodDisruptionBudget
    expect(manifests.filter((m) => m.kind === 'Deployment').map((m) => [m.metadata.name, m.spec.template.metadata.labels.slot, m.spec.replicas]))
      .toEqual([['shop-blue', 'blue', 3], ['shop-green', 'green', 3]]);
    expect(manifests.filter((m) => m.kind === 'PodDisruptionBudget').map((m) => m.metadata.name)).toEqual(['shop-blue', 'shop-green']);
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
    expect(manifests).toMatchSnapshot();
  });

  test('stage 2 — the switch: green active; blue kept for rollback behind shop-preview', () => {
    const { manifests } = blueGreen({ active: BlueGreenSlot.GREEN });
    expect(selectedSlot(manifests, 'shop')).toBe('green');
    expect(selectedSlot(manifests, 'shop-preview')).toBe('blue');
    // The Deployments are the same objects as before the switch: only the Services' selectors changed
    expect(manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name)).toEqual(['shop-blue', 'shop-green']);
  });

  test('keepPrevious: false runs only the active slot, and there is no preview', () => {
    const { manifests, deployment } = blueGreen({ active: BlueGreenSlot.GREEN, keepPrevious: false });
    expect(manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name)).toEqual(['shop-green']);
    expect(named(manifests, 'Service', 'shop-preview')).toBeUndefined();
    expect(deployment.idleWorkload).toBeUndefined();
  });

  test('a first release: only the active slot has a version', () => {
    const { manifests } = blueGreen({ green: undefined });
    expect(manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name)).toEqual(['shop-blue']);
  });
});

describe('BlueGreenDeployment with a mesh or a Gateway: both weights written, 100 and 0', () => {
  test('Istio: shop selects both slots; the VirtualService sends 100 to the active subset, 0 to the idle one; the preview header reaches the idle', () => {
    // GIVEN Istio routing with a preview header
    const { app, manifests } = blueGreen({ routing: BlueGreenRouting.istio({ previewHeaders: [{ name: 'x-preview', exact: 'true' }] }) });
    const host = 'shop.shop.svc.cluster.local';
    // THEN
    expect(selectedSlot(manifests, 'shop')).toBeUndefined();
    expect(named(manifests, 'DestinationRule', 'shop').spec.subsets).toEqual([
      { name: 'blue', labels: { slot: 'blue' } }, { name: 'green', labels: { slot: 'green' } },
    ]);
    expect(named(manifests, 'VirtualService', 'shop').spec.http).toEqual([
      { name: 'preview-by-header', match: [{ headers: { 'x-preview': { exact: 'true' } } }], route: [{ destination: { host, subset: 'green' } }] },
      { name: 'active', route: [{ destination: { host, subset: 'blue' }, weight: 100 }, { destination: { host, subset: 'green' }, weight: 0 }] },
    ]);
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
  });

  test('Gateway API: the route\'s default rule has both slots as backends with weights 100 and 0; the preview rule reaches the idle slot', () => {
    // GIVEN Gateway API routing, green active
    const { app, manifests } = blueGreen({
      active: BlueGreenSlot.GREEN,
      routing: BlueGreenRouting.gatewayApi({ gateway: GATEWAY, hostnames: ['shop.example.com'], previewHeaders: [{ name: 'x-preview', exact: 'true' }] }),
    });
    // THEN
    const route = named(manifests, 'HTTPRoute', 'shop');
    expect(route.spec.rules).toEqual([
      { matches: [{ headers: [{ type: 'Exact', name: 'x-preview', value: 'true' }] }], backendRefs: [{ name: 'shop-blue', port: 8080, weight: 1 }] },
      { backendRefs: [{ name: 'shop-green', port: 8080, weight: 100 }, { name: 'shop-blue', port: 8080, weight: 0 }] },
    ]);
    // AND the Gateway's namespace reaches the slots
    const policy = named(manifests, 'NetworkPolicy', 'shop-green');
    expect(JSON.stringify(policy.spec.ingress)).toContain('"kubernetes.io/metadata.name":"gateways"');
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
  });
});

describe('BlueGreenDeployment refuses an unsafe switch, with the fix', () => {
  test('switching to a slot with no image', () => {
    const error = errorOf(() => blueGreen({ active: BlueGreenSlot.GREEN, green: undefined })).message;
    expect(error).toBe('BlueGreenDeployment shop/shop: the active slot green has nothing in it (no green version with an image); '
      + 'give green a version ({ image: "…" }), or keep blue active');
  });

  test('switching to a slot with fewer replicas than the other', () => {
    const error = errorOf(() => blueGreen({ active: BlueGreenSlot.GREEN, green: { image: V2, replicas: 1 } })).message;
    expect(error).toMatch(/the active slot green runs 1 replicas, fewer than the 3 of blue: it would take blue's traffic with fewer pods; scale green to at least 3 replicas/);
  });

  test('two slots with one version', () => {
    expect(() => blueGreen({ green: { image: V1, replicas: 3 } })).toThrow(/blue and green run the same version \(image "ghcr.io\/acme\/shop:1.0.0", same configuration\)/);
  });

  test('an active value that is not a slot (JavaScript callers)', () => {
    expect(() => blueGreen({ active: 'purple' as BlueGreenSlot })).toThrow(/active "purple" is not a slot; use BlueGreenSlot.BLUE or BlueGreenSlot.GREEN/);
  });

  test('a smaller idle slot is fine while it is idle (tests run on fewer pods)', () => {
    expect(() => blueGreen({ green: { image: V2, replicas: 1 } })).not.toThrow();
  });
});

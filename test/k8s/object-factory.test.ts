import type * as cdk8s from 'cdk8s';

interface FreshLibrary {
  readonly lib: typeof import('../../src');
  readonly kube: typeof import('../../src/k8s/objects').kube;
  /** A chart of the library's own cdk8s (a fresh module registry has its own `Lazy`, which only it resolves). */
  readonly chart: cdk8s.Chart;
  readonly synth: (chart: cdk8s.Chart) => any[];
  /** The generated modules loaded so far. */
  readonly loaded: string[];
}

/** Loads the library afresh, recording which generated modules (src/imports/) it loads. */
function freshLibrary(namespace: string | undefined = 'shop'): FreshLibrary {
  const loaded: string[] = [];
  let lib: any;
  let kube: any;
  let cdk8sModule: typeof cdk8s;
  jest.isolateModules(() => {
    for (const module of ['networking.istio.io', 'gateway.networking.k8s.io']) {
      jest.doMock(`../../src/imports/${module}`, () => {
        loaded.push(module);
        return jest.requireActual(`../../src/imports/${module}`);
      });
    }
    /* eslint-disable @typescript-eslint/no-require-imports -- a fresh module registry is reached through require */
    lib = require('../../src');
    kube = require('../../src/k8s/objects').kube;
    cdk8sModule = require('cdk8s');
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  const chart = new cdk8sModule!.Chart(cdk8sModule!.Testing.app(), 'shop', { namespace });
  return { lib, kube, chart, synth: (c) => cdk8sModule.Testing.synth(c), loaded };
}

const IMAGE = 'ghcr.io/acme/web:1.4.2';

describe('one object factory', () => {
  test('apps that emit no Istio or Gateway API kind never load their generated classes', () => {
    // GIVEN a fresh library
    const { lib, chart, synth, loaded } = freshLibrary();
    // WHEN an app uses constructs that emit core kinds and hand-typed CRDs only, and synthesizes
    const web = new lib.SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, metrics: { port: 9090 } });
    new lib.EgressAllowlist(chart, 'egress', { workload: web, allow: [lib.EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })] });
    new lib.CanaryPair(chart, 'reco', { port: 8080, stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/web:1.5.0' }, canaryWeight: 25 });
    synth(chart);
    // THEN neither generated module was loaded
    expect(loaded).toEqual([]);
  });

  test('the generated module loads with the first object of one of its kinds, once', () => {
    // GIVEN a fresh library
    const { lib, chart, loaded } = freshLibrary();
    // WHEN two canary pairs route with Istio
    for (const id of ['a', 'b']) {
      new lib.CanaryPair(chart, id, {
        port: 8080, stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/web:1.5.0' }, canaryWeight: 25, routing: lib.CanaryRouting.istio(),
      });
    }
    // THEN only the Istio module was loaded (the module system loads it once)
    expect(loaded).toEqual(['networking.istio.io']);
  });

  test('a generated kind takes plain props: a string enum is written as its value', () => {
    // GIVEN the factory
    const { kube, chart, synth } = freshLibrary();
    // WHEN a Sidecar is made with the enum's value
    kube.sidecar(chart, 'Sidecar', { metadata: { name: 'web' }, spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } });
    // THEN the manifest holds it, under the kind's group and version
    expect(synth(chart)).toEqual([{
      apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'web', namespace: 'shop' }, spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    }]);
  });

  test('Argo Rollouts kinds load no generated module and keep their IntOrString fields (the generated classes would drop them)', () => {
    // GIVEN a fresh library, recording the generated modules it loads (argoproj.io among them)
    const loaded: string[] = [];
    let kube: any;
    let cdk8sModule: typeof cdk8s;
    jest.isolateModules(() => {
      jest.doMock('../../src/imports/argoproj.io', () => {
        loaded.push('argoproj.io');
        return jest.requireActual('../../src/imports/argoproj.io');
      });
      /* eslint-disable @typescript-eslint/no-require-imports */
      kube = require('../../src/k8s/objects').kube;
      cdk8sModule = require('cdk8s');
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
    const chart = new cdk8sModule!.Chart(cdk8sModule!.Testing.app(), 'shop', { namespace: 'shop' });
    // WHEN an AnalysisTemplate with IntOrString limits and a Rollout with a pause are made
    kube.analysisTemplate(chart, 'AnalysisTemplate', {
      metadata: { name: 'gate' },
      spec: { metrics: [{ name: 'm', count: 5, failureLimit: 1, consecutiveErrorLimit: 4, provider: { prometheus: { address: 'http://p:9090', query: 'q' } } }] },
    });
    kube.rollout(chart, 'Rollout', { metadata: { name: 'web' }, spec: { strategy: { canary: { steps: [{ pause: { duration: 30 } }] } } } });
    const [template, rollout] = cdk8sModule!.Testing.synth(chart);
    // THEN the values are written as given, and the generated module was never loaded
    expect(template.spec.metrics[0]).toMatchObject({ count: 5, failureLimit: 1, consecutiveErrorLimit: 4 });
    expect(rollout.spec.strategy.canary.steps).toEqual([{ pause: { duration: 30 } }]);
    expect(loaded).toEqual([]);
  });

  test('core kinds and hand-typed CRDs come from the same factory', () => {
    const { kube, chart, synth } = freshLibrary(undefined);
    kube.configMap(chart, 'ConfigMap', { metadata: { name: 'cfg' }, data: { a: 'b' } });
    kube.podMonitor(chart, 'PodMonitor', {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }] },
    });
    expect(synth(chart).map((m: any) => `${m.apiVersion} ${m.kind}`)).toEqual(['v1 ConfigMap', 'monitoring.coreos.com/v1 PodMonitor']);
  });
});

describe('core kinds are written out, not read from cdk8s-plus-27 (which the library loads only when an app uses it)', () => {
  test('each kind\'s apiVersion and kind are cdk8s-plus-27\'s GVK', () => {
    // GIVEN cdk8s-plus-27's low-level classes and the library's factory
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { k8s } = require('cdk8s-plus-27');
    const { kube } = require('../../src/k8s/objects');
    const { App, Chart } = require('cdk8s');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const chart = new Chart(new App(), 'c');
    const classOf: { [factory: string]: string } = {
      configMap: 'KubeConfigMap',
      deployment: 'KubeDeployment',
      endpointSlice: 'KubeEndpointSlice',
      horizontalPodAutoscaler: 'KubeHorizontalPodAutoscalerV2',
      job: 'KubeJob',
      limitRange: 'KubeLimitRange',
      namespace: 'KubeNamespace',
      networkPolicy: 'KubeNetworkPolicy',
      podDisruptionBudget: 'KubePodDisruptionBudget',
      priorityClass: 'KubePriorityClass',
      resourceQuota: 'KubeResourceQuota',
      role: 'KubeRole',
      roleBinding: 'KubeRoleBinding',
      secret: 'KubeSecret',
      service: 'KubeService',
      serviceAccount: 'KubeServiceAccount',
      statefulSet: 'KubeStatefulSet',
    };
    // WHEN each factory builds an object / THEN it carries the GVK cdk8s-plus-27 would have written
    for (const [factory, kubeClass] of Object.entries(classOf)) {
      const object = kube[factory](chart, factory, { metadata: { name: 'x' } });
      expect({ factory, apiVersion: object.apiVersion, kind: object.kind }).toEqual({ factory, ...k8s[kubeClass].GVK });
    }
    // ...and every core-kind factory is in the table
    const core = Object.keys(kube).filter((f) => !['ciliumNetworkPolicy', 'clusterImagePolicy', 'podMonitor', 'serviceMonitor', 'destinationRule',
      'serviceEntry', 'sidecar', 'virtualService', 'httpRoute', 'analysisTemplate', 'rollout', 'authorizationPolicy', 'peerAuthentication'].includes(f));
    expect(core.sort()).toEqual(Object.keys(classOf).sort());
  });
});

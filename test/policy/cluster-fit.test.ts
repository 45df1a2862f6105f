import { policyObject } from '../../src/k8s/policy-object';
import { formatMillis, quantityMillis } from '../../src/k8s/quantity-value';
import { PolicyPack } from '../../src/policy/pack';
import { PolicyReport } from '../../src/policy/report';
import { PolicyRule } from '../../src/policy/rule-api/rule';
import {
  CLUSTER_FIT_RULES, DnsReachableRule, HpaReplicasRule, LimitRangeRule, MetadataUnreachableRule, MigrationReachesDatabaseRule, PdbEvictionRule,
  QuotaServiceTypeRule, SelectorMatchesRule,
} from '../../src/policy/rules/cluster';
import { ServiceExposureRule } from '../../src/policy/rules/nsa/service-exposure';
import { companions, hardenedDeployment } from '../support/fixtures';

type Finding = { ruleId: string; object: string; message: string };

/** Evaluates the rules; `acknowledged` gives the reason a rule's findings are accepted for every object. */
function report(rules: PolicyRule[], manifests: any[], acknowledged: (ruleId: string) => string | undefined = () => undefined) {
  const objects = manifests.map((m, i) => policyObject(m, 'test/o' + i));
  const lookup = (_: unknown, ruleId: string): any => {
    const reason = acknowledged(ruleId);
    return reason === undefined ? undefined : { ruleId, scope: 'test', reason, appWide: false };
  };
  return PolicyReport._evaluate(objects, [PolicyPack.of('test', rules)], lookup);
}

/** Unacknowledged findings as `{ ruleId, object: Kind/name, message }`. */
function findings(rule: PolicyRule, manifests: any[]): Finding[] {
  return report([rule], manifests).findings.map((f) => ({ ruleId: f.ruleId, object: `${f.kind}/${f.name}`, message: f.message }));
}

/** The objects the rule judged compliant, as Kind/name. */
function passed(rule: PolicyRule, manifests: any[]): string[] {
  const objects = manifests.map((m, i) => policyObject(m, 'test/o' + i));
  return rule.evaluate(objects).filter((r) => r.compliant).map((r) => `${objects[r.objectIndex].kind}/${objects[r.objectIndex].name}`);
}

// ---------- literal fixtures ----------

const labelsOf = (name: string) => ({ 'app.kubernetes.io/instance': name });

interface WorkloadOptions {
  readonly kind?: string;
  readonly replicas?: any;
  readonly namespace?: string;
  readonly containers?: any[];
  readonly initContainers?: any[];
}

function workload(name: string, options: WorkloadOptions = {}): any {
  const podSpec: any = { containers: options.containers ?? [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0' }] };
  if (options.initContainers) podSpec.initContainers = options.initContainers;
  const template = { metadata: { labels: labelsOf(name) }, spec: podSpec };
  const kind = options.kind ?? 'Deployment';
  const spec: any = kind === 'CronJob' ? { schedule: '@daily', jobTemplate: { spec: { template } } } : { selector: { matchLabels: labelsOf(name) }, template };
  if (options.replicas !== undefined) spec.replicas = options.replicas;
  const apiVersion = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  return { apiVersion, kind, metadata: { name, namespace: options.namespace ?? 'shop' }, spec };
}

function service(name: string, spec: any, namespace = 'shop'): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 80 }], ...spec } };
}

function quota(hard: any, extra: any = {}, namespace = 'shop', name = 'quota'): any {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace }, spec: { hard, ...extra } };
}

function limitRange(limits: any[], namespace = 'shop', name = 'limits'): any {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name, namespace }, spec: { limits } };
}

function pdb(name: string, spec: any, namespace = 'shop'): any {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace }, spec: { selector: { matchLabels: labelsOf(name) }, ...spec } };
}

function hpa(name: string, target: string, spec: any = {}, kind = 'Deployment', apiVersion = 'apps/v1'): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'shop' },
    spec: { scaleTargetRef: { apiVersion, kind, name: target }, minReplicas: 2, maxReplicas: 10, ...spec },
  };
}

function container(resources: any, name = 'app'): any {
  return { name, image: 'ghcr.io/acme/app:1.0.0', resources };
}

// ---------- quantities ----------

describe('quantityMillis', () => {
  test.each([
    ['100m', 100n], ['0.3', 300n], ['300m', 300n], ['1', 1000n], [2, 2000n], [0.5, 500n], ['1Ki', 1024000n], ['128Mi', 134217728000n],
    ['1e3', 1000000n], ['1E', 10n ** 21n], ['.5', 500n], ['5.', 5000n], ['+2', 2000n], ['0.1m', 1n], ['1e-999999', 1n], ['-0.1m', 0n],
  ])('%p is %p thousandths, rounded up like the API server', (quantity, millis) => {
    expect(quantityMillis(quantity)).toBe(millis);
  });

  test.each([[''], ['.'], ['abc'], ['1Gb'], [' 2'], ['1e99999999'], [null], [undefined], [{}], [NaN], [Infinity], [['1']]])('%p is not a quantity', (input) => {
    // GIVEN hostile input THEN no value, no exception
    expect(quantityMillis(input)).toBeUndefined();
  });

  test('"300m" and "0.3" compare equal, which floating point gets wrong', () => {
    expect(quantityMillis('300m')).toBe(quantityMillis('0.3'));
    expect(300 * 1e-3 === 0.1 * 3).toBe(false);
  });

  test.each([[1500n, '1500m'], [2000n, '2'], [402653184000n, '384Mi'], [128000000000n, '128M'], [0n, '0']])('formatMillis(%p) is %p', (millis, text) => {
    expect(formatMillis(millis)).toBe(text);
  });
});

// ---------- K8S-QUOTA-SERVICE-TYPE ----------

describe('K8S-QUOTA-SERVICE-TYPE', () => {
  const rule = new QuotaServiceTypeRule();

  test('a LoadBalancer within the quota is accepted', () => {
    // GIVEN a quota of one LoadBalancer and one LoadBalancer Service
    const manifests = [quota({ 'services.loadbalancers': 1 }), service('lb', { type: 'LoadBalancer' })];
    // THEN no finding, and the Service was judged
    expect(findings(rule, manifests)).toEqual([]);
    expect(passed(rule, manifests)).toEqual(['Service/lb']);
  });

  test('quota 0 and one LoadBalancer: refused', () => {
    const manifests = [quota({ 'services.loadbalancers': 0 }), service('lb', { type: 'LoadBalancer' })];
    expect(findings(rule, manifests)).toEqual([{
      ruleId: 'K8S-QUOTA-SERVICE-TYPE',
      object: 'Service/lb',
      message: 'ResourceQuota/shop/quota allows services.loadbalancers 0 (no earlier Service of the set takes any); this Service needs 1 '
        + '(it is of type LoadBalancer): the API server refuses it (exceeded quota)',
    }]);
  });

  test('quota 2 and three LoadBalancers: the third is refused, naming the two that took the quota', () => {
    const manifests = [quota({ 'services.loadbalancers': '2' }), ...['a', 'b', 'c'].map((n) => service(n, { type: 'LoadBalancer' }))];
    const found = findings(rule, manifests);
    expect(found.map((f) => f.object)).toEqual(['Service/c']);
    expect(found[0].message).toMatch(/allows services.loadbalancers 2 \(2 already taken by Service\/shop\/a, Service\/shop\/b\)/);
  });

  test('a LoadBalancer takes node ports unless allocateLoadBalancerNodePorts is false', () => {
    // GIVEN no node ports allowed, and LoadBalancers with two ports
    const ports = [{ port: 80 }, { port: 443 }];
    const allocating = [quota({ 'services.nodeports': 0 }), service('lb', { type: 'LoadBalancer', ports })];
    const notAllocating = [quota({ 'services.nodeports': 0 }), service('lb', { type: 'LoadBalancer', ports, allocateLoadBalancerNodePorts: false })];
    const explicit = [quota({ 'services.nodeports': 0 }),
      service('lb', { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }, { port: 443 }], allocateLoadBalancerNodePorts: false })];
    // THEN the allocating one is refused for its two node ports, the other is accepted, and an explicit nodePort still counts
    expect(findings(rule, allocating).map((f) => f.message)).toEqual([expect.stringMatching(
      /allows services.nodeports 0 .*this Service needs 2 \(a LoadBalancer Service takes a node port for each of its 2 ports unless allocateLoadBalancerNodePorts is false\)/,
    )]);
    expect(findings(rule, notAllocating)).toEqual([]);
    expect(findings(rule, explicit).map((f) => f.message)).toEqual([expect.stringMatching(/this Service needs 1 \(allocateLoadBalancerNodePorts is false/)]);
  });

  test('node ports are counted per port, and a refused Service takes nothing from the quota', () => {
    // GIVEN 2 node ports, a NodePort Service with 3 ports, then one with 2
    const manifests = [quota({ 'services.nodeports': 2 }),
      service('big', { type: 'NodePort', ports: [{ port: 1 }, { port: 2 }, { port: 3 }] }), service('small', { type: 'NodePort', ports: [{ port: 1 }, { port: 2 }] })];
    // THEN the first is refused, the second fits
    expect(findings(rule, manifests).map((f) => f.object)).toEqual(['Service/big']);
    expect(passed(rule, manifests)).toEqual(['Service/small']);
  });

  test('the total number of Services (services and count/services) counts every type', () => {
    const three = ['a', 'b', 'c'].map((n) => service(n, {}));
    expect(findings(rule, [quota({ services: 2 }), ...three]).map((f) => f.object)).toEqual(['Service/c']);
    expect(findings(rule, [quota({ 'count/services': '1' }), ...three]).map((f) => f.object)).toEqual(['Service/b', 'Service/c']);
  });

  test('every quota of the namespace applies; scoped quotas and other namespaces do not', () => {
    const lb = service('lb', { type: 'LoadBalancer' });
    expect(findings(rule, [quota({ 'services.loadbalancers': 5 }), quota({ 'services.loadbalancers': 0 }, {}, 'shop', 'strict'), lb])
      .map((f) => f.message)).toEqual([expect.stringMatching(/^ResourceQuota\/shop\/strict allows/)]);
    expect(findings(rule, [quota({ 'services.loadbalancers': 0 }, { scopes: ['BestEffort'] }), lb])).toEqual([]);
    expect(findings(rule, [quota({ 'services.loadbalancers': 0 }, {}, 'other'), lb])).toEqual([]);
  });

  test('acknowledging NSA-SERVICE-EXPOSURE does not hide it', () => {
    // GIVEN the exposure rule acknowledged for every object
    const manifests = [quota({ 'services.loadbalancers': 0 }), service('lb', { type: 'LoadBalancer' })];
    const result = report([new ServiceExposureRule(), rule], manifests, (id) => (id === 'NSA-SERVICE-EXPOSURE' ? 'the public entry point' : undefined));
    // THEN the exposure finding is acknowledged, the quota finding is not
    expect(result.acknowledged.map((f) => f.ruleId)).toEqual(['NSA-SERVICE-EXPOSURE']);
    expect(result.errors.map((f) => f.ruleId)).toEqual(['K8S-QUOTA-SERVICE-TYPE']);
  });

  test('hostile input: odd specs, ports and quantities are judged or skipped without exceptions', () => {
    const manifests = [
      quota(null), quota({ 'services.loadbalancers': { no: 1 } }, {}, 'shop', 'odd'), quota('x' as any, {}, 'shop', 'str'),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nospec', namespace: 'shop' } },
      service('ports', { type: 'NodePort', ports: 'many' }), service('lb', { type: 'LoadBalancer', ports: [null, 7] }),
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'nsless' }, spec: { hard: { services: 0 } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nsless' }, spec: null },
    ];
    expect(findings(rule, manifests)).toEqual([
      { ruleId: 'K8S-QUOTA-SERVICE-TYPE', object: 'Service/nsless', message: expect.stringMatching(/^ResourceQuota\/nsless allows services 0/) },
    ]);
  });
});

// ---------- K8S-LIMIT-RANGE ----------

describe('K8S-LIMIT-RANGE', () => {
  const rule = new LimitRangeRule();
  const range = limitRange([{ type: 'Container', min: { cpu: '50m', memory: '64Mi' }, max: { cpu: '1', memory: '1Gi' } }]);

  test('the hardened fixture fits a min/max LimitRange, and a container with no resources gets values inside it', () => {
    // GIVEN no defaults in the LimitRange: the API server defaults them from max (limits) and min (requests)
    const manifests = [range, hardenedDeployment(), workload('bare')];
    expect(findings(rule, manifests)).toEqual([]);
    expect(passed(rule, manifests)).toEqual(['LimitRange/limits', 'Deployment/web', 'Deployment/bare']);
  });

  test('a limit above max and a request below min are refused', () => {
    const manifests = [range, workload('big', { containers: [container({ requests: { cpu: '10m' }, limits: { cpu: '2' } })] })];
    expect(findings(rule, manifests).map((f) => f.message)).toEqual([
      '/spec/template/spec/containers/0 (app): cpu request 10m is below min 50m of LimitRange/shop/limits (spec.limits[0], type Container): '
        + 'the API server refuses its pods',
      '/spec/template/spec/containers/0 (app): cpu limit 2 is above max 1 of LimitRange/shop/limits (spec.limits[0], type Container): '
        + 'the API server refuses its pods',
    ]);
  });

  test('quantities compare exactly: "300m" is not above "0.3"', () => {
    const manifests = [limitRange([{ type: 'Container', max: { cpu: '0.3' } }]), workload('w', { containers: [container({ limits: { cpu: '300m' } })] })];
    expect(findings(rule, manifests)).toEqual([]);
    expect(findings(rule, [manifests[0], workload('w', { containers: [container({ limits: { cpu: '301m' } })] })]).map((f) => f.message)).toEqual([
      expect.stringMatching(/cpu limit 301m is above max 0.3/), expect.stringMatching(/cpu request 301m \(copied from its limit\) is above max 0.3/),
    ]);
  });

  test('a request left out is copied from the limit before the LimitRange judges it', () => {
    const manifests = [limitRange([{ type: 'Container', min: { cpu: '200m' } }]), workload('w', { containers: [container({ limits: { cpu: '100m' } })] })];
    expect(findings(rule, manifests).map((f) => f.message)).toEqual([
      expect.stringMatching(/cpu request 100m \(copied from its limit\) is below min 200m/),
      expect.stringMatching(/cpu limit 100m is below min 200m/),
    ]);
  });

  test('a limit/request ratio above maxLimitRequestRatio is refused; without request and default, so is the container', () => {
    const ratio = limitRange([{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }]);
    expect(findings(rule, [ratio, workload('w', { containers: [container({ requests: { cpu: '100m' }, limits: { cpu: '500m' } })] })]).map((f) => f.message))
      .toEqual([expect.stringMatching(/cpu limit\/request ratio 5 \(limit 500m \/ request 100m\) is above maxLimitRequestRatio 2 of LimitRange\/shop\/limits/)]);
    expect(findings(rule, [ratio, workload('w', { containers: [container({ requests: { cpu: '250m' }, limits: { cpu: '500m' } })] })])).toEqual([]);
    expect(findings(rule, [ratio, workload('w')]).map((f) => f.message))
      .toEqual([expect.stringMatching(/no cpu request \(or 0\), but LimitRange\/shop\/limits .* sets maxLimitRequestRatio cpu 2/)]);
  });

  test('a default request above the limit a container sets... and a request above a default limit: the pod is invalid', () => {
    const defaults = limitRange([{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }]);
    const manifests = [defaults, workload('w', { containers: [container({ requests: { cpu: '1' } })] })];
    expect(findings(rule, manifests).map((f) => f.message)).toEqual([
      '/spec/template/spec/containers/0 (app): cpu request 1 is greater than its limit 500m (spec.limits[0].default of LimitRange/shop/limits): '
        + 'the API server refuses its pods',
    ]);
  });

  test('a LimitRange whose defaults fall outside its own bounds is a finding on the LimitRange, which then judges no pod', () => {
    // GIVEN a default above max, and a defaultRequest above the default taken from max
    const bad = limitRange([{ type: 'Container', max: { cpu: '1' }, default: { cpu: '2' } }, { type: 'Container', max: { memory: '1Gi' }, defaultRequest: { memory: '2Gi' } }]);
    const manifests = [bad, workload('w', { containers: [container({ limits: { cpu: '4' } })] })];
    // THEN only the LimitRange is flagged, with the values and where they came from
    expect(findings(rule, manifests)).toEqual([
      {
        ruleId: 'K8S-LIMIT-RANGE',
        object: 'LimitRange/limits',
        message: 'spec.limits[0] (type Container): defaultRequest cpu 2 (from spec.limits[0].default) is greater than max cpu 1: the API server refuses the LimitRange',
      },
      { ruleId: 'K8S-LIMIT-RANGE', object: 'LimitRange/limits', message: 'spec.limits[0] (type Container): default cpu 2 is greater than max cpu 1: the API server refuses the LimitRange' },
      {
        ruleId: 'K8S-LIMIT-RANGE',
        object: 'LimitRange/limits',
        message: 'spec.limits[1] (type Container): defaultRequest memory 2Gi is greater than max memory 1Gi: the API server refuses the LimitRange',
      },
      {
        ruleId: 'K8S-LIMIT-RANGE',
        object: 'LimitRange/limits',
        message: 'spec.limits[1] (type Container): defaultRequest memory 2Gi is greater than default memory 1Gi (from spec.limits[1].max): '
          + 'the API server refuses the LimitRange',
      },
    ]);
  });

  test('other contradictions of a LimitRange: min above max, a ratio below 1 or above max/min, defaults on type Pod, a bad quantity', () => {
    const messages = findings(rule, [limitRange([
      { type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } },
      { type: 'Container', min: { memory: '1Gi' }, max: { memory: '2Gi' }, maxLimitRequestRatio: { memory: '3', cpu: '0.5' } },
      { type: 'Pod', default: { cpu: '1' } },
      { type: 'Container', max: { cpu: 'lots' } },
    ])]).map((f) => f.message);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/spec.limits\[0\] \(type Container\): min cpu 2 is greater than max cpu 1/),
      expect.stringMatching(/maxLimitRequestRatio memory 3 is greater than max\/min \(2Gi\/1Gi\)/),
      expect.stringMatching(/maxLimitRequestRatio cpu 0.5 is less than 1/),
      expect.stringMatching(/spec.limits\[2\] \(type Pod\) sets default or defaultRequest/),
      expect.stringMatching(/spec.limits\[3\].max.cpu "lots" is not a quantity/),
    ]));
  });

  test('type Pod: the containers\' sum, or an init container with the sidecars before it, against the pod bounds', () => {
    const podMax = limitRange([{ type: 'Pod', max: { cpu: '1' } }]);
    const twoContainers = workload('w', { containers: [container({ limits: { cpu: '600m' } }, 'a'), container({ limits: { cpu: '600m' } }, 'b')] });
    expect(findings(rule, [podMax, twoContainers]).map((f) => f.message)).toEqual([
      '/spec/template/spec (the pod\'s total): cpu limit 1200m (the sum over its containers) is above max 1 of LimitRange/shop/limits (spec.limits[0], type Pod): '
        + 'the API server refuses the pods',
      '/spec/template/spec (the pod\'s total): cpu request 1200m (the sum over its containers) is above max 1 of LimitRange/shop/limits (spec.limits[0], type Pod): '
        + 'the API server refuses the pods',
    ]);
    // GIVEN a 600m sidecar, then a 500m init container (1100m together), and a 400m container
    const sidecar = workload('s', {
      initContainers: [{ ...container({ limits: { cpu: '600m' } }, 'proxy'), restartPolicy: 'Always' }, container({ limits: { cpu: '500m' } }, 'init')],
      containers: [container({ limits: { cpu: '400m' } })],
    });
    expect(findings(rule, [podMax, sidecar]).map((f) => f.message)).toEqual([
      expect.stringMatching(/cpu limit 1100m \(the sum over its containers\) is above max 1/),
      expect.stringMatching(/cpu request 1100m \(the sum over its containers\) is above max 1/),
    ]);
    expect(findings(rule, [podMax, workload('ok', { containers: [container({ limits: { cpu: '400m' } }, 'a'), container({ limits: { cpu: '600m' } }, 'b')] })]))
      .toEqual([]);
  });

  test('defaults: the first LimitRange that has one wins; LimitRanges of other namespaces do not apply', () => {
    const first = limitRange([{ type: 'Container', default: { cpu: '2' } }], 'shop', 'a');
    const second = limitRange([{ type: 'Container', default: { cpu: '500m' }, max: { cpu: '3' } }], 'shop', 'b');
    expect(findings(rule, [first, second, workload('w')])).toEqual([]);
    const strict = limitRange([{ type: 'Container', max: { cpu: '1' } }], 'other');
    expect(findings(rule, [strict, workload('w', { containers: [container({ limits: { cpu: '4' } })] })])).toEqual([]);
    expect(findings(rule, [first, limitRange([{ type: 'Container', max: { cpu: '1' }, default: { cpu: '1' } }], 'shop', 'c'), workload('w')]).map((f) => f.message))
      .toEqual([
        expect.stringMatching(/cpu limit 2 \(spec.limits\[0\].default of LimitRange\/shop\/a\) is above max 1 of LimitRange\/shop\/c/),
        expect.stringMatching(/cpu request 2 \(spec.limits\[0\].defaultRequest of LimitRange\/shop\/a, from spec.limits\[0\].default\) is above max 1/),
      ]);
  });

  test('CronJobs, Jobs and bare pods are judged too', () => {
    const big = [container({ limits: { cpu: '2' } })];
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: big } };
    const manifests = [range, workload('c', { kind: 'CronJob', containers: big }), workload('j', { kind: 'Job', containers: big }), pod];
    expect([...new Set(findings(rule, manifests).map((f) => `${f.object} ${f.message.split(':')[0]}`))]).toEqual([
      'CronJob/c /spec/jobTemplate/spec/template/spec/containers/0 (app)', 'Job/j /spec/template/spec/containers/0 (app)', 'Pod/p /spec/containers/0 (app)',
    ]);
  });

  test('hostile input: odd limits, resources and containers are skipped without exceptions', () => {
    const manifests = [
      limitRange('none' as any), limitRange([null, 'x', { type: 'Container', max: null, min: 'x' }], 'shop', 'odd'),
      { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'nospec', namespace: 'shop' } },
      workload('w', { containers: [null, 'x', { name: 'c', resources: 'lots' }, container({ limits: { cpu: { big: true } } })] }),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nospec', namespace: 'shop' } },
    ];
    expect(() => findings(rule, manifests)).not.toThrow();
    expect(findings(rule, manifests)).toEqual([]);
  });
});

// ---------- K8S-PDB-EVICTION ----------

describe('K8S-PDB-EVICTION', () => {
  const rule = new PdbEvictionRule();

  test('the hardened fixture\'s budget (maxUnavailable 1) allows evictions', () => {
    const manifests = [hardenedDeployment(), ...companions()];
    expect(findings(rule, manifests)).toEqual([]);
    expect(passed(rule, manifests)).toEqual(['PodDisruptionBudget/web']);
  });

  test.each([[0], ['0%']])('maxUnavailable %p never allows an eviction', (value) => {
    expect(findings(rule, [workload('web', { replicas: 3 }), pdb('web', { maxUnavailable: value })])).toEqual([{
      ruleId: 'K8S-PDB-EVICTION',
      object: 'PodDisruptionBudget/web',
      message: `maxUnavailable is ${JSON.stringify(value)}, so it never allows an eviction and blocks every drain of a node running its pods `
        + '(Deployment/shop/web: 3 replicas)',
    }]);
  });

  test('minAvailable at the replica count, including 1 of a 1-replica workload (replicas defaulted)', () => {
    expect(findings(rule, [workload('web', { replicas: 2 }), pdb('web', { minAvailable: 2 })]).map((f) => f.message))
      .toEqual(['minAvailable 2 is not below the 2 pods it selects, so it never allows an eviction and blocks every drain of a node running its pods '
        + '(Deployment/shop/web: 2 replicas)']);
    expect(findings(rule, [workload('web'), pdb('web', { minAvailable: 1 })]).map((f) => f.message))
      .toEqual([expect.stringMatching(/minAvailable 1 is not below the 1 pod it selects.*\(Deployment\/shop\/web: 1 replica \(spec.replicas defaults to 1\)\)/)]);
    expect(findings(rule, [workload('web', { replicas: 3 }), pdb('web', { minAvailable: 2 })])).toEqual([]);
  });

  test('an autoscaled workload counts at the autoscaler\'s minReplicas', () => {
    const manifests = [workload('web'), hpa('web', 'web', { minReplicas: 2 }), pdb('web', { minAvailable: 2 })];
    expect(findings(rule, manifests).map((f) => f.message)).toEqual([
      'minAvailable 2 is not below the 2 pods it selects, so it allows no eviction while the autoscaler runs minReplicas, and blocks drains of '
        + 'the nodes running its pods (Deployment/shop/web: HorizontalPodAutoscaler/shop/web minReplicas 2)',
    ]);
    expect(findings(rule, [workload('web'), hpa('web', 'web', { minReplicas: 3 }), pdb('web', { minAvailable: 2 })])).toEqual([]);
  });

  test('percentages round up: 100% and 90% of 3 block, 50% of 3 does not', () => {
    expect(findings(rule, [workload('web', { replicas: 3 }), pdb('web', { minAvailable: '100%' })]).map((f) => f.message))
      .toEqual([expect.stringMatching(/^minAvailable is "100%", so it never allows an eviction/)]);
    expect(findings(rule, [workload('web', { replicas: 3 }), pdb('web', { minAvailable: '90%' })]).map((f) => f.message))
      .toEqual([expect.stringMatching(/^minAvailable "90%" of 3 expected pods rounds up to 3, so it never allows an eviction/)]);
    expect(findings(rule, [workload('web', { replicas: 3 }), pdb('web', { minAvailable: '50%' })])).toEqual([]);
  });

  test('a budget over several workloads counts all their pods', () => {
    const shared = { matchLabels: { tier: 'web' } };
    const a = workload('a');
    const b = workload('b');
    a.spec.template.metadata.labels.tier = 'web';
    b.spec.template.metadata.labels.tier = 'web';
    expect(findings(rule, [a, b, pdb('both', { minAvailable: 2, selector: shared })]).map((f) => f.message))
      .toEqual([expect.stringMatching(/minAvailable 2 is not below the 2 pods it selects.*\(Deployment\/shop\/a: 1 replica .*; Deployment\/shop\/b: 1 replica/)]);
    expect(findings(rule, [a, b, pdb('both', { minAvailable: 1, selector: shared })])).toEqual([]);
  });

  test('maxUnavailable or a percentage over DaemonSet or Job pods: no scale subresource, no eviction', () => {
    const daemons = workload('agent', { kind: 'DaemonSet' });
    expect(findings(rule, [daemons, pdb('agent', { maxUnavailable: 1 })]).map((f) => f.message)).toEqual([
      'maxUnavailable 1 needs the scale of the pods\' controller, but it selects pods of DaemonSet/shop/agent, without a scale subresource: '
        + 'the disruption controller cannot compute the expected pods and keeps disruptionsAllowed at 0, so it never allows an eviction and blocks every drain '
        + 'of a node running its pods',
    ]);
    expect(findings(rule, [workload('j', { kind: 'Job' }), pdb('j', { minAvailable: '50%' })])).toHaveLength(1);
    // AND an integer minAvailable works for them (the pod count is not known from the set: no verdict)
    expect(findings(rule, [daemons, pdb('agent', { minAvailable: 1 })])).toEqual([]);
  });

  test('a budget selecting nothing is left to K8S-SELECTOR-MATCHES, unless it can never allow an eviction', () => {
    expect(rule.evaluate([policyObject(pdb('none', { minAvailable: 1 }), 'p')])).toEqual([]);
    expect(findings(rule, [pdb('none', { maxUnavailable: 0 })]).map((f) => f.message)).toEqual([expect.stringMatching(/^maxUnavailable is 0, so it never/)]);
  });

  test('hostile input: odd selectors, counts and values are skipped without exceptions', () => {
    const manifests = [
      workload('web', { replicas: '3' }), pdb('web', { minAvailable: 1 }),
      pdb('x', { selector: 'app=web', minAvailable: 1 }), pdb('y', { selector: null, minAvailable: {} }), pdb('z', { maxUnavailable: 'lots' }),
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'nospec' } },
      hpa('h', 'web', { scaleTargetRef: 'web' }),
    ];
    expect(findings(rule, manifests)).toEqual([]);
  });
});

// ---------- K8S-HPA-REPLICAS ----------

describe('K8S-HPA-REPLICAS', () => {
  const rule = new HpaReplicasRule();

  test('an autoscaled Deployment without spec.replicas is fine', () => {
    const manifests = [workload('web'), hpa('web', 'web')];
    expect(findings(rule, manifests)).toEqual([]);
    expect(passed(rule, manifests).sort()).toEqual(['Deployment/web', 'HorizontalPodAutoscaler/web']);
  });

  test('spec.replicas beside an autoscaler resets the scale on every apply', () => {
    expect(findings(rule, [workload('web', { replicas: 3 }), hpa('web', 'web')])).toEqual([{
      ruleId: 'K8S-HPA-REPLICAS',
      object: 'Deployment/web',
      message: 'sets spec.replicas 3 while HorizontalPodAutoscaler/shop/web scales it (minReplicas 2, maxReplicas 10): every apply resets the scale to 3',
    }]);
  });

  test('any kind the autoscaler names counts (StatefulSet, a custom Rollout); the API group must match when given', () => {
    const rollout = { ...workload('r', { replicas: 2 }), apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' };
    expect(findings(rule, [workload('db', { kind: 'StatefulSet', replicas: 1 }), hpa('db', 'db', {}, 'StatefulSet'), rollout,
      hpa('r', 'r', {}, 'Rollout', 'argoproj.io/v1alpha1')]).map((f) => f.object)).toEqual(['StatefulSet/db', 'Rollout/r']);
    expect(findings(rule, [workload('web', { replicas: 3 }), hpa('web', 'web', {}, 'Deployment', 'example.com/v1')])).toEqual([]);
  });

  test('minReplicas above maxReplicas, and maxReplicas below 1, are refused', () => {
    expect(findings(rule, [hpa('a', 'x', { minReplicas: 5, maxReplicas: 3 })]).map((f) => f.message))
      .toEqual(['minReplicas 5 is greater than maxReplicas 3: the API server refuses it']);
    expect(findings(rule, [hpa('b', 'x', { minReplicas: undefined, maxReplicas: 0 })]).map((f) => f.message))
      .toEqual(['maxReplicas is 0: the API server refuses it (at least 1)']);
  });

  test('two autoscalers on one target: both are flagged', () => {
    expect(findings(rule, [workload('web'), hpa('a', 'web'), hpa('b', 'web')])).toEqual([
      { ruleId: 'K8S-HPA-REPLICAS', object: 'HorizontalPodAutoscaler/a', message: expect.stringMatching(/^Deployment\/shop\/web is also scaled by HorizontalPodAutoscaler\/shop\/b: .*AmbiguousSelector/) },
      { ruleId: 'K8S-HPA-REPLICAS', object: 'HorizontalPodAutoscaler/b', message: expect.stringMatching(/^Deployment\/shop\/web is also scaled by HorizontalPodAutoscaler\/shop\/a/) },
    ]);
  });

  test('hostile input: odd references and counts are skipped without exceptions', () => {
    const manifests = [workload('web', { replicas: null }), hpa('a', 'web', { minReplicas: 'two', maxReplicas: 'ten' }),
      hpa('b', 'web', { scaleTargetRef: null }), { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'c' }, spec: 'x' }];
    expect(findings(rule, manifests)).toEqual([]);
  });
});

// ---------- K8S-SELECTOR-MATCHES ----------

describe('K8S-SELECTOR-MATCHES', () => {
  const rule = new SelectorMatchesRule();

  test('the hardened fixture with its Service, NetworkPolicy, budget and autoscaler matches', () => {
    const manifests = [hardenedDeployment(), ...companions(), service('web', { selector: labelsOf('web') }), hpa('web', 'web')];
    expect(findings(rule, manifests)).toEqual([]);
    expect(passed(rule, manifests).sort()).toEqual(['HorizontalPodAutoscaler/web', 'NetworkPolicy/web', 'PodDisruptionBudget/web', 'Service/web']);
  });

  test('selectors that match no pod template of their namespace are warnings', () => {
    const manifests = [
      workload('web'), service('typo', { selector: { 'app.kubernetes.io/instance': 'wbe' } }),
      service('elsewhere', { selector: labelsOf('web') }, 'other'),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'np', namespace: 'shop' },
        spec: { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] } },
      },
      pdb('gone', {}), hpa('h', 'missing'),
    ];
    expect(findings(rule, manifests)).toEqual([
      { ruleId: 'K8S-SELECTOR-MATCHES', object: 'Service/typo', message: 'spec.selector (app.kubernetes.io/instance=wbe) matches no pod template in namespace shop of the set' },
      { ruleId: 'K8S-SELECTOR-MATCHES', object: 'Service/elsewhere', message: 'spec.selector (app.kubernetes.io/instance=web) matches no pod template in namespace other of the set' },
      { ruleId: 'K8S-SELECTOR-MATCHES', object: 'NetworkPolicy/np', message: 'spec.podSelector (tier in (db, cache)) matches no pod template in namespace shop of the set' },
      { ruleId: 'K8S-SELECTOR-MATCHES', object: 'PodDisruptionBudget/gone', message: 'spec.selector (app.kubernetes.io/instance=gone) matches no pod template in namespace shop of the set' },
      { ruleId: 'K8S-SELECTOR-MATCHES', object: 'HorizontalPodAutoscaler/h', message: 'spec.scaleTargetRef (apps/v1 Deployment/missing) names no object in namespace shop of the set' },
    ]);
    expect(report([rule], manifests).warnings).toHaveLength(5);
  });

  test('selector-less Services, ExternalName Services and empty podSelectors are not judged; a budget without selector is', () => {
    const manifests = [
      service('external', { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'x' } }), service('slices', {}),
      service('empty', { selector: {} }),
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {} } },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'nosel', namespace: 'shop' }, spec: { maxUnavailable: 1 } },
    ];
    expect(findings(rule, manifests)).toEqual([{
      ruleId: 'K8S-SELECTOR-MATCHES', object: 'PodDisruptionBudget/nosel', message: 'has no spec.selector, so it selects no pod (a null selector selects nothing in policy/v1)',
    }]);
  });

  test('an empty budget selector selects every pod of its namespace, and is flagged only when the namespace has none', () => {
    expect(findings(rule, [workload('web'), pdb('all', { selector: {} })])).toEqual([]);
    expect(findings(rule, [workload('web', { namespace: 'other' }), pdb('all', { selector: {} })]).map((f) => f.message))
      .toEqual(['spec.selector (empty: every pod) matches no pod template in namespace shop of the set']);
  });

  test('CronJob, Job and bare Pod templates are matched', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', labels: labelsOf('p') }, spec: { containers: [{ name: 'a', image: 'x:1' }] } };
    const manifests = [workload('c', { kind: 'CronJob' }), service('c', { selector: labelsOf('c') }), workload('j', { kind: 'Job' }),
      service('j', { selector: labelsOf('j') }), pod, service('p', { selector: labelsOf('p') })];
    expect(findings(rule, manifests)).toEqual([]);
  });

  test('hostile input: odd selectors and references are skipped or reported without exceptions', () => {
    const manifests = [
      workload('web'), service('s', { selector: 'app=web' }), service('n', { selector: null }), pdb('p', { selector: [] }),
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' }, spec: { podSelector: { matchExpressions: [{ key: 'a', operator: 'Weird' }] } } },
      hpa('h', 'web', { scaleTargetRef: { kind: 7 } }), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nospec' } },
    ];
    expect(findings(rule, manifests).map((f) => f.object)).toEqual(['PodDisruptionBudget/p', 'NetworkPolicy/np', 'HorizontalPodAutoscaler/h']);
  });
});

// ---------- the reachability rules ----------

const DNS_EGRESS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

function netpol(name: string, podSelector: any, spec: any, namespace = 'shop'): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector, ...spec } };
}

describe('K8S-DNS-REACHABLE', () => {
  const rule = new DnsReachableRule();
  const egressOnly = (egress: any[]) => netpol('web-egress', { matchLabels: labelsOf('web') }, { policyTypes: ['Egress'], egress });

  test('a pod whose egress admits UDP and TCP 53 to kube-dns resolves names; a pod no egress policy selects does too', () => {
    expect(findings(rule, [workload('web'), egressOnly([DNS_EGRESS])])).toEqual([]);
    expect(passed(rule, [workload('web'), egressOnly([DNS_EGRESS])])).toEqual(['Deployment/web']);
    expect(passed(rule, [workload('web')])).toEqual(['Deployment/web']);
  });

  test('default-deny egress without DNS: the finding names the policy that isolates the pod', () => {
    const found = findings(rule, [workload('web'), egressOnly([])]);
    expect(found).toEqual([expect.objectContaining({ ruleId: 'K8S-DNS-REACHABLE', object: 'Deployment/web' })]);
    expect(found[0].message).toMatch(/its pods cannot resolve names: shop\/web\[Deployment\] cannot reach kube-system\/kube-dns\[Deployment\] on UDP 53: denied by egress of shop\/web\[Deployment\] \(NetworkPolicy shop\/web-egress\)/);
  });

  test('UDP 53 alone is a finding of its own (answers too long for UDP are retried over TCP)', () => {
    const udpOnly = { ...DNS_EGRESS, ports: [{ protocol: 'UDP', port: 53 }] };
    expect(findings(rule, [workload('web'), egressOnly([udpOnly])])[0].message).toMatch(/reach DNS on UDP 53 only.*TCP 53/);
  });

  test('kube-dns in the set, isolated for ingress from the namespace, is judged too', () => {
    const dns = { ...workload('coredns', { namespace: 'kube-system' }) };
    dns.spec.template.metadata.labels = { 'k8s-app': 'kube-dns' };
    const dnsIngress = netpol('dns', { matchLabels: { 'k8s-app': 'kube-dns' } }, { policyTypes: ['Ingress'], ingress: [] }, 'kube-system');
    expect(findings(rule, [workload('web'), egressOnly([DNS_EGRESS]), dns, dnsIngress]).map((f) => f.object)).toEqual(['Deployment/web']);
  });

  test('host network, dnsPolicy Default and custom kinds are not judged; dnsPolicy None judges its name servers', () => {
    const host = workload('host');
    host.spec.template.spec.hostNetwork = true;
    const nodeDns = workload('node-dns');
    nodeDns.spec.template.spec.dnsPolicy = 'Default';
    const custom = { ...workload('custom'), apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' };
    const all = netpol('all', {}, { policyTypes: ['Egress'], egress: [] });
    expect(passed(rule, [host, nodeDns, custom, all])).toEqual([]);
    expect(findings(rule, [host, nodeDns, custom, all])).toEqual([]);
    const own = workload('own');
    own.spec.template.spec.dnsPolicy = 'None';
    own.spec.template.spec.dnsConfig = { nameservers: ['10.0.0.53'] };
    const toServer = netpol('own', { matchLabels: labelsOf('own') }, { policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.53/32' } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] });
    expect(passed(rule, [own, toServer])).toEqual(['Deployment/own']);
    expect(findings(rule, [own, all])[0].message).toMatch(/cannot reach 10\.0\.0\.53 on UDP 53/);
  });
});

describe('K8S-MIGRATION-REACHES-DATABASE', () => {
  const rule = new MigrationReachesDatabaseRule();
  function migration(url: string): any {
    const job = workload('migrate', { kind: 'Job', containers: [{ name: 'flyway', image: 'flyway/flyway:10.0.0', env: [{ name: 'FLYWAY_URL', value: url }] }] });
    job.spec.template.metadata.labels['app.kubernetes.io/component'] = 'migration';
    return job;
  }
  const database = () => workload('postgresql', { kind: 'StatefulSet', containers: [{ name: 'pg', image: 'postgres:16.1', ports: [{ name: 'pg', containerPort: 5432 }] }] });
  const dbService = (targetPort: any = 'pg') => service('postgresql', { selector: labelsOf('postgresql'), ports: [{ port: 5432, targetPort }] });
  const jobEgress = (to: any) => netpol('migrate', { matchLabels: labelsOf('migrate') }, { policyTypes: ['Egress'], egress: [DNS_EGRESS, { to: [to], ports: [{ protocol: 'TCP', port: 5432 }] }] });
  const dbIngress = (from: any[]) => netpol('postgresql', { matchLabels: labelsOf('postgresql') }, { policyTypes: ['Ingress'], ingress: [{ from, ports: [{ protocol: 'TCP', port: 5432 }] }] });

  test('a Job allowed out to the database pods, which admit it on the targetPort: compliant (name, name.ns.svc.cluster.local, IP)', () => {
    const wired = [database(), dbService(), jobEgress({ podSelector: {} }), dbIngress([{ podSelector: { matchLabels: labelsOf('migrate') } }])];
    for (const url of ['jdbc:postgresql://postgresql:5432/app', 'jdbc:postgresql://postgresql.shop.svc.cluster.local/app']) {
      expect(findings(rule, [migration(url), ...wired])).toEqual([]);
      expect(passed(rule, [migration(url), ...wired])).toEqual(['Job/migrate']);
    }
    const byAddress = [migration('jdbc:postgresql://10.20.0.5:5432/app'), jobEgress({ ipBlock: { cidr: '10.20.0.0/24' } })];
    expect(passed(rule, byAddress)).toEqual(['Job/migrate']);
  });

  test('the database\'s ingress leaves the Job out: an error naming the policy', () => {
    const found = findings(rule, [migration('jdbc:postgresql://postgresql:5432/app'), database(), dbService(), jobEgress({ podSelector: {} }),
      dbIngress([{ podSelector: { matchLabels: labelsOf('web') } }])]);
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/its migration cannot reach the database postgresql:5432 \(FLYWAY_URL of container flyway\): shop\/migrate\[Job\] cannot reach shop\/postgresql\[StatefulSet\] on TCP 5432: denied by ingress of shop\/postgresql\[StatefulSet\] \(NetworkPolicy shop\/postgresql\)/);
  });

  test('the Job\'s egress leaves the address out; a Service without the port; a targetPort naming no container port', () => {
    expect(findings(rule, [migration('jdbc:postgresql://10.20.0.5/app'), jobEgress({ ipBlock: { cidr: '10.30.0.0/24' } })])[0].message)
      .toMatch(/cannot reach 10\.20\.0\.5 on TCP 5432: denied by egress of shop\/migrate\[Job\]/);
    expect(findings(rule, [migration('jdbc:postgresql://postgresql:6432/app'), database(), dbService()])[0].message).toMatch(/Service shop\/postgresql has no TCP port 6432/);
    expect(findings(rule, [migration('jdbc:postgresql://postgresql/app'), database(), dbService('postgres')])[0].message)
      .toMatch(/targetPort "postgres" of Service shop\/postgresql names no TCP container port of shop\/postgresql\[StatefulSet\]/);
  });

  test('not applicable: a host outside the set, an unreadable URL, a URL from a Secret, a Service selecting nothing', () => {
    const fromSecret = workload('m2', {
      kind: 'Job',
      containers: [{
        name: 'flyway',
        image: 'flyway/flyway:10.0.0',
        env: [{ name: 'FLYWAY_URL', valueFrom: { secretKeyRef: { name: 's', key: 'url' } } }],
      }],
    });
    const manifests = [migration('jdbc:postgresql://db.example.com/app'), fromSecret, service('other', { selector: labelsOf('nothing'), ports: [{ port: 5432 }] })];
    expect(passed(rule, manifests)).toEqual([]);
    expect(passed(rule, [migration('jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=x)))')])).toEqual([]);
    expect(passed(rule, [migration('jdbc:postgresql://other/app'), ...manifests.slice(2)])).toEqual([]);
  });
});

describe('K8S-METADATA-UNREACHABLE', () => {
  const rule = new MetadataUnreachableRule();
  const egress = netpol('web', { matchLabels: labelsOf('web') }, { policyTypes: ['Egress'], egress: [DNS_EGRESS] });
  const cilium = (egressRules: any[], extra: any = {}) => ({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'web-out', namespace: 'shop' },
    spec: { endpointSelector: { matchLabels: labelsOf('web') }, egress: egressRules, ...extra },
  });

  test('a Cilium rule to the world opens what the NetworkPolicies close: an error naming the Cilium rule', () => {
    const found = findings(rule, [workload('web'), egress, cilium([{ toEntities: ['world'] }])]);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].message).toMatch(/reach the cloud metadata address 169\.254\.169\.254 although its NetworkPolicies keep it out: .*CiliumNetworkPolicy shop\/web-out egress rule 0/);
  });

  test('Cilium rules that name other peers, or deny the metadata addresses, add no path', () => {
    expect(passed(rule, [workload('web'), egress, cilium([{ toCIDR: ['10.0.0.0/8'] }])])).toEqual(['Deployment/web']);
    const denied = cilium([{ toEntities: ['world'] }], {
      egressDeny: [{ toCIDRSet: [{ cidr: '169.254.0.0/16' }, { cidr: '100.100.100.200/32' }, { cidr: 'fd00::/8' }, { cidr: 'fe80::/10' }, { cidr: '64:ff9b::/96' }] }],
    });
    expect(findings(rule, [workload('web'), egress, denied])).toEqual([]);
  });

  test('without a CiliumNetworkPolicy, or for what NSA-METADATA-EGRESS reports, the rule applies to nothing', () => {
    expect(passed(rule, [workload('web'), egress])).toEqual([]);
    // No egress NetworkPolicy: NSA-METADATA-EGRESS reports it; this rule leaves it alone.
    expect(passed(rule, [workload('web'), cilium([{ toEntities: ['world'] }])])).toEqual([]);
  });
});

// ---------- the set of rules ----------

describe('CLUSTER_FIT_RULES', () => {
  test('holds the nine rules, with K8S- ids, errors but the selector, reference and DNS warnings', () => {
    expect(CLUSTER_FIT_RULES.map((r) => [r.id, r.severity])).toEqual([
      ['K8S-QUOTA-SERVICE-TYPE', 'error'], ['K8S-LIMIT-RANGE', 'error'], ['K8S-PDB-EVICTION', 'error'], ['K8S-HPA-REPLICAS', 'error'], ['K8S-SELECTOR-MATCHES', 'warning'],
      ['K8S-REFERENCES-RESOLVE', 'warning'], ['K8S-DNS-REACHABLE', 'warning'], ['K8S-MIGRATION-REACHES-DATABASE', 'error'], ['K8S-METADATA-UNREACHABLE', 'error'],
    ]);
  });

  test('a rule evaluated twice gives the same results (no state between evaluations)', () => {
    const manifests = [quota({ 'services.loadbalancers': 1 }), service('a', { type: 'LoadBalancer' }), service('b', { type: 'LoadBalancer' })];
    const first = findings(CLUSTER_FIT_RULES[0], manifests);
    expect(findings(CLUSTER_FIT_RULES[0], manifests)).toEqual(first);
    expect(first).toHaveLength(1);
  });

  /** 100 workloads per namespace, each with a Service, a NetworkPolicy, a PDB and an HPA; a quota and a LimitRange per namespace. */
  function cluster(namespaces: number): any[] {
    const manifests: any[] = [];
    for (let n = 0; n < namespaces; n++) {
      const namespace = `ns${n}`;
      manifests.push(quota({ 'services': 1000, 'services.loadbalancers': 1 }, {}, namespace),
        limitRange([{ type: 'Container', max: { cpu: '2' }, min: { cpu: '10m' } }, { type: 'Pod', max: { cpu: '4' } }], namespace));
      for (let i = 0; i < 100; i++) {
        const name = `w${n}-${i}`;
        manifests.push(workload(name, { namespace, containers: [container({ requests: { cpu: '100m' }, limits: { cpu: '500m' } })] }),
          service(name, { selector: labelsOf(name), type: i === 0 ? 'LoadBalancer' : 'ClusterIP' }, namespace),
          pdb(name, { maxUnavailable: 1 }, namespace),
          { ...hpa(name, name), metadata: { name, namespace } },
          { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector: { matchLabels: labelsOf(name) } } });
      }
    }
    return manifests;
  }

  /** Every rule over fresh objects (pod views not yet computed): the time in ms and the results. */
  function time(manifests: any[]): { ms: number; results: any[] } {
    const objects = manifests.map((m, i) => policyObject(m, 'test/o' + i));
    const start = process.hrtime.bigint();
    const results = CLUSTER_FIT_RULES.flatMap((rule) => rule.evaluate(objects));
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, results };
  }

  test('judges 10,000 workloads with their Services, budgets, autoscalers and policies in 100 namespaces', () => {
    // GIVEN 10,000 workloads, each with a Service, a NetworkPolicy, a PDB and an HPA
    // WHEN every rule judges the set
    const large = time(cluster(100));
    // THEN everything is compliant. The speed target is a budget of `npm run bench` (policy.bench.ts), not a timed unit
    // test; the bound here only catches a quadratic blow-up (minutes), whatever the load of the test machine.
    expect(large.results.filter((r) => !r.compliant)).toEqual([]);
    expect(large.results.length).toBeGreaterThan(50000);
    expect(large.ms).toBeLessThan(30_000);
  });
});

// How long the reachability evaluator takes over a cluster-sized set of manifests: N workloads and N NetworkPolicies
// in N / 50 namespaces, all pairs evaluated (workload to workload, workload to address range and back). Budget:
// N = 1,000 in < 2 s. Run alone: npx ts-node -T bench/reach.bench.ts
import { performance } from 'perf_hooks';
import { evaluateReachability } from '../src/policy/reachability/reachability';

const TIERS = ['web', 'api', 'worker', 'cache', 'db'];
/** External services the workloads reach: a realistic handful of blocks, some with excepts. */
const EXTERNAL = [
  { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] },
  { cidr: '10.200.0.0/16', except: ['10.200.13.0/24'] },
  { cidr: '10.201.4.0/24' },
  { cidr: '192.168.50.0/24', except: ['192.168.50.128/25'] },
  { cidr: '203.0.113.0/24' },
  { cidr: '198.51.100.16/28' },
  { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] },
];

/**
 * N Deployments (labels app, tier, team; a named port) in N / 50 namespaces, and N NetworkPolicies: per namespace a
 * default deny (ingress; egress too in prod namespaces) and a DNS egress to kube-system (all pods in prod, workers
 * elsewhere); per workload an ingress policy (from the tier in front of it, by
 * named or numbered port, some from other namespaces by namespaceSelector ∧ podSelector, some from address blocks),
 * and, for the rest of the N, egress policies to the tier behind and to external blocks.
 */
export function reachManifests(n: number): unknown[] {
  const namespaces = Math.max(1, Math.round(n / 50));
  const manifests: any[] = [];
  const ns = (i: number) => `team-${i % namespaces}`;
  for (let k = 0; k < namespaces; k++) {
    manifests.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${k}`, labels: { team: `t${k}`, env: k % 3 === 0 ? 'prod' : 'dev' } } });
  }
  const tierOf = (i: number) => Math.floor(i / namespaces) % TIERS.length;
  for (let i = 0; i < n; i++) {
    const tier = TIERS[tierOf(i)];
    manifests.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${i}`, namespace: ns(i) },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: `app-${i}` } },
        template: {
          metadata: { labels: { 'app': `app-${i}`, tier, 'team': `t${i % namespaces}`, 'app.kubernetes.io/part-of': 'shop' } },
          spec: { containers: [{ name: 'main', image: 'x', ports: [{ name: 'http', containerPort: 8000 + (i % 7) }, { name: 'metrics', containerPort: 9090 }] }] },
        },
      },
    });
  }
  const policy = (name: string, namespace: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
  for (let k = 0; k < namespaces && manifests.length - namespaces - n < n; k++) {
    // Every namespace denies ingress by default; prod namespaces deny egress too.
    manifests.push(policy('default-deny', `team-${k}`, { podSelector: {}, policyTypes: k % 3 === 0 ? ['Ingress', 'Egress'] : ['Ingress'] }));
    manifests.push(policy('dns', `team-${k}`, {
      podSelector: k % 3 === 0 ? {} : { matchLabels: { tier: 'worker' } },
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    }));
  }
  const perNamespace = manifests.length - namespaces - n;
  for (let i = 0; i < n - perNamespace; i++) {
    const front = TIERS[(tierOf(i) + TIERS.length - 1) % TIERS.length];
    const behind = TIERS[(tierOf(i) + 1) % TIERS.length];
    const external = EXTERNAL[i % EXTERNAL.length];
    const name = `app-${i}`;
    if (i < 0.7 * n) {
      const from: any[] = [{ podSelector: { matchLabels: { tier: front } } }];
      if (i % 4 === 0) from.push({ namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: [front, 'web'] }] } });
      if (i % 9 === 0) from.push({ ipBlock: external });
      manifests.push(policy(`${name}-ingress`, ns(i), {
        podSelector: { matchLabels: { app: name } },
        ingress: [{ from, ports: i % 2 === 0 ? [{ port: 'http' }] : [{ port: 8000, endPort: 8010 }] }, { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 'metrics' }] }],
      }));
    } else {
      manifests.push(policy(`${name}-egress`, ns(i), {
        podSelector: { matchLabels: { app: name } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { tier: behind } } }], ports: [{ port: 'http' }] }, { to: [{ ipBlock: external }], ports: [{ port: 443 }] }],
      }));
    }
  }
  return manifests;
}

/** What benchReach measured. */
export interface ReachFigures {
  readonly medianMs: number;
  readonly workloads: number;
  readonly policies: number;
  readonly connections: number;
  readonly peers: number;
}

/** The all-pairs evaluation of N workloads and N policies: the median of `runs` runs. Budget: N = 1,000 in < 2 s. */
export function benchReach(n: number, runs: number = 5): ReachFigures {
  const manifests = reachManifests(n);
  const times: number[] = [];
  let connections = 0;
  let peers = 0;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    const result = evaluateReachability(manifests);
    times.push(performance.now() - start);
    connections = result.connections.length;
    peers = result.peers.length;
    if (result.warnings.length) throw new Error(`unexpected warnings: ${result.warnings.join('\n')}`);
  }
  times.sort((a, b) => a - b);
  const policies = manifests.filter((m: any) => m.kind === 'NetworkPolicy').length;
  return { medianMs: times[Math.floor(times.length / 2)], workloads: n, policies, connections, peers };
}

if (require.main === module) {
  const figures = benchReach(Number(process.argv[2] ?? 1000));
  console.log(`reach: ${figures.workloads} workloads, ${figures.policies} NetworkPolicies, ${figures.peers} peers, `
    + `${figures.connections} allowed connections in ${figures.medianMs.toFixed(0)} ms (median)`);
}

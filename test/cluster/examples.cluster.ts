import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { parseKubernetesYaml } from '../../src/parsers/kube-yaml';
import { create, deleteLabelled, discoveredPath, dryRunCreate, inParallel, namespaceWith, podSecurity, policiesLoaded, RUN_LABEL, runSuffix } from '../support/kube-api';

// Every example as written (dist/examples, from `npm run synth`), on a real API server: namespaces renamed for this
// run, the Namespaces, ServiceAccounts, PriorityClasses, declared prerequisites and the example's own admission
// policies created for real, then every object dry-run with strict field validation, and every pod template dry-run
// as a bare Pod (PodSecurity only warns on workloads), into namespaces that enforce restricted at the version they pin.
const EXAMPLES = path.join(__dirname, '..', '..', 'dist', 'examples');
const run = runSuffix();
const POD_BEARING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);
const POLICY_KINDS = new Set(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);

const examples = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((e) => existsSync(path.join(EXAMPLES, e, 'cdk8s-hardened.expectations'))).sort() : [];

/** The objects of an example (read as kubectl reads them), its expectations and the namespaces it uses. */
function load(example: string): { objects: any[]; prerequisites: any[]; namespaces: string[] } {
  const dir = path.join(EXAMPLES, example);
  const objects = readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort()
    .flatMap((f) => parseKubernetesYaml(readFileSync(path.join(dir, f), 'utf8'), f) as any[]);
  const prerequisites = JSON.parse(readFileSync(path.join(dir, 'cdk8s-hardened.expectations'), 'utf8')).prerequisites;
  const namespaces = [...new Set([
    ...objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
    ...objects.map((o) => o.metadata?.namespace).filter(Boolean),
    ...prerequisites.map((p: any) => p.namespace).filter(Boolean),
  ])].sort() as string[];
  return { objects, prerequisites, namespaces };
}

/** Every string of the value with each namespace name, as a whole word, renamed (names, selectors, hosts, CEL literals). */
function renamed<T>(value: T, names: Map<string, string>): T {
  if (names.size === 0) return value;
  const pattern = new RegExp(`(?<![A-Za-z0-9_-])(${[...names.keys()].map((n) => n.replace(/[.]/g, '\\.')).join('|')})(?![A-Za-z0-9_-])`, 'g');
  return JSON.parse(JSON.stringify(value), (_, v) => (typeof v === 'string' ? v.replace(pattern, (m) => names.get(m)!) : v));
}

/** The Pod a controller would create from a workload's template (a StatefulSet's claims become volumes). */
function podOf(workload: any): any {
  const template = workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template;
  const claims = workload.kind === 'StatefulSet' ? workload.spec.volumeClaimTemplates ?? [] : [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...template.metadata, name: `${workload.metadata.name}-0`, namespace: workload.metadata.namespace },
    spec: {
      ...template.spec,
      volumes: [...template.spec.volumes ?? [], ...claims.map((c: any) => ({
        name: c.metadata.name, persistentVolumeClaim: { claimName: `${c.metadata.name}-${workload.metadata.name}-0` },
      }))],
    },
  };
}

/** The example's admission policies, renamed for this run and bound to its namespaces (and `other`) only. */
function scopedPolicies(objects: any[], namespaces: string[]): any[] {
  return objects.filter((o) => POLICY_KINDS.has(o.kind)).map((o) => {
    const copy = JSON.parse(JSON.stringify(o));
    copy.metadata.name = `${o.metadata.name}-${run}`;
    copy.metadata.labels = { ...copy.metadata.labels, [RUN_LABEL]: run };
    if (o.kind === 'ValidatingAdmissionPolicyBinding') {
      copy.spec.policyName = `${o.spec.policyName}-${run}`;
      const selector = copy.spec.matchResources.namespaceSelector ?? {};
      selector.matchExpressions = [...selector.matchExpressions ?? [], { key: 'kubernetes.io/metadata.name', operator: 'In', values: namespaces }];
      copy.spec.matchResources.namespaceSelector = selector;
    }
    return copy;
  });
}

/** Each object dry-run created with strict field validation: the refusals and the warnings. */
async function dryRunAll(objects: any[]): Promise<{ errors: string[]; warnings: string[] }> {
  const results = await inParallel(objects, 8, async (o) => ({ o, response: await dryRunCreate(o, await discoveredPath(o)) }));
  const what = (o: any) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
  return {
    errors: results.filter(({ response }) => response.status !== 201).map(({ o, response }) => `${what(o)}: ${response.status} ${response.body?.message}`),
    warnings: results.flatMap(({ o, response }) => response.warnings.map((w) => `${what(o)}: ${w}`)),
  };
}

afterAll(async () => {
  for (const kind of POLICY_KINDS) await deleteLabelled({ apiVersion: 'admissionregistration.k8s.io/v1', kind }, `${RUN_LABEL}=${run}`);
});

describe('the examples as written, on a real API server', () => {
  test('dist/examples is there (npm run synth)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  test.each(examples)('%s: every object and every pod template is admitted', async (example) => {
    // GIVEN the example's objects, its namespaces renamed for this run (deleted namespaces never finish on the bundled server)
    const original = load(example);
    const names = new Map(original.namespaces.map((n) => [n, `${n}-${run}`]));
    const objects = renamed(original.objects, names);
    const prerequisites = renamed(original.prerequisites, names);
    const namespaces = original.namespaces.map((n) => names.get(n)!);
    // AND created for real first: its Namespaces (a namespace it only names enforces restricted at the latest version),
    // ServiceAccounts (and `default`, which no controller creates here), PriorityClasses, declared Secrets, its policies
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) await create(ns);
    for (const ns of namespaces.filter((n) => !objects.some((o) => o.kind === 'Namespace' && o.metadata.name === n))) {
      await namespaceWith(ns, podSecurity('restricted', 'latest'), []);
    }
    for (const ns of namespaces) await create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
    for (const o of objects.filter((x) => ['ServiceAccount', 'PriorityClass'].includes(x.kind))) await create(o);
    for (const p of prerequisites) {
      expect(p.kind).toBe('Secret');
      await create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: p.name, namespace: p.namespace }, stringData: { value: 'prerequisite' } });
    }
    const policies = scopedPolicies(objects, namespaces);
    for (const policy of policies) await create(policy);
    if (policies.length > 0) await policiesLoaded(run, namespaces[0]);
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
      expect({ ns: ns.metadata.name, enforce: ns.metadata.labels['pod-security.kubernetes.io/enforce'] }).toEqual({ ns: ns.metadata.name, enforce: 'restricted' });
    }

    // WHEN every other object is created as a server-side dry run with strict field validation (those created for real
    // above were created with it)
    const setUp = new Set(['Namespace', 'ServiceAccount', 'PriorityClass', ...POLICY_KINDS]);
    const applied = await dryRunAll(objects.filter((o) => !setUp.has(o.kind)));
    // THEN every object is admitted, without a warning (PodSecurity warns on workloads whose pods it would refuse)
    expect(applied).toEqual({ errors: [], warnings: [] });

    // WHEN each pod template is dry-run as the bare Pod its controller would create
    const pods = objects.filter((o) => POD_BEARING.has(o.kind)).map(podOf);
    expect(pods.length).toBeGreaterThan(0);
    const refused = (await inParallel(pods, 8, async (pod) => ({ pod, response: await dryRunCreate(pod) })))
      .flatMap(({ pod, response }) => [
        ...response.status === 201 ? [] : [`${pod.metadata.namespace}/${pod.metadata.name}: ${response.status} ${response.body?.message}`],
        ...response.warnings.map((w) => `${pod.metadata.namespace}/${pod.metadata.name}: warning ${w}`),
      ]);
    // THEN PodSecurity (restricted, at the namespace's version) and the example's own policies admit every one
    expect(refused).toEqual([]);
  });
});

import { ApiObject, Chart } from 'cdk8s';
import { AdmissionPolicies, Policy, PolicyPack } from '../../src';
import { AdmissionEvaluator } from '../support/cel-admission';
import { hardenedDeployment } from '../support/fixtures';
import { synth, testChart } from '../support/helpers';
import { create, deleteLabelled, dryRunCreate, namespaceWith, policiesLoaded, RUN_LABEL, runSuffix } from '../support/kube-api';

// README (AdmissionPolicies, "Acknowledgements carry over, never wider"): a rule acknowledged for a construct exempts
// exactly the objects that broke it at synth (kind, namespace, name) and the objects their controllers create (named
// `<name>-…`, with every label of the pod template), in that namespace only; generateName counts for nothing. Proven
// here on a real API server, for a Deployment, a CronJob and a StatefulSet, against look-alikes that differ in one way.
const run = runSuffix();
const namespace = `acks-${run}`;
const elsewhere = `acks-other-${run}`;
const RULE = 'NSA-READONLY-ROOTFS';
const evaluator = new AdmissionEvaluator();

/** A hardened workload of the kind, named and labelled after itself, whose container writes to its root filesystem. */
function writable(kind: 'Deployment' | 'CronJob' | 'StatefulSet', name: string): any {
  const deployment = hardenedDeployment();
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
  const template = { metadata: { labels }, spec: deployment.spec.template.spec };
  template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
  const metadata = { name, namespace, labels };
  switch (kind) {
    case 'Deployment': return { ...deployment, metadata, spec: { ...deployment.spec, selector: { matchLabels: labels }, template } };
    case 'StatefulSet': return { apiVersion: 'apps/v1', kind, metadata, spec: { serviceName: name, replicas: 1, selector: { matchLabels: labels }, template } };
    case 'CronJob': return {
      apiVersion: 'batch/v1',
      kind,
      metadata,
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'OnFailure' } } } } },
    };
  }
}

const renderer = writable('Deployment', 'renderer');
const nightly = writable('CronJob', 'nightly');
const store = writable('StatefulSet', 'store');

/** The acknowledged workloads' rule policies (and the host-port rule's), named for this run. */
function generatedPolicies(): any[] {
  const { app, chart } = testChart(namespace);
  for (const [id, workload] of [['renderer', renderer], ['nightly', nightly], ['store', store]] as const) {
    Policy.acknowledge(new ApiObject(chart, id, workload), RULE, 'the workload writes its cache beside its binary until CACHE-7 moves it');
  }
  const guard = new Chart(app, 'guard');
  new AdmissionPolicies(guard, 'guard', { packs: [PolicyPack.RESTRICTED, PolicyPack.NSA_CISA], name: `acks-${run}` });
  return synth(guard).filter((m) => [RULE, 'PSS-HOST-PORTS'].includes(m.metadata.labels['cdk8s-hardened.io/rule']));
}

const policies = generatedPolicies();
const ruleSpec = policies.find((m) => m.kind === 'ValidatingAdmissionPolicy' && m.metadata.labels['cdk8s-hardened.io/rule'] === RULE).spec;

/** The object with its metadata changed (labels replaced when given). */
function renamed(object: any, metadata: { [key: string]: unknown }): any {
  return { ...object, metadata: { ...object.metadata, ...metadata } };
}

/** What a controller creates from a workload: an object of the kind, named and labelled as that controller does. */
function child(kind: 'ReplicaSet' | 'Job' | 'Pod', from: any, name: string | undefined, extraLabels: { [key: string]: string }, generateName?: string): any {
  const template = from.kind === 'CronJob' ? from.spec.jobTemplate.spec.template : from.spec.template;
  const labels = { ...template.metadata.labels, ...extraLabels };
  const metadata = { ...(name === undefined ? {} : { name }), ...(generateName ? { generateName } : {}), namespace, labels };
  const podTemplate = { metadata: { labels }, spec: template.spec };
  switch (kind) {
    case 'Pod': return { apiVersion: 'v1', kind, metadata, spec: { ...template.spec, restartPolicy: from.kind === 'CronJob' ? 'OnFailure' : 'Always' } };
    case 'ReplicaSet': return { apiVersion: 'apps/v1', kind, metadata, spec: { replicas: 1, selector: { matchLabels: labels }, template: podTemplate } };
    case 'Job': return {
      apiVersion: 'batch/v1', kind, metadata, spec: { template: { ...podTemplate, spec: { ...template.spec, restartPolicy: 'OnFailure' } } },
    };
  }
}

const hash = { 'pod-template-hash': '7d9f8b6c5' };
const rendererPod = child('Pod', renderer, 'renderer-7d9f8b6c5-x2k4q', hash, 'renderer-7d9f8b6c5-');
const withoutInstance = Object.fromEntries(Object.entries(rendererPod.metadata.labels).filter(([key]) => key !== 'app.kubernetes.io/instance'));

const ADMITTED: Array<[string, any]> = [
  ['the acknowledged Deployment', renderer],
  ['its ReplicaSet', child('ReplicaSet', renderer, 'renderer-7d9f8b6c5', hash)],
  ['its Pod', rendererPod],
  ['its Pod named by the server from generateName', child('Pod', renderer, undefined, hash, 'renderer-7d9f8b6c5-')],
  ['the acknowledged CronJob', nightly],
  ['its Job', child('Job', nightly, 'nightly-29412345', { 'job-name': 'nightly-29412345' })],
  ['its Job\'s Pod', child('Pod', nightly, 'nightly-29412345-qz7wd', { 'job-name': 'nightly-29412345' }, 'nightly-29412345-')],
  ['the acknowledged StatefulSet', store],
  ['its Pod', child('Pod', store, 'store-0', { 'statefulset.kubernetes.io/pod-name': 'store-0' })],
];

const DENIED: Array<[string, any]> = [
  ['a Deployment of another name', renamed(renderer, { name: 'intruder' })],
  ['the Deployment in another namespace', renamed(renderer, { namespace: elsewhere })],
  ['a StatefulSet of the Deployment\'s name', renamed(store, { name: 'renderer' })],
  ['a Pod of another name that asks for the prefix with generateName', renamed(rendererPod, { name: 'intruder', generateName: 'renderer-' })],
  ['a Pod with the prefix but without one of the labels', renamed(rendererPod, { labels: withoutInstance })],
  ['a Pod with the prefix and a label of another value', renamed(rendererPod, { labels: { ...rendererPod.metadata.labels, 'app.kubernetes.io/name': 'other' } })],
  ['a Pod with the prefix and labels in another namespace', renamed(rendererPod, { namespace: elsewhere })],
  ['a Pod named the Deployment\'s name, without the dash', renamed(rendererPod, { name: 'renderer' })],
  ['a Job with the Deployment\'s prefix and labels (a Deployment makes no Jobs)', child('Job', renderer, 'renderer-29412345', {})],
  ['a ReplicaSet with the StatefulSet\'s prefix and labels (a StatefulSet makes Pods only)', child('ReplicaSet', store, 'store-7d9f8b6c5', hash)],
  ['a CronJob of the Deployment\'s name', renamed(nightly, { name: 'renderer' })],
];

/** The policy or binding, named for this run (already), labelled for clean-up, bound to this run's namespaces only. */
function scoped(manifest: any): any {
  const copy = JSON.parse(JSON.stringify(manifest));
  copy.metadata.labels = { ...copy.metadata.labels, [RUN_LABEL]: run };
  if (copy.kind === 'ValidatingAdmissionPolicyBinding') {
    const selector = copy.spec.matchResources.namespaceSelector ?? {};
    selector.matchExpressions = [...selector.matchExpressions ?? [], { key: 'kubernetes.io/metadata.name', operator: 'In', values: [namespace, elsewhere] }];
    copy.spec.matchResources.namespaceSelector = selector;
  }
  return copy;
}

beforeAll(async () => {
  await namespaceWith(namespace);
  await namespaceWith(elsewhere);
  for (const manifest of policies) await create(scoped(manifest));
  await policiesLoaded(run, namespace);
}, 60_000);

afterAll(async () => {
  for (const kind of ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']) {
    await deleteLabelled({ apiVersion: 'admissionregistration.k8s.io/v1', kind }, `${RUN_LABEL}=${run}`);
  }
});

/** The server's verdict on creating the object (a dry run), and the offline CEL harness's on the object it judged. */
async function verdict(manifest: any): Promise<{ server: string; offline: string }> {
  const response = await dryRunCreate(manifest);
  const server = response.status === 201 ? 'admitted' : String(response.body?.message).includes(`'acks-${run}-${RULE.toLowerCase()}'`)
    ? `denied by ${RULE}` : `${response.status} ${response.body?.message}`;
  // (the harness judges the object as the server did: with the name it generated)
  const judged = response.status === 201 ? response.body : manifest;
  const failures = evaluator.evaluate(ruleSpec, { ...judged, metadata: { ...judged.metadata, namespace: manifest.metadata.namespace } }).failures;
  const offline = failures.length === 0 ? 'admitted' : `denied by ${RULE}`;
  return { server, offline };
}

describe('acknowledged exemptions on a real API server: exactly what README says, nothing with another name, namespace or labels', () => {
  test('the policy says what it exempts and why', () => {
    const annotation = policies.find((m) => m.kind === 'ValidatingAdmissionPolicy' && m.metadata.labels['cdk8s-hardened.io/rule'] === RULE)
      .metadata.annotations['cdk8s-hardened.io/acknowledged'];
    for (const what of [`Deployment ${namespace}/renderer`, `CronJob ${namespace}/nightly`, `StatefulSet ${namespace}/store`, 'CACHE-7']) {
      expect(annotation).toContain(what);
    }
  });

  test.each(ADMITTED)('admitted: %s', async (_, manifest) => {
    // WHEN created (a dry run) THEN admitted, as the offline harness judges it
    expect(await verdict(manifest)).toEqual({ server: 'admitted', offline: 'admitted' });
  });

  test.each(DENIED)('denied: %s', async (_, manifest) => {
    // WHEN created (a dry run) THEN denied by the rule's policy, as the offline harness judges it
    expect(await verdict(manifest)).toEqual({ server: `denied by ${RULE}`, offline: `denied by ${RULE}` });
  });

  test('the exemption is of the one rule: an exempted Pod that also takes a host port is denied by that rule', async () => {
    // GIVEN the acknowledged StatefulSet's Pod with a host port
    const pod = child('Pod', store, 'store-1', {});
    pod.spec = { ...pod.spec, containers: [{ ...pod.spec.containers[0], ports: [{ containerPort: 8080, hostPort: 8080 }] }] };
    // WHEN created THEN PSS-HOST-PORTS denies it
    const response = await dryRunCreate(pod);
    expect({ status: response.status, message: response.body?.message }).toEqual({ status: 403, message: expect.stringContaining('PSS-HOST-PORTS: ') });
  });
});

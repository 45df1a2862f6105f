import { PolicyPack, PolicyReport } from '../../src';
import { podViewOf } from '../../src/k8s/pod-view';
import { policyObject } from '../../src/k8s/policy-object';

const privilegedPodSpec = () => ({ containers: [{ name: 'app', image: 'busybox:1.36.1', securityContext: { privileged: true } }] });

// [description, manifest, JSON pointer of the pod spec]
const carriers: Array<[string, any, string]> = [
  ['a bare Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: privilegedPodSpec() }, '/spec'],
  ['a PodTemplate', { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'p' }, template: { spec: privilegedPodSpec() } }, '/template/spec'],
  ['an Argo Rollout', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'p' }, spec: { template: { spec: privilegedPodSpec() } } },
    '/spec/template/spec'],
  ['a custom workload', { apiVersion: 'acme.io/v1', kind: 'Worker', metadata: { name: 'p' }, spec: { template: { spec: privilegedPodSpec() } } },
    '/spec/template/spec'],
  ['a CronJob-like custom object', {
    apiVersion: 'acme.io/v1',
    kind: 'Schedule',
    metadata: { name: 'p' },
    spec: { jobTemplate: { spec: { template: { spec: privilegedPodSpec() } } } },
  }, '/spec/jobTemplate/spec/template/spec'],
  ['a ReplicationController', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'p' }, spec: { template: { spec: privilegedPodSpec() } } },
    '/spec/template/spec'],
];

describe('every object that carries a pod template is judged, found by shape', () => {
  test.each(carriers)('%s', (_, manifest, pointer) => {
    // GIVEN an object of any kind with a privileged pod spec
    const objects = [policyObject(manifest, 'test/o')];
    // WHEN checked against baseline
    const findings = PolicyReport._evaluate(objects, [PolicyPack.BASELINE], () => undefined).findings;
    // THEN the container is flagged at its own pointer
    expect(findings.map((f) => f.message)).toContain(`${pointer}/containers/0/securityContext/privileged is true`);
  });

  test('objects without a pod spec are not workloads, whatever their kind', () => {
    // GIVEN a Deployment without a template, a ConfigMap that happens to hold "spec", and a non-list containers field
    const notPods = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {} },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { spec: 'containers' } },
      { apiVersion: 'acme.io/v1', kind: 'Thing', metadata: { name: 't' }, spec: { containers: 'none' } },
      null,
    ];
    // THEN none has a pod view
    for (const manifest of notPods) expect(podViewOf(manifest)).toBeUndefined();
  });
});

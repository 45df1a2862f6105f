import { DefaultDenyNamespace, DefaultDenyNamespaceProps } from '../../../src';
import { testChart } from '../../support/helpers';

function namespace(props: any) {
  const { chart } = testChart();
  return new DefaultDenyNamespace(chart, 'ns', props as DefaultDenyNamespaceProps);
}

describe('DefaultDenyNamespace refuses namespaces that are not the app\'s', () => {
  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease'])('system namespace %s', (name) => {
    // GIVEN a namespace every cluster has WHEN made default-deny THEN it is refused with why and the fix
    expect(() => namespace({ name })).toThrow(new RegExp(`DefaultDenyNamespace shop/ns: namespace "${name}" is a system namespace every cluster has: .*cut off.*; give the app its own namespace`));
  });

  test('a name in the reserved kube- prefix', () => {
    // GIVEN kube-anything WHEN constructed THEN refused
    expect(() => namespace({ name: 'kube-shop' })).toThrow(/namespace "kube-shop" is in the kube- prefix Kubernetes reserves/);
  });

  test('an ordinary name is accepted', () => {
    // GIVEN a name of the app's own WHEN constructed THEN no error
    expect(namespace({ name: 'shop' }).namespaceName).toBe('shop');
  });
});

describe('DefaultDenyNamespace refuses values the API server or Pod Security would not honour', () => {
  test.each([
    ['a Pod Security label of its own', { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }, /label "pod-security.kubernetes.io\/enforce" is set by this construct/],
    ['the name label', { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'other' } }, /label "kubernetes.io\/metadata.name" is set by this construct/],
    ['Istio injection off', { name: 'shop', labels: { 'istio-injection': 'disabled' } }, /label "istio-injection": "disabled" takes every pod of the namespace out of the service mesh/],
    ['ambient mode off', { name: 'shop', labels: { 'istio.io/dataplane-mode': 'none' } }, /takes every pod of the namespace out of the service mesh/],
    ['Linkerd off', { name: 'shop', labels: { 'linkerd.io/inject': 'disabled' } }, /takes every pod of the namespace out of the service mesh/],
    ['a negative pod quota', { name: 'shop', quota: { pods: -1 } }, /quota pods -1 is not a whole number from 0/],
    ['a pod quota beyond int32', { name: 'shop', quota: { pods: 2 ** 31 } }, /quota pods 2147483648 is not a whole number/],
    ['a negative CPU quota', { name: 'shop', quota: { requestsCpu: '-4' } }, /quota requests.cpu "-4" is not a Kubernetes quantity/],
    ['an unknown level', { name: 'shop', podSecurityLevel: 'strict' }, /podSecurityLevel "strict" is not a Pod Security Standards level/],
  ])('%s', (_, props, message) => {
    expect(() => namespace(props)).toThrow(message);
  });
});

describe('DefaultDenyNamespace from plain JavaScript', () => {
  test.each([
    ['no props', undefined, /props are undefined, not an object/],
    ['name missing', {}, /name is missing, not a string/],
    ['name a number', { name: 7 }, /name is a number, not a string/],
    ['labels a list', { name: 'shop', labels: ['a'] }, /labels is a list, not a map of strings/],
    ['dns a string', { name: 'shop', dns: 'kube-dns' }, /dns is a string, not a DnsEgress/],
    ['quota CPU a number', { name: 'shop', quota: { requestsCpu: 4 } }, /quota requests.cpu is a number, not a string/],
    ['acceptWeakerPodSecurity a string', { name: 'shop', podSecurityLevel: 'baseline', acceptWeakerPodSecurity: 'yes' }, /acceptWeakerPodSecurity is a string, not true or false/],
  ])('%s gets the construct-path-value-fix error', (_, props, message) => {
    // GIVEN props as JavaScript could pass them WHEN constructed THEN the error names the construct and the prop
    expect(() => namespace(props)).toThrow(/^DefaultDenyNamespace shop\/ns: /);
    expect(() => namespace(props)).toThrow(message);
  });
});

test('DefaultDenyNamespace accepts Istio injection turned on', () => {
  // GIVEN the label that enables the mesh WHEN constructed THEN it is kept
  expect(namespace({ name: 'shop', labels: { 'istio-injection': 'enabled' } }).namespaceName).toBe('shop');
});

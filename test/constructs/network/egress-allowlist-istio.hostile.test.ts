// Hostile input of EgressAllowlist in Istio mode: REGISTRY_ONLY cannot be defeated from props, Sidecars are per workload.
import * as kplus from 'cdk8s-plus-27';
import { EgressAllowlist, EgressMode, EgressTarget, Policy, PolicyPack, SecureDeployment } from '../../../src';
import { allowlist, sidecarHosts } from '../../support/egress';
import { errorOf, schemaFindings, synth, testChart } from '../../support/helpers';
import { IMAGE } from '../../support/workloads';

describe('hostile input: Istio REGISTRY_ONLY cannot be defeated from props', () => {
  test('blocks that together cover a family are refused (a ServiceEntry cannot carry their except)', () => {
    const internet = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];
    expect(() => allowlist({ mode: EgressMode.ISTIO, allow: [EgressTarget.cidr('0.0.0.0/0', { tcp: [443] }, { exceptCidrs: internet })] }))
      .toThrow(/Istio mode: allow\[0\] "0.0.0.0\/0" covers every IPv4 address.*; list the hosts with EgressTarget.host/);
    expect(() => allowlist({
      mode: EgressMode.ISTIO,
      allow: [
        EgressTarget.cidr('0.0.0.0/1', { tcp: [443] }, { exceptCidrs: ['10.0.0.0/8', '100.64.0.0/10'] }),
        EgressTarget.cidr('128.0.0.0/1', { tcp: [443] }, { exceptCidrs: ['172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] }),
      ],
    })).toThrow(/allow\[0\] "0.0.0.0\/1", allow\[1\] "128.0.0.0\/1" cover every IPv4 address/);
  });

  test('the Sidecar imports only its own namespace, istio-system and named target namespaces', () => {
    // GIVEN a namespace target for istio-system (already imported) and one for monitoring
    const { manifests, app } = allowlist({
      mode: EgressMode.ISTIO,
      allow: [EgressTarget.namespace('istio-system', { tcp: [15012] }), EgressTarget.namespace('monitoring', { tcp: [9090] })],
    });
    const sidecar = manifests.find((m) => m.kind === 'Sidecar')!;
    // THEN no host re-opens everything
    expect(sidecar.spec.egress).toEqual([{ hosts: ['./*.svc.cluster.local', 'kube-system/kube-dns.kube-system.svc.cluster.local', 'istio-system/*', 'monitoring/*'] }]);
    expect(sidecar.spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(Policy.report(app, { packs: [...PolicyPack.defaults()] }).findings).toEqual([]);
  });

  test('a host listed twice is refused (one ServiceEntry per host)', () => {
    expect(() => allowlist({ mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] }), EgressTarget.host('API.example.com.', { tcp: [8443] })] }))
      .toThrow(/allow\[1\] repeats "api.example.com" of allow\[0\]; list each host or block once/);
  });

  test('ServiceEntry names never collide, even when slugs coincide or are long', () => {
    // GIVEN hosts whose slugs coincide, and long hosts that share a 40-character prefix
    const long = 'a'.repeat(50);
    const { manifests } = allowlist({
      mode: EgressMode.ISTIO,
      allow: [
        EgressTarget.host('a-b.example.com', { tcp: [443] }), EgressTarget.host('a.b-example.com', { tcp: [443] }),
        EgressTarget.host(`${long}.one.example.com`, { tcp: [443] }), EgressTarget.host(`${long}.two.example.com`, { tcp: [443] }),
      ],
    });
    const entries = manifests.filter((m) => m.kind === 'ServiceEntry');
    // THEN four distinct valid names
    const names = entries.map((m) => m.metadata.name);
    expect(new Set(names).size).toBe(4);
    names.forEach((name) => expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/));
    expect(schemaFindings(manifests)).toEqual([]);
  });
});

describe('hostile input: Istio Sidecars are per workload', () => {
  test.each<[string, (chart: any) => kplus.IPodSelector, RegExp]>([
    ['expressions only', (chart) => kplus.Pods.select(chart, 'sel', { expressions: [kplus.LabelExpression.in('app', ['web'])] }), /it would apply to every pod of the namespace/],
    ['labels and expressions', (chart) => kplus.Pods.select(chart, 'sel', { labels: { app: 'web' }, expressions: [kplus.LabelExpression.notIn('tier', ['batch'])] }),
      /it would apply to pods its expressions exclude/],
  ])('a workload selected by %s is refused in Istio mode', (_, select, message) => {
    // GIVEN a workload selected by label expressions
    const { chart } = testChart();
    // WHEN an Istio allowlist is made for it / THEN refused: a Sidecar selects by labels only
    const error = errorOf(() => new EgressAllowlist(chart, 'egress', {
      workload: select(chart), mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] })],
    }));
    expect(error.message).toMatch(/^EgressAllowlist shop\/egress: Istio mode: workload shop\/sel is selected by label expressions, and a Sidecar's workloadSelector takes labels only/);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/; select the workload by labels/);
  });

  test('a workload selected by expressions is accepted in Kubernetes mode (a NetworkPolicy takes them)', () => {
    const { chart } = testChart();
    const selected = kplus.Pods.select(chart, 'sel', { expressions: [kplus.LabelExpression.in('app', ['web'])] });
    new EgressAllowlist(chart, 'egress', { workload: selected, name: 'sel', allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })] });
    const policy = synth(chart).find((m) => m.kind === 'NetworkPolicy')!;
    expect(policy.spec.podSelector).toEqual({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] });
  });

  test('the Sidecar imports its own hosts and blocks, in-namespace Services, istio-system and other target namespaces only', () => {
    // GIVEN two workloads of one namespace, each with an Istio allowlist
    const { app, chart } = testChart();
    const a = new SecureDeployment(chart, 'a', { image: IMAGE, port: 8080, name: 'a' });
    const b = new SecureDeployment(chart, 'b', { image: IMAGE, port: 8080, name: 'b' });
    new EgressAllowlist(chart, 'egress-a', {
      workload: a,
      name: 'a',
      mode: EgressMode.ISTIO,
      allow: [
        EgressTarget.host('api.a.example.com', { tcp: [443] }),
        EgressTarget.cidr('10.200.0.2/32', { tcp: [27017] }),
        EgressTarget.namespace('shop', { tcp: [8080] }),
        EgressTarget.namespace('monitoring', { tcp: [9090] }),
      ],
    });
    new EgressAllowlist(chart, 'egress-b', { workload: b, name: 'b', mode: EgressMode.ISTIO, allow: [EgressTarget.host('payments.b.example.com', { tcp: [443] })] });
    // WHEN synthesized
    const manifests = synth(chart);
    // THEN each Sidecar imports its own ServiceEntries by host, never `./*` (the other's entries) nor its own namespace whole
    const blockHost = manifests.find((m) => m.kind === 'ServiceEntry' && m.spec.addresses)!.spec.hosts[0];
    expect(sidecarHosts(manifests, 'a')).toEqual(['./api.a.example.com', `./${blockHost}`, './*.svc.cluster.local', 'kube-system/kube-dns.kube-system.svc.cluster.local', 'istio-system/*', 'monitoring/*']);
    expect(sidecarHosts(manifests, 'b')).toEqual(['./payments.b.example.com', './*.svc.cluster.local', 'kube-system/kube-dns.kube-system.svc.cluster.local', 'istio-system/*']);
    // AND the output is schema-valid with zero findings
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app, { packs: [...PolicyPack.defaults()] }).findings).toEqual([]);
  });

  test('a second Istio allowlist for the same workload is refused, naming both', () => {
    // GIVEN an Istio allowlist for web
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web' });
    new EgressAllowlist(chart, 'first', { workload: web, mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] })] });
    // WHEN a second one selects the same pods / THEN refused with both construct paths and the fix
    const error = errorOf(() => new EgressAllowlist(chart, 'second', {
      workload: kplus.Pods.select(chart, 'sel', { labels: { 'app.kubernetes.io/instance': 'web' } }),
      mode: EgressMode.ISTIO,
      allow: [EgressTarget.host('other.example.com', { tcp: [443] })],
    }));
    expect(error.message).toMatch(/^EgressAllowlist shop\/second: Istio mode: workload shop\/sel .* can be selected by the Sidecar of the Istio EgressAllowlist shop\/first too/);
    expect(error.message).toMatch(/Istio leaves the choice between two Sidecars of one pod undefined; make one EgressAllowlist per workload in Istio mode/);
  });

  test.each<[string, string | undefined, EgressMode]>([
    ['another workload', 'other', EgressMode.ISTIO],
    ['another namespace', 'elsewhere', EgressMode.ISTIO],
    ['Kubernetes mode (NetworkPolicies add up)', undefined, EgressMode.KUBERNETES],
  ])('a second allowlist is accepted for %s', (what, variant, mode) => {
    // GIVEN an Istio allowlist for web
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web' });
    new EgressAllowlist(chart, 'first', { workload: web, mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] })] });
    // WHEN a second allowlist cannot select web's pods with a second Sidecar
    const workload = variant === 'other' ? new SecureDeployment(chart, 'other', { image: IMAGE, port: 8080, name: 'other' })
      : variant === 'elsewhere' ? kplus.Pods.select(chart, 'sel', { labels: { 'app.kubernetes.io/instance': 'web' }, namespaces: kplus.Namespaces.select(chart, 'ns', { names: ['elsewhere'] }) })
        : web;
    new EgressAllowlist(chart, 'second', { workload, mode, allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })] });
    // THEN at most one Sidecar per namespace selects web's labels
    const sidecars = synth(chart).filter((m) => m.kind === 'Sidecar' && m.metadata.namespace === 'shop');
    expect(sidecars.filter((s) => s.spec.workloadSelector.labels['app.kubernetes.io/instance'] === 'web')).toHaveLength(1);
    expect(what).toBeDefined();
  });
});

import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  BlueGreenDeployment, BlueGreenSlot, JobOrdering, Policy, PolicyPack, PreviewTest, PreviewTestProps, SecureDeployment,
} from '../../../src';
import { errorOf, Manifest, only, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

const ALL_PACKS = { packs: [...PolicyPack.defaults(), PolicyPack.BASELINE] };
const TESTS = 'ghcr.io/acme/shop-smoke-tests:2.0.0';

function gated(props: Partial<PreviewTestProps> = {}, allowIngressFrom?: kplus.INetworkPolicyPeer[]) {
  const { app, chart } = testChart();
  const shop = new BlueGreenDeployment(chart, 'shop', {
    port: 8080, active: BlueGreenSlot.BLUE, blue: { image: 'ghcr.io/acme/shop:1.0.0' }, green: { image: 'ghcr.io/acme/shop:2.0.0' }, allowIngressFrom,
  });
  const smokeTest = new PreviewTest(chart, 'smoke', { target: shop.previewTarget!, image: TESTS, args: ['--suite', 'smoke'], ...props });
  return { app, chart, shop, test: smokeTest, manifests: synth(chart) };
}

const policy = (manifests: Manifest[], name: string) => manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name)!;

describe('PreviewTest: the team\'s smoke tests against the idle slot, before the switch', () => {
  const { app, manifests, test: smoke } = gated();
  const job = only(manifests, 'Job');
  const container = podSpec(job).containers[0];

  test('a PostSync hook Job that calls the preview Service and never retries', () => {
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', 'argocd.argoproj.io/sync-wave': '0',
    });
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 600 });
    expect(container.env).toEqual([
      { name: 'TARGET_URL', value: 'http://shop-preview:8080' }, { name: 'TARGET_HOST', value: 'shop-preview' }, { name: 'TARGET_PORT', value: '8080' },
    ]);
    expect(container.args).toEqual(['--suite', 'smoke']);
  });

  test('hardened like every workload: non-root, read-only root filesystem, no token', () => {
    expect(podSpec(job)).toMatchObject({ automountServiceAccountToken: false, restartPolicy: 'Never', securityContext: { runAsNonRoot: true } });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });

  test('its egress reaches exactly the idle slot\'s pods on 8080 (beside DNS); its policy is in place one wave before it', () => {
    const own = policy(manifests, smoke.job.name);
    expect(own.spec.ingress).toEqual([]);
    expect(own.spec.egress.slice(1)).toEqual([{
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'shop-green', 'app.kubernetes.io/name': 'shop' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
    expect(own.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
  });

  test('schema-valid with zero findings in every pack', () => {
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
  });

  test('an idle slot that admits only named peers admits the test too, and only the idle slot does', () => {
    // GIVEN slots that admit only a frontend
    const { chart } = testChart();
    const front = new SecureDeployment(chart, 'front', { image: 'ghcr.io/acme/front:1.0.0', port: 8080 });
    const shop = new BlueGreenDeployment(chart, 'shop', {
      port: 8080, active: BlueGreenSlot.BLUE, blue: { image: 'ghcr.io/acme/shop:1.0.0' }, green: { image: 'ghcr.io/acme/shop:2.0.0' }, allowIngressFrom: [front],
    });
    const smokeTest = new PreviewTest(chart, 'smoke', { target: shop.previewTarget!, image: TESTS });
    const output = synth(chart);
    // THEN green admits the front and the test; blue only the front
    const admitted = (name: string) => policy(output, name).spec.ingress[0].from.map((peer: any) => peer.podSelector.matchLabels['app.kubernetes.io/instance']);
    expect(admitted('shop-green')).toEqual(['front', smokeTest.job.name]);
    expect(admitted('shop-blue')).toEqual(['front']);
  });

  test('helm test, and a new Job name when the tests change (a Job\'s template is immutable)', () => {
    const helm = only(gated({ ordering: JobOrdering.helmHook('test') }).manifests, 'Job');
    expect(helm.metadata.annotations['helm.sh/hook']).toBe('test');
    const other = only(gated({ args: ['--suite', 'full'] }).manifests, 'Job');
    expect(other.metadata.name).not.toBe(job.metadata.name);
    expect(only(gated({ timeout: Duration.minutes(3) }).manifests, 'Job').spec.activeDeadlineSeconds).toBe(180);
  });
});

describe('PreviewTest refuses, with the fix', () => {
  test('a port the target does not serve', () => {
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 });
    expect(() => new PreviewTest(chart, 'smoke', { target: { host: 'web', port: 9090, workload: web }, image: TESTS }))
      .toThrow(/target.port 9090 is not the port of shop\/web \(8080\), which its NetworkPolicy admits; use 8080/);
  });

  test('a host that is not a Service name, an unpinned image, a credential on the command line, a replaced target variable', () => {
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 });
    const target = { host: 'web', port: 8080, workload: web };
    expect(() => new PreviewTest(chart, 'a', { target: { ...target, host: 'http://web' }, image: TESTS })).toThrow(/target.host "http:\/\/web" is not a Service name/);
    expect(() => new PreviewTest(chart, 'b', { target, image: 'ghcr.io/acme/tests:latest' })).toThrow(/mutable tag/);
    const secret = 'ghp_' + 'a1B2'.repeat(9);
    const error = errorOf(() => new PreviewTest(chart, 'c', { target, image: TESTS, args: ['--token', secret] })).message;
    expect(error).toMatch(/would be written into the manifest in clear text/);
    expect(error).not.toContain(secret);
    expect(() => new PreviewTest(chart, 'd', { target, image: TESTS, env: { TARGET_URL: kplus.EnvValue.fromValue('http://evil') } }))
      .toThrow(/env TARGET_URL would replace the target's variable/);
  });
});

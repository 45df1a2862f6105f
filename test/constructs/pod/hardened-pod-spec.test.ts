import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { hardenedPodSpec } from '../../../src/constructs/pod/hardened-pod-spec';
import { resourceRequirements } from '../../../src/constructs/pod/resources';
import { containerSecurityContext, DEFAULT_RUN_AS_ID, podSecurityContext, resolveRunAsIdentity } from '../../../src/constructs/pod/security-context';
import { recommendedLabels } from '../../../src/core/labels';

const where = 'Thing shop/web';
const identity = resolveRunAsIdentity(where);

describe('run-as identity', () => {
  test('defaults to 10001 and refuses root', () => {
    expect(identity).toEqual({ user: DEFAULT_RUN_AS_ID, group: DEFAULT_RUN_AS_ID });
    expect(resolveRunAsIdentity(where, 1000)).toEqual({ user: 1000, group: 1000 });
    expect(() => resolveRunAsIdentity(where, 0)).toThrow(/Thing shop\/web: user 0 is root; run as a non-zero id/);
    expect(() => resolveRunAsIdentity(where, 1000, 0)).toThrow(/group 0 is root/);
    expect(() => resolveRunAsIdentity(where, -5)).toThrow(/user -5 is not a valid id/);
  });
});

describe('security contexts', () => {
  test('pod: non-root with explicit ids, fsGroup and RuntimeDefault seccomp', () => {
    expect(podSecurityContext(identity)).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('container: read-only root, no escalation, not privileged, ALL capabilities dropped in upper case', () => {
    const context = containerSecurityContext(identity);
    expect(context.readOnlyRootFilesystem).toBe(true);
    expect(context.allowPrivilegeEscalation).toBe(false);
    expect(context.privileged).toBe(false);
    expect(context.capabilities).toEqual({ drop: ['ALL'] });
    expect(context.runAsNonRoot).toBe(true);
    expect(context.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });
});

describe('hardened pod spec', () => {
  const spec = hardenedPodSpec(where, {
    identity,
    writablePaths: ['/var/cache/app'],
    containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1', volumeMounts: [{ name: 'config', mountPath: '/etc/app' }] }],
  });

  test('no token, no service links', () => {
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.enableServiceLinks).toBe(false);
  });

  test('every container gets the security context and /tmp plus the extra writable paths', () => {
    for (const container of spec.containers) {
      expect(container.securityContext).toEqual(containerSecurityContext(identity));
      expect(container.volumeMounts?.map((m) => m.mountPath)).toEqual(expect.arrayContaining(['/tmp', '/var/cache/app']));
    }
    expect(spec.volumes).toEqual([{ name: 'scratch-tmp', emptyDir: {} }, { name: 'scratch-var-cache-app', emptyDir: {} }]);
  });

  test.each(['relative/path', '/', '/a/../b'])('refuses writable path %p', (bad) => {
    expect(() => hardenedPodSpec(where, { identity, containers: [], writablePaths: [bad] })).toThrow(/writablePaths\[0\] .* is not an absolute directory/);
  });
});

describe('resources', () => {
  test('defaults for cpu, memory and ephemeral storage', () => {
    const r = resourceRequirements(where);
    expect(r.requests).toEqual({ 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' });
    expect(r.limits).toEqual({ 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' });
  });

  test('overrides field by field', () => {
    const r = resourceRequirements(where, { cpu: { limit: Cpu.units(2) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } });
    expect(r.limits!.cpu).toBe('2');
    expect(r.requests!.cpu).toBe('100m');
    expect(r.requests!.memory).toBe('1Gi');
  });

  test('refuses a request above its limit', () => {
    expect(() => resourceRequirements(where, { memory: { request: Size.gibibytes(1) } })).toThrow(/the memory request "1Gi" is above its limit "256Mi"/);
  });
});

describe('recommended labels', () => {
  test('sets the recommended keys and managed-by', () => {
    expect(recommendedLabels(where, { name: 'web', instance: 'web', version: '1.4.2', component: 'server', partOf: 'shop' })).toEqual({
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/instance': 'web',
      'app.kubernetes.io/version': '1.4.2',
      'app.kubernetes.io/component': 'server',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'cdk8s-hardened',
    });
  });
});

import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HealthProbe, SecureDeployment, SecureDeploymentProps } from '../../../src';
import { FAKE } from '../../support/fake-secrets';
import { errorOf, only, podSpec, synth, testChart } from '../../support/helpers';

const IMAGE = 'ghcr.io/acme/web:1.4.2';

function deploy(props: Partial<SecureDeploymentProps> = {}) {
  const { app, chart } = testChart();
  const workload = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web', ...props });
  return { app, chart, workload };
}

/** The message of the error a function throws (fails the test when it throws none). */
function messageOf(f: () => unknown): string {
  return errorOf(f).message;
}

describe('SecureDeployment refuses what bypasses a service mesh', () => {
  test.each([
    ['user 1337', { user: 1337 }, /user 1337 is the id of Istio's sidecar proxy/],
    ['group 1337', { user: 2000, group: 1337 }, /group 1337 is the id of Istio's sidecar proxy/],
    ['injection off by annotation', { podAnnotations: { 'sidecar.istio.io/inject': 'false' } }, /annotation "sidecar.istio.io\/inject" turns Istio sidecar injection/],
    ['injection off by label', { labels: { 'sidecar.istio.io/inject': 'false' } }, /label "sidecar.istio.io\/inject" turns Istio sidecar injection/],
    ['excluded outbound ranges', { podAnnotations: { 'traffic.sidecar.istio.io/excludeOutboundIPRanges': '0.0.0.0/0' } }, /excludes traffic from/],
    ['excluded outbound ports', { podAnnotations: { 'traffic.sidecar.istio.io/excludeOutboundPorts': '443' } }, /excludes traffic from/],
    ['interception off', { podAnnotations: { 'sidecar.istio.io/interceptionMode': 'NONE' } }, /changes how the Istio sidecar intercepts/],
    ['proxy config override', { podAnnotations: { 'proxy.istio.io/config': '{}' } }, /overrides the Istio proxy configuration/],
    ['Linkerd skip ports', { podAnnotations: { 'config.linkerd.io/skip-outbound-ports': '443' } }, /Linkerd proxy off/],
  ])('%s', (_, props, message) => {
    // GIVEN a setting that routes the pod's traffic around the sidecar WHEN constructed THEN it is refused with the fix
    expect(() => deploy(props as Partial<SecureDeploymentProps>)).toThrow(message);
  });

  test('an annotation weakening confinement is refused', () => {
    // GIVEN an AppArmor override WHEN constructed THEN it is refused
    expect(() => deploy({ podAnnotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } })).toThrow(/sets the AppArmor profile/);
  });
});

describe('SecureDeployment never writes a secret into the manifest', () => {
  const cases: Array<[string, Partial<SecureDeploymentProps>, RegExp, string]> = [
    ['a token in args', { args: ['--token', FAKE.github] }, /args\[1\] holds a GitHub token/, FAKE.github],
    ['a password flag split over command and args', { command: ['app', '--password'], args: [FAKE.password] }, /args\[0\] holds/, FAKE.password],
    ['a password in a shell command', { command: ['sh', '-c', `curl -u admin:${FAKE.password} https://x`] }, /command\[2\] holds/, FAKE.password],
    ['a JWT in a pod annotation', { podAnnotations: { 'example.com/session': FAKE.jwt } }, /annotation "example.com\/session" holds a JWT/, FAKE.jwt],
    ['a password under a credential annotation key', { podAnnotations: { 'example.com/db-password': FAKE.password } }, /holds a literal password/, FAKE.password],
    ['an AWS key in env by value', { env: { SETTINGS: kplus.EnvValue.fromValue(FAKE.awsKeyId) } }, /SETTINGS holds an AWS access key id/, FAKE.awsKeyId],
    ['a password in an exec probe', { port: undefined, liveness: HealthProbe.exec(['check', `--password=${FAKE.password}`]) }, /exec probe command argument 1 holds/, FAKE.password],
  ];

  test.each(cases)('%s is refused without echoing it', (_, props, message, secret) => {
    // GIVEN a literal credential in a field that lands in the manifest WHEN constructed
    const text = messageOf(() => deploy(props));
    // THEN the error names where and what kind, never the value
    expect(text).toMatch(message);
    expect(text).toMatch(/^SecureDeployment shop\/web: /);
    expect(text).not.toContain(secret);
  });

  test('a mounted ConfigMap holding a credential fails synth, naming the key and not the value', () => {
    // GIVEN a ConfigMap of the app with a password, mounted by the workload, and the key added after construction
    const { app, chart } = testChart();
    const configMap = new kplus.ConfigMap(chart, 'settings');
    new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, config: { configMap, mountPath: '/etc/app' } });
    configMap.addData('application.properties', `spring.datasource.password=${FAKE.password}\n`);
    // WHEN synthesized THEN validation fails with the ConfigMap, key and kind
    const text = messageOf(() => app.synth());
    expect(text).toMatch(/ConfigMap shop\/settings key "application.properties" holds a password property on line 1/);
    expect(text).not.toContain(FAKE.password);
  });

  test('a mounted ConfigMap without credentials synthesizes', () => {
    // GIVEN ordinary settings WHEN synthesized THEN nothing is refused
    const { chart } = testChart();
    const configMap = new kplus.ConfigMap(chart, 'settings', { data: { 'app.properties': 'server.port=8080\n' } });
    new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, config: { configMap, mountPath: '/etc/app' } });
    expect(synth(chart).map((m) => m.kind)).toContain('Deployment');
  });
});

describe('SecureDeployment emits nothing the API server would refuse', () => {
  const cases: Array<[string, Partial<SecureDeploymentProps>, RegExp]> = [
    ['replicas beyond int32', { replicas: 2 ** 31 }, /replicas 2147483648 is not a whole number from 1 to 2147483647/],
    ['fractional replicas', { replicas: 2.5 }, /replicas 2.5 is not a whole number/],
    ['negative revision history', { revisionHistoryLimit: -1 }, /revisionHistoryLimit -1 is not a whole number from 0/],
    ['maxReplicas beyond int32', { autoscaling: { maxReplicas: 1e10 } }, /autoscaling.maxReplicas 10000000000 is not a whole number/],
    ['probe period 0', { readiness: HealthProbe.tcp({ period: Duration.seconds(0) }) }, /readiness probe period \(seconds\) 0 is not a whole number from 1/],
    ['probe failure threshold 0', { liveness: HealthProbe.tcp({ failureThreshold: 0 }) }, /liveness probe failureThreshold 0 is not a whole number from 1/],
    ['probe timeout of 1.5 s', { readiness: HealthProbe.tcp({ timeout: Duration.millis(1500) }) }, /readiness probe timeout "1 second 500 millis" is not a whole number of seconds/],
    ['probe port 0', { readiness: HealthProbe.http('/ready', { port: 0 }) }, /probe port 0 is not a valid port/],
    ['empty exec command', { port: undefined, liveness: HealthProbe.exec([]) }, /the exec probe command is empty/],
    ['blank exec program', { port: undefined, liveness: HealthProbe.exec(['']) }, /the exec probe command is empty/],
    ['relative HTTP probe path', { readiness: HealthProbe.http('healthz') }, /HTTP probe path "healthz" is not an absolute URL path/],
    ['negative CPU', { resources: { cpu: { request: kplus.Cpu.millis(-100) } } }, /the cpu request "-100m" is not a Kubernetes quantity/],
    ['NaN CPU', { resources: { cpu: { limit: kplus.Cpu.units(NaN) } } }, /the cpu limit "NaN" is not a Kubernetes quantity/],
    ['zero CPU', { resources: { cpu: { request: kplus.Cpu.millis(0) } } }, /the cpu request "0m" is not above zero/],
    ['NaN memory', { resources: { memory: { limit: Size.mebibytes(NaN) } } }, /the memory limit "NaNKi" is not a Kubernetes quantity/],
    ['config mounted on /tmp', { config: { configMap: kplus.ConfigMap.fromConfigMapName(testChart().chart, 'c', 'settings'), mountPath: '/tmp' } },
      /two volumes are mounted on "\/tmp" \(scratch-tmp and config\)/],
    ['config mounted on a writable path', {
      writablePaths: ['/var/cache/app/'],
      config: { configMap: kplus.ConfigMap.fromConfigMapName(testChart().chart, 'c', 'settings'), mountPath: '/var/cache/app' },
    }, /two volumes are mounted on "\/var\/cache\/app"/],
    ['a writable path listed twice', { writablePaths: ['/data', '//data/'] }, /two volumes are mounted on "\/data"/],
    ['a mount path with ..', { writablePaths: ['/data/../etc'] }, /writablePaths\[0\] "\/data\/..\/etc" is not an absolute directory/],
    ['reserved priority class', { priorityClassName: 'system-node-critical' }, /priorityClassName "system-node-critical" is reserved/],
    ['invalid priority class', { priorityClassName: 'High_Priority' }, /priorityClassName "High_Priority" is not a valid DNS-1123 subdomain/],
    ['invalid image pull secret', { imagePullSecrets: [kplus.Secret.fromSecretName(testChart().chart, 's', 'Registry_Creds')] }, /imagePullSecrets\[0\] name "Registry_Creds"/],
    ['invalid Secret key', { env: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(testChart().chart, 's', 'db'), key: 'a/b' }) } },
      /environment variable DB_PASSWORD reads Secret key "a\/b" is not a valid key/],
  ];

  test.each(cases)('%s', (_, props, message) => {
    // GIVEN a value the API server refuses WHEN constructed THEN it is refused with the construct path and the fix
    const text = messageOf(() => deploy(props));
    expect(text).toMatch(/^SecureDeployment shop\/web: /);
    expect(text).toMatch(message);
  });

  test('writable paths whose names slug alike get distinct volumes', () => {
    // GIVEN two paths that differ only in punctuation WHEN synthesized
    const { chart } = deploy({ writablePaths: ['/var/a-b', '/var/a/b'] });
    const names = podSpec(only(synth(chart), 'Deployment')).volumes.map((v: any) => v.name);
    // THEN each has its own volume
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(3);
  });
});

describe('SecureDeployment from plain JavaScript', () => {
  const cases: Array<[string, any, RegExp]> = [
    ['no props', undefined, /props are undefined, not an object/],
    ['image missing', { port: 8080 }, /image is missing, not a string/],
    ['image a number', { image: 42 }, /image is a number, not a string/],
    ['env value a plain string', { image: IMAGE, port: 80, env: { MODE: 'production' } }, /env MODE is a string, not an EnvValue/],
    ['env a list', { image: IMAGE, port: 80, env: ['A=B'] }, /env is a list, not a map of strings/],
    ['command a string', { image: IMAGE, port: 80, command: 'npm start' }, /command is a string, not a list of strings/],
    ['args with a number', { image: IMAGE, port: 80, args: ['--port', 80] }, /args\[1\] is a number, not a string/],
    ['labels a string', { image: IMAGE, port: 80, labels: 'team=a' }, /labels is a string, not a map of strings/],
    ['readiness a plain object', { image: IMAGE, port: 80, readiness: { path: '/healthz' } }, /readiness is an object, not a HealthProbe/],
    ['allowIngressFrom a string', { image: IMAGE, port: 80, allowIngressFrom: 'frontend' }, /allowIngressFrom is a string, not a list/],
    ['allowIngressFrom with a string', { image: IMAGE, port: 80, allowIngressFrom: ['frontend'] }, /allowIngressFrom\[0\] is a string, not a network-policy peer/],
    ['serviceAccount a string', { image: IMAGE, port: 80, serviceAccount: 'web' }, /serviceAccount is a string, not a ServiceAccount/],
    ['config map by name', { image: IMAGE, port: 80, config: { configMap: 'settings', mountPath: '/etc/app' } }, /config.configMap is a string, not a ConfigMap/],
    ['writablePaths a string', { image: IMAGE, port: 80, writablePaths: '/data' }, /writablePaths is a string, not a list of strings/],
    ['user a string', { image: IMAGE, port: 80, user: '1000' }, /user "1000" is not a valid id/],
    ['namespace a string', { image: IMAGE, port: 80, namespace: 'shop' }, /namespace is a string, not a namespace reference/],
    ['replicas a string', { image: IMAGE, port: 80, replicas: '3' }, /replicas "3" is not a whole number/],
  ];

  test.each(cases)('%s gets the construct-path-value-fix error', (_, props, message) => {
    // GIVEN props as JavaScript or cdk8s.yaml could pass them WHEN constructed
    const { chart } = testChart();
    const text = messageOf(() => new SecureDeployment(chart, 'web', props));
    // THEN the error names the construct and the prop, not a TypeError from deep inside
    expect(text).toMatch(/^SecureDeployment shop\/web: /);
    expect(text).toMatch(message);
  });

  test('an env value that is a secret is not echoed by the type error', () => {
    // GIVEN a literal password passed as a plain string instead of an EnvValue
    const { chart } = testChart();
    const text = messageOf(() => new SecureDeployment(chart, 'web', { image: IMAGE, port: 80, env: { DB_PASSWORD: FAKE.password } } as any));
    // THEN the error does not contain it
    expect(text).not.toContain(FAKE.password);
  });

  test('a chart namespace the API server would refuse is refused', () => {
    // GIVEN a chart namespace with upper case WHEN a workload is added THEN the error names the chart's namespace
    const { chart } = testChart('Shop');
    expect(() => new SecureDeployment(chart, 'web', { image: IMAGE, port: 80 })).toThrow(/the namespace of chart shop "Shop" is not a valid DNS-1123 label/);
  });
});

describe('SecureDeployment.addEgressRule never opens egress by accident', () => {
  const cidr = (text: string, except?: string[]) => ({ ipBlock: { cidr: text, except } });
  test.each([
    ['an empty rule', {}, /the rule names no destination \("to" is missing or empty\)/],
    ['an empty "to"', { to: [] }, /the rule names no destination/],
    ['a peer that selects nothing', { to: [{}] }, /to\[0\] selects nothing/],
    ['every namespace', { to: [{ namespaceSelector: {} }] }, /the peers/],
    ['the whole internet', { to: [cidr('0.0.0.0/0', ['169.254.169.254/32', '100.100.100.200/32', '169.254.170.2/32', '169.254.170.23/32'])] }, /the peers/],
    ['a block holding the metadata service', { to: [cidr('169.254.0.0/16')] }, /holds the cloud metadata addresses 169.254.169.254, 169.254.170.2, 169.254.170.23/],
    ['the metadata service as a mapped address', { to: [cidr('::ffff:169.254.169.254/128')] }, /holds the cloud metadata address/],
    ['an except outside its block', { to: [cidr('10.0.0.0/16', ['10.1.0.0/24'])] }, /except block "10.1.0.0\/24" lies outside/],
    ['port 0', { to: [cidr('10.0.0.0/16')], ports: [{ protocol: 'TCP', port: k8sPort(0) }] }, /ports\[0\].port 0 is not a valid port/],
    ['a reversed range', { to: [cidr('10.0.0.0/16')], ports: [{ protocol: 'TCP', port: k8sPort(9000), endPort: 8000 }] }, /ports\[0\].endPort 8000 needs a numeric port at or below it/],
    ['an unknown protocol', { to: [cidr('10.0.0.0/16')], ports: [{ protocol: 'ICMP', port: k8sPort(1) }] }, /ports\[0\].protocol "ICMP" is not TCP, UDP or SCTP/],
  ])('%s is refused', (_, rule, message) => {
    // GIVEN a workload WHEN a rule that opens too much (or that the API server refuses) is added THEN it is refused
    const { workload } = deploy();
    const text = messageOf(() => workload.addEgressRule(rule as any));
    expect(text).toMatch(/^SecureDeployment shop\/web: addEgressRule: /);
    expect(text).toMatch(message);
  });

  test('rules that are narrow alone but cover every address together are refused', () => {
    // GIVEN one half of IPv4 allowed (metadata excepted)
    const { workload } = deploy();
    workload.addEgressRule({ to: [cidr('0.0.0.0/1', ['100.100.100.200/32'])] });
    // WHEN the other half is added THEN the sum, every public and internal address, is refused
    expect(() => workload.addEgressRule({ to: [cidr('128.0.0.0/1', ['169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32'])] }))
      .toThrow(/addEgressRule: together with the rules added before, the ipBlocks of the rule added first, this rule cover every IPv4 address/);
  });

  test('a named destination on a port is added', () => {
    // GIVEN a workload WHEN a rule to one block and port is added THEN the NetworkPolicy carries it
    const { chart, workload } = deploy();
    workload.addEgressRule({ to: [cidr('10.200.0.0/24')], ports: [{ protocol: 'TCP', port: k8sPort(5432) }] });
    const policy = only(synth(chart), 'NetworkPolicy');
    expect(policy.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.200.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5432 }] });
  });
});

function k8sPort(port: number) {
  return kplus.k8s.IntOrString.fromNumber(port);
}

describe('SecureDeployment: secrets hidden in other fields', () => {
  test.each([
    ['a token as a label value', { labels: { 'api-token': FAKE.github } }, /label "api-token" holds a GitHub token/, FAKE.github],
    ['a token in an HTTP probe path', { readiness: HealthProbe.http(`/healthz?access_token=${FAKE.github}`) }, /the HTTP probe path holds a GitHub token/, FAKE.github],
    ['a credential parameter in an HTTP probe path', { readiness: HealthProbe.http(`/healthz?password=${FAKE.password}`) }, /the HTTP probe path holds a password property/, FAKE.password],
    ['registry credentials in the image', { image: `deploy:${FAKE.password}@ghcr.io/acme/web:1.4.2` }, /image reference carries registry credentials/, FAKE.password],
  ])('%s is refused without echoing it', (_, props, message, secret) => {
    // GIVEN a secret in a field that lands in the manifest WHEN constructed THEN refused, naming the field and kind only
    const text = messageOf(() => deploy(props as Partial<SecureDeploymentProps>));
    expect(text).toMatch(message);
    expect(text).not.toContain(secret);
  });
});

describe('SecureDeployment: names derived from valid input are valid', () => {
  test('an image tag that is no valid label value leaves out the version label instead of failing', () => {
    // GIVEN a valid 70-character tag WHEN synthesized THEN the Deployment exists, without app.kubernetes.io/version
    const { chart } = deploy({ image: `ghcr.io/acme/web:${'1'.repeat(70)}` });
    const deployment = only(synth(chart), 'Deployment');
    expect(deployment.metadata.labels['app.kubernetes.io/version']).toBeUndefined();
    expect(deployment.metadata.labels['app.kubernetes.io/instance']).toBe('web');
  });

  test('two constructs emitting the same object fail synth, naming both', () => {
    // GIVEN two workloads given the same name in one namespace
    const { app, chart } = testChart();
    new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web' });
    new SecureDeployment(chart, 'web2', { image: IMAGE, port: 8080, name: 'web' });
    // WHEN synthesized THEN the collision is reported with both construct paths
    expect(() => app.synth()).toThrow(/ServiceAccount shop\/web is emitted twice, by shop\/web\/ServiceAccount and shop\/web2\/ServiceAccount \(and 4 more objects of shop\/web and shop\/web2\)/);
  });
});

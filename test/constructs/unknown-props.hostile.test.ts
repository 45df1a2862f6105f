import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AdmissionPolicies, AutoscalingOptions, CanaryPair, CanaryRouting, DefaultDenyNamespace, DnsEgress, EgressAllowlist, EgressTarget, ExternalAddress,
  ExternalMongoService, FlywayMigrationJob, HealthProbe, ImageSigner, ImageVerification, Migrations, Prerequisite, PriorityClass,
  PostgresDatabase, SecureDeployment, SecureDeploymentProps, SecureStatefulSet,
} from '../../src';
import { checkPropsObject, nearestName, PropKeys } from '../../src/core/prop-checks';
import { errorOf, testChart } from '../support/helpers';

const IMAGE = 'ghcr.io/acme/web:1.4.2';
const GITHUB = { issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/acme/web/.github/workflows/release.yaml@refs/heads/main' };

/** Props with a misspelt key, typed as the caller's own object: TypeScript's excess-property check does not see them. */
function misspelt<T>(props: T, key: string, value: unknown): T {
  return { ...props, [key]: value };
}

function web(chart: Chart, props: Partial<SecureDeploymentProps> = {}): SecureDeployment {
  return new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, ...props });
}

function mongo(chart: Chart, props: object = {}): ExternalMongoService {
  return new ExternalMongoService(chart, 'mongo', {
    address: ExternalAddress.ip('10.200.0.2'), database: 'shop', credentials: kplus.Secret.fromSecretName(chart, 'creds', 'mongo'), ...props,
  });
}

describe('a misspelt prop is refused at construction with the nearest known name', () => {
  test('SecureDeployment: readyness through a variable', () => {
    // GIVEN props built in a variable, where TypeScript does not check for excess keys
    const { chart } = testChart();
    const props: SecureDeploymentProps = misspelt({ image: IMAGE, port: 8080 }, 'readyness', HealthProbe.http('/ready'));
    // WHEN the construct is created THEN the error names the construct path, the key and the key meant
    expect(errorOf(() => new SecureDeployment(chart, 'web', props)).message)
      .toBe('SecureDeployment shop/web: unknown prop "readyness"; did you mean "readiness"?');
  });

  test.each<[string, (chart: Chart) => unknown, RegExp]>([
    ['SecureDeployment', (c) => web(c, misspelt({}, 'replica', 3)), /^SecureDeployment shop\/web: unknown prop "replica"; did you mean "replicas"\?$/],
    ['CanaryPair', (c) => new CanaryPair(c, 'reco', misspelt({ port: 8080, stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/web:1.5.0' } }, 'canaryWieght', 25)),
      /^CanaryPair shop\/reco: unknown prop "canaryWieght"; did you mean "canaryWeight"\?$/],
    ['DefaultDenyNamespace', (c) => new DefaultDenyNamespace(c, 'ns', misspelt({ name: 'shop' }, 'qouta', {})),
      /^DefaultDenyNamespace shop\/ns: unknown prop "qouta"; did you mean "quota"\?$/],
    ['EgressAllowlist', (c) => new EgressAllowlist(c, 'egress', misspelt({ workload: web(c), allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })] }, 'allowed', [])),
      /^EgressAllowlist shop\/egress: unknown prop "allowed"; did you mean "allow"\?$/],
    ['ExternalMongoService', (c) => mongo(c, { authSorce: 'admin' }), /^ExternalMongoService shop\/mongo: unknown prop "authSorce"; did you mean "authSource"\?$/],
    ['FlywayMigrationJob', (c) => new FlywayMigrationJob(c, 'migrate', misspelt({
      jdbcUrl: 'jdbc:postgresql://db:5432/shop', credentials: kplus.Secret.fromSecretName(c, 'creds', 'db'), migrations: Migrations.fromImage('ghcr.io/acme/migrations:1.0.0'),
    }, 'backofLimit', 2)), /^FlywayMigrationJob shop\/migrate: unknown prop "backofLimit"; did you mean "backoffLimit"\?$/],
    ['SecureStatefulSet', (c) => new SecureStatefulSet(c, 'queue', misspelt({ image: IMAGE, port: 5672, storage: { size: Size.gibibytes(1), mountPath: '/data' } }, 'replica', 1)),
      /^SecureStatefulSet shop\/queue: unknown prop "replica"; did you mean "replicas"\?$/],
    ['PostgresDatabase', (c) => new PostgresDatabase(c, 'db', misspelt({
      image: 'postgres:17.6', database: 'app', credentials: kplus.Secret.fromSecretName(c, 'db-creds', 'db'), storage: { size: Size.gibibytes(1) },
    }, 'passwordkey', 'pw')), /^PostgresDatabase shop\/db: unknown prop "passwordkey"; did you mean "passwordKey"\?$/],
    ['PriorityClass', (c) => new PriorityClass(c, 'priority', misspelt({ value: 1000 }, 'preemting', false)),
      /^PriorityClass shop\/priority: unknown prop "preemting"; did you mean "preempting"\?$/],
    ['ImageVerification', (c) => new ImageVerification(c, 'signed', misspelt({ signedBy: ImageSigner.keyless(GITHUB) }, 'signedby', [])),
      /^ImageVerification shop\/signed: unknown prop "signedby"; did you mean "signedBy"\?$/],
    ['AdmissionPolicies', (c) => new AdmissionPolicies(c, 'admission', misspelt({}, 'failOnWarning', true)),
      /^AdmissionPolicies shop\/admission: unknown prop "failOnWarning"; did you mean "failOnWarnings"\?$/],
    ['Prerequisite', (c) => Prerequisite.of(c, misspelt({ kind: 'StorageClass', name: 'fast' }, 'clusterscoped', true)),
      /^Prerequisite shop: unknown key in the prerequisite "clusterscoped"; did you mean "clusterScoped"\?$/],
  ])('%s', (_kind, build, message) => {
    // GIVEN a chart THEN the misspelt prop fails construction, naming the key meant
    const { chart } = testChart();
    expect(errorOf(() => build(chart)).message).toMatch(message);
  });
});

describe('a misspelt key in nested options is refused, naming the options and the key meant', () => {
  test.each<[string, (chart: Chart) => unknown, RegExp]>([
    ['autoscaling', (c) => web(c, { autoscaling: misspelt({ maxReplicas: 4 }, 'minReplica', 2) }), /unknown key in autoscaling "minReplica"; did you mean "minReplicas"\?$/],
    ['config', (c) => web(c, { config: misspelt({ configMap: kplus.ConfigMap.fromConfigMapName(c, 'cm', 'cfg'), mountPath: '/etc/app' }, 'readOnly', true) }),
      /unknown key in config "readOnly"; remove it, or use one of "configMap", "mountPath"$/],
    ['resources', (c) => web(c, { resources: misspelt({}, 'memroy', { limit: Size.mebibytes(512) }) }), /unknown key in resources "memroy"; did you mean "memory"\?$/],
    ['resources.cpu', (c) => web(c, { resources: { cpu: misspelt({}, 'requests', kplus.Cpu.millis(100)) } }), /unknown key in resources.cpu "requests"; did you mean "request"\?$/],
    ['Flyway resources', (c) => new FlywayMigrationJob(c, 'migrate', {
      jdbcUrl: 'jdbc:postgresql://db:5432/shop',
      credentials: kplus.Secret.fromSecretName(c, 'creds', 'db'),
      migrations: Migrations.fromImage('ghcr.io/acme/migrations:1.0.0'),
      resources: { memory: misspelt({}, 'limits', Size.mebibytes(512)) },
    }), /unknown key in resources.memory "limits"; did you mean "limit"\?$/],
    ['storage', (c) => new SecureStatefulSet(c, 'queue', { image: IMAGE, port: 5672, storage: misspelt({ size: Size.gibibytes(1), mountPath: '/data' }, 'acessMode', 'ReadWriteOnce') }),
      /unknown key in storage "acessMode"; did you mean "accessMode"\?$/],
    ['secretFiles', (c) => web(c, { secretFiles: [misspelt({ secret: kplus.Secret.fromSecretName(c, 's', 'tls'), mountPath: '/etc/tls' }, 'key', ['tls.crt'])] }),
      /unknown key in secretFiles\[0\] "key"; did you mean "keys"\?$/],
    ['PostgresDatabase tls', (c) => new PostgresDatabase(c, 'db', {
      image: 'postgres:17.6',
      database: 'app',
      credentials: kplus.Secret.fromSecretName(c, 'db-creds', 'db'),
      storage: { size: Size.gibibytes(1) },
      tls: misspelt({ secret: kplus.Secret.fromSecretName(c, 'tls', 'db-tls') }, 'certificate', 'tls.crt'),
    }), /unknown key in tls "certificate"; did you mean "certificateKey"\?$/],
    ['metrics', (c) => web(c, { metrics: misspelt({ port: 9090 }, 'intervall', '15s') }), /unknown key in metrics "intervall"; did you mean "interval"\?$/],
    ['probe options', (c) => web(c, { readiness: HealthProbe.http('/ready', misspelt({}, 'timout', undefined)) }),
      /unknown key in readiness probe options "timout"; did you mean "timeout"\?$/],
    ['options of a port probe', (c) => web(c, { liveness: HealthProbe.tcp(misspelt({}, 'https', true)) }),
      /unknown key in liveness probe options "https"; remove it, or use one of/],
    ['egress rule', (c) => web(c).addEgressRule(misspelt({ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }] }, 'port', [{ port: 443 }])),
      /unknown key in the rule "port"; did you mean "ports"\?$/],
    ['grant', (c) => web(c).allow(misspelt({ verbs: ['get'], resources: [kplus.ApiResource.CONFIG_MAPS] }, 'resourceName', ['a'])),
      /unknown key in the grant "resourceName"; did you mean "resourceNames"\?$/],
    ['canary version', (c) => new CanaryPair(c, 'reco', { port: 8080, stable: misspelt({ image: IMAGE }, 'replicaz', 3), canary: { image: 'ghcr.io/acme/web:1.5.0' } }),
      /unknown key in stable "replicaz"; did you mean "replicas"\?$/],
    ['istio routing', (c) => new CanaryPair(c, 'reco', {
      port: 8080, stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/web:1.5.0' }, routing: CanaryRouting.istio(misspelt({}, 'mirrored', true)),
    }), /unknown key in CanaryRouting.istio options "mirrored"; did you mean "mirror"\?$/],
    ['header match', (c) => new CanaryPair(c, 'reco', {
      port: 8080,
      stable: { image: IMAGE },
      canary: { image: 'ghcr.io/acme/web:1.5.0' },
      routing: CanaryRouting.istio({ matchHeaders: [misspelt({ name: 'user-agent' }, 'regexp', '.*Safari.*')] }),
    }), /unknown key in CanaryRouting.istio matchHeaders\[0\] "regexp"; did you mean "regex"\?$/],
    ['gateway reference', (c) => new CanaryPair(c, 'reco', {
      port: 8080,
      stable: { image: IMAGE },
      canary: { image: 'ghcr.io/acme/web:1.5.0' },
      routing: CanaryRouting.gatewayApi({ gateway: misspelt({ name: 'public' }, 'namspace', 'gateways') }),
    }), /unknown key in CanaryRouting.gatewayApi gateway "namspace"; did you mean "namespace"\?$/],
    ['gateway API routing', (c) => new CanaryPair(c, 'reco', {
      port: 8080,
      stable: { image: IMAGE },
      canary: { image: 'ghcr.io/acme/web:1.5.0' },
      routing: CanaryRouting.gatewayApi(misspelt({ gateway: { name: 'public' } }, 'hostname', ['a.example.com'])),
    }), /unknown key in CanaryRouting.gatewayApi options "hostname"; did you mean "hostnames"\?$/],
    ['namespace quota', (c) => new DefaultDenyNamespace(c, 'ns', { name: 'shop', quota: misspelt({}, 'pod', 10) }), /unknown key in quota "pod"; did you mean "pods"\?$/],
    ['custom DNS', (c) => new DefaultDenyNamespace(c, 'ns', { name: 'shop', dns: DnsEgress.custom(misspelt({ namespaceLabels: { a: 'b' }, podLabels: { c: 'd' } }, 'podLabel', {})) }),
      /unknown key in the options of DnsEgress.custom "podLabel"; did you mean "podLabels"\?$/],
    ['CIDR target options', (c) => new EgressAllowlist(c, 'egress', { workload: web(c), allow: [EgressTarget.cidr('10.0.0.0/16', { tcp: [443] }, misspelt({}, 'exceptCidr', ['10.0.5.0/24']))] }),
      /unknown key in the options of EgressTarget.cidr\("10.0.0.0\/16"\) "exceptCidr"; did you mean "exceptCidrs"\?$/],
    ['allowFrom options', (c) => mongo(c).allowFrom(web(c), misspelt({}, 'mod', 'istio')), /unknown key in allowFrom options "mod"; did you mean "mode"\?$/],
    ['keyless signer', (c) => new ImageVerification(c, 'signed', { signedBy: ImageSigner.keyless(misspelt(GITHUB, 'fulcioURL', 'https://fulcio.example.com')) }),
      /unknown key in the options of ImageSigner.keyless "fulcioURL"; did you mean "fulcioUrl"\?$/],
  ])('%s', (_what, build, message) => {
    // GIVEN a chart THEN the misspelt nested key fails construction with the construct path and the key meant
    const { chart } = testChart();
    expect(errorOf(() => build(chart)).message).toMatch(new RegExp(`^\\w+ shop(/\\S+)?: .*${message.source}`));
  });
});

describe('hostile keys', () => {
  test('a key far from every known name lists the known names instead of guessing', () => {
    // GIVEN a key no known name is near
    const { chart } = testChart();
    // WHEN THEN the fix lists the props of the construct
    expect(errorOf(() => new PriorityClass(chart, 'p', misspelt({ value: 1000 }, 'securityContext', {}))).message)
      .toBe('PriorityClass shop/p: unknown prop "securityContext"; remove it, or use one of "value", "name", "description", "preempting"');
  });

  test('a key whose value is undefined is still refused (a JavaScript caller misspelt it)', () => {
    const { chart } = testChart();
    expect(errorOf(() => web(chart, misspelt({}, 'liveliness', undefined))).message).toMatch(/unknown prop "liveliness"; did you mean "liveness"\?$/);
  });

  test('a very long key is shortened in the message', () => {
    const { chart } = testChart();
    const message = errorOf(() => web(chart, misspelt({}, 'x'.repeat(10_000), 1))).message;
    expect(message.length).toBeLessThan(1000);
    expect(message).toMatch(/unknown prop "x+\.\.\.; remove it, or use one of "image"/);
  });

  test('inherited and symbol keys are not props', () => {
    // GIVEN props whose prototype carries a stray key and which hold a symbol key
    const { chart } = testChart();
    const props = Object.assign(Object.create({ inherited: true }), { image: IMAGE, port: 8080, [Symbol('meta')]: 1 });
    // WHEN THEN the construct is created: only own string keys are props
    expect(new SecureDeployment(chart, 'web', props).deployment.kind).toBe('Deployment');
  });

  test('__proto__ written as an own key is refused like any other', () => {
    const { chart } = testChart();
    const props = JSON.parse(`{ "image": "${IMAGE}", "port": 8080, "__proto__": { "polluted": true } }`);
    expect(errorOf(() => new SecureDeployment(chart, 'web', props)).message).toMatch(/unknown prop "__proto__"/);
    expect(({} as any).polluted).toBeUndefined();
  });
});

describe('nearestName', () => {
  test.each([
    ['readyness', 'readiness'],
    ['Image', 'image'],
    ['imgae', 'image'],
    ['replica', 'replicas'],
    ['quotaa', 'quota'],
  ])('%s -> %s', (typo, meant) => {
    expect(nearestName(typo, ['image', 'readiness', 'replicas', 'quota', 'liveness'])).toBe(meant);
  });

  test.each(['x', 'resources', 'securityContext', ''])('no guess for %p', (name) => {
    expect(nearestName(name, ['image', 'readiness', 'replicas', 'quota', 'port'])).toBeUndefined();
  });

  test('the nearest of two candidates wins', () => {
    expect(nearestName('ports', ['port', 'ports'])).toBe('ports');
    expect(nearestName('portss', ['port', 'ports'])).toBe('ports');
  });
});

describe('the known keys cannot drift from the interface', () => {
  test('the compiler refuses a PropKeys constant with a key too many or too few (checked by the type check of the tests)', () => {
    // GIVEN the keys of an options interface, written as the constructs write them
    const exact: PropKeys<AutoscalingOptions> = { minReplicas: true, maxReplicas: true, cpuTargetPercent: true, memoryTargetPercent: true };
    // @ts-expect-error a key the interface does not declare
    const extra: PropKeys<AutoscalingOptions> = { ...exact, minReplica: true };
    // @ts-expect-error a key of the interface left out
    const missing: PropKeys<AutoscalingOptions> = { minReplicas: true, maxReplicas: true, cpuTargetPercent: true };
    // THEN only the exact list type-checks (the two above fail `tsc` if PropKeys stops catching them), and it is what is checked at run time
    expect(Object.keys(exact)).toEqual(['minReplicas', 'maxReplicas', 'cpuTargetPercent', 'memoryTargetPercent']);
    expect([extra, missing].map((keys) => Object.keys(keys).length)).toEqual([5, 3]);
    expect(() => checkPropsObject('here', { maxReplicas: 4, minReplica: 2 } as AutoscalingOptions, exact, 'autoscaling')).toThrow('here: unknown key in autoscaling "minReplica"; did you mean "minReplicas"?');
  });
});

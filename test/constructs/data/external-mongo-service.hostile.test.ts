import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { EgressMode, ExternalAddress, ExternalMongoService, ExternalMongoServiceProps, Policy, SecureDeployment } from '../../../src';
import { only, synth, testChart } from '../../support/helpers';

const FAKE_PASSWORD = 'Zq8!fake-Pw-4711';

function mongo(props: Partial<ExternalMongoServiceProps> = {}) {
  const { app, chart } = testChart();
  const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'mongo-credentials');
  const service = new ExternalMongoService(chart, 'mongo', { address: ExternalAddress.ip('10.200.0.2'), database: 'dev', credentials, ...props });
  return { app, chart, service };
}

function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error: any) {
    return error.message;
  }
  return '';
}

describe('ExternalMongoService options cannot weaken TLS or carry credentials', () => {
  test.each<[string, { [key: string]: string }, RegExp]>([
    ['tlsAllowInvalidCertificates', { tlsAllowInvalidCertificates: 'true' }, /options "tlsAllowInvalidCertificates" weakens TLS/],
    ['tlsAllowInvalidHostnames, other case', { TLSALLOWINVALIDHOSTNAMES: 'true' }, /options "TLSALLOWINVALIDHOSTNAMES" weakens TLS/],
    ['tlsInsecure', { tlsInsecure: 'true' }, /weakens TLS/],
    ['tlsDisableOCSPEndpointCheck', { tlsDisableOCSPEndpointCheck: 'true' }, /weakens TLS/],
    ['tlsDisableCertificateRevocationCheck', { tlsdisablecertificaterevocationcheck: 'true' }, /weakens TLS/],
    ['the old ssl alias', { sslAllowInvalidCertificates: 'true' }, /weakens TLS/],
    ['tls=false overriding the prop', { tls: 'false' }, /options "tls" would override the tls prop/],
    ['ssl=false overriding the prop', { SSL: 'false' }, /options "SSL" would override the tls prop/],
    ['authSource overriding the prop', { authsource: 'other' }, /would override the authSource prop/],
    ['a password option', { password: FAKE_PASSWORD }, /options "password" holds a credential \(value not shown\)/],
    ['a proxy password (refused as a proxy option, value not shown)', { proxyPassword: FAKE_PASSWORD }, /options "proxyPassword" sends the connection through a SOCKS5 proxy/],
    ['the key-file password', { tlsCertificateKeyFilePassword: FAKE_PASSWORD }, /holds a credential/],
    ['an AWS session token', { authMechanism: 'MONGODB-AWS', authMechanismProperties: `AWS_SESSION_TOKEN:${FAKE_PASSWORD}` }, /options "authMechanismProperties" holds a credential/],
    ['a token the detector knows', { appName: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' }, /options "appName" holds a GitHub token|options "appName" holds/],
    ['the same option twice', { replicaSet: 'rs0', replicaset: 'rs1' }, /options "replicaSet" and "replicaset" are the same option/],
    ['a key that is no option name', { 'replicaSet&tls': 'false' }, /options key "replicaSet&tls" is not a MongoDB URI option name/],
  ])('%s', (_, options, message) => {
    // GIVEN options that weaken TLS or carry a secret, WHEN the service is built
    const error = errorOf(() => mongo({ options }));
    // THEN it is refused with the path, and no secret value is echoed
    expect(error).toMatch(/^ExternalMongoService shop\/mongo: /);
    expect(error).toMatch(message);
    expect(error).not.toContain(FAKE_PASSWORD);
    expect(error).not.toContain('ghp_abc');
  });

  test('harmless options pass, MONGODB-X509 included', () => {
    // GIVEN / WHEN options that neither weaken TLS nor carry a secret / THEN in the connection string as given
    const { service } = mongo({ options: { replicaSet: 'rs0', authMechanism: 'MONGODB-X509', tlsCAFile: '/etc/ca/ca.pem' } });
    expect(service.connectionString).toBe('mongodb://mongo:27017/dev?authSource=admin&tls=true&replicaSet=rs0&authMechanism=MONGODB-X509&tlsCAFile=%2Fetc%2Fca%2Fca.pem');
  });

  test('authSource $external (X.509, LDAP, AWS) is a valid authSource', () => {
    expect(mongo({ authSource: '$external' }).service.connectionString).toContain('authSource=%24external');
  });
});

describe('ExternalMongoService options cannot send the connection elsewhere', () => {
  test.each<[string, { [key: string]: string }]>([
    ['proxyHost to a proxy in the pod', { proxyHost: 'localhost', proxyPort: '1080' }],
    ['proxyHost to a proxy in the cluster', { proxyHost: 'socks.tools.svc' }],
    ['proxyPort alone', { proxyPort: '1080' }],
    ['proxyUsername', { proxyUsername: 'app' }],
    ['proxyHost in another case', { PROXYHOST: '10.0.0.9' }],
  ])('%s is refused with the fix', (_, options) => {
    // GIVEN a SOCKS5 proxy option, WHEN the service is built
    const error = errorOf(() => mongo({ options }));
    // THEN refused, naming the first option and the fix
    expect(error).toMatch(new RegExp(`^ExternalMongoService shop/mongo: options "${Object.keys(options)[0]}" sends the connection through a SOCKS5 proxy`));
    expect(error).toMatch(/remove the proxy options/);
  });

  test.each([['srvServiceName', 'customname'], ['srvMaxHosts', '2'], ['SRVMAXHOSTS', '2']])('%s without srv is refused (drivers refuse it on mongodb://)', (key, value) => {
    // GIVEN / WHEN an SRV-only option on a mongodb:// URI / THEN refused
    expect(errorOf(() => mongo({ options: { [key]: value } }))).toMatch(new RegExp(`options "${key}" applies only to mongodb\\+srv:// URIs`));
  });

  test('SRV options with srv, directConnection and loadBalanced stay allowed', () => {
    // GIVEN options that narrow or pick among the database's own hosts
    const srv = mongo({ address: ExternalAddress.hostname('cluster0.example.com'), srv: true, options: { srvServiceName: 'mongodb', srvMaxHosts: '2' } }).service;
    const direct = mongo({ options: { directConnection: 'true' } }).service;
    const balanced = mongo({ options: { loadBalanced: 'true' } }).service;
    // WHEN / THEN in the connection string
    expect(srv.connectionString).toContain('srvServiceName=mongodb&srvMaxHosts=2');
    expect(direct.connectionString).toContain('directConnection=true');
    expect(balanced.connectionString).toContain('loadBalanced=true');
  });
});

describe('ExternalMongoService addresses are judged canonical', () => {
  test.each<[string, ExternalAddress, RegExp]>([
    ['the metadata address', ExternalAddress.ip('169.254.169.254'), /address "169.254.169.254" is the .*metadata service 169.254.169.254.*which hands out cloud credentials/],
    ['Alibaba\'s metadata address', ExternalAddress.ip('100.100.100.200'), /address "100.100.100.200" is the .*metadata service 100.100.100.200/],
    ['AWS\'s IPv6 metadata address', ExternalAddress.ip('fd00:ec2::254'), /address "fd00:ec2::254" is the .*metadata service.* fd00:ec2::254/],
    ['mapped loopback', ExternalAddress.ip('::ffff:127.0.0.1'), /IPv4-mapped form of 127.0.0.1.*loopback/],
    ['mapped metadata', ExternalAddress.ip('::ffff:169.254.169.254'), /metadata service 169.254.169.254/],
    ['an address twice, once mapped', ExternalAddress.ip('10.200.0.2', '::ffff:10.200.0.2'), /address "::ffff:10.200.0.2" is listed twice \(also as "10.200.0.2"/],
    ['localhost', ExternalAddress.hostname('localhost'), /hostname "localhost" is the loopback interface/],
    ['localhost with a trailing dot', ExternalAddress.hostname('LOCALHOST.'), /is the loopback interface/],
    ['the GCP metadata name', ExternalAddress.hostname('metadata.google.internal'), /cloud instance metadata service/],
    ['the API server', ExternalAddress.hostname('kubernetes.default.svc'), /the Kubernetes API server/],
    ['an address written as a name', ExternalAddress.hostname('2852039166'), /IP address written as a name/],
  ])('refused: %s', (_, address, message) => {
    expect(() => mongo({ address })).toThrow(message);
  });

  test('a mapped address is emitted as the IPv4 address it maps; families may mix', () => {
    const { chart } = mongo({ address: ExternalAddress.ip('::ffff:10.200.0.2', 'fd00::2') });
    const slices = synth(chart).filter((m) => m.kind === 'EndpointSlice');
    expect(slices.map((s) => [s.addressType, s.endpoints[0].addresses[0]])).toEqual([['IPv4', '10.200.0.2'], ['IPv6', 'fd00::2']]);
  });

  test('a host name is emitted canonical (lower case, no trailing dot)', () => {
    const { chart } = mongo({ address: ExternalAddress.hostname('Mongo.Example.com.') });
    expect(only(synth(chart), 'Service').spec.externalName).toBe('mongo.example.com');
  });
});

describe('ExternalMongoService names and keys', () => {
  test.each<[string, Partial<ExternalMongoServiceProps>, RegExp]>([
    ['a Secret key with a slash', { usernameKey: 'user/name' }, /usernameKey "user\/name" is not a valid key/],
    ['an empty password key', { passwordKey: '' }, /passwordKey "" is not a valid key/],
    ['the same key twice', { usernameKey: 'login', passwordKey: 'login' }, /usernameKey and passwordKey are both "login"/],
    ['an authSource with a dot', { authSource: 'a.b' }, /authSource "a.b" is not a valid MongoDB database name/],
  ])('refused: %s', (_, props, message) => {
    const build = () => {
      const { chart } = testChart();
      const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'mongo-credentials');
      return new ExternalMongoService(chart, 'mongo', {
        address: ExternalAddress.ip('10.200.0.2'), database: 'dev', credentials, ...props,
      });
    };
    expect(build).toThrow(message);
  });

  test('a construct id that is no DNS label gives a readable name told apart by a hash', () => {
    // GIVEN an id with upper case / WHEN constructed / THEN the name is the id as a label, with a hash of its path
    const { chart } = testChart();
    const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'mongo-credentials');
    const service = new ExternalMongoService(chart, 'Mongo', { address: ExternalAddress.ip('10.200.0.2'), database: 'dev', credentials });
    expect(service.serviceName).toMatch(/^mongo-[0-9a-f]{8}$/);
  });

  test('a 63-character name derives valid, distinct names (uri Secret, slices, egress policies)', () => {
    // GIVEN the longest service name and a Secret this app defines
    const { chart } = testChart();
    const credentials = new kplus.Secret(chart, 'creds', { stringData: { username: 'app', password: FAKE_PASSWORD } });
    const name = `m${'o'.repeat(61)}x`;
    const service = new ExternalMongoService(chart, 'mongo', { name, address: ExternalAddress.ip('10.200.0.2', 'fd00::2'), database: 'dev', credentials });
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    const Web = new SecureDeployment(chart, 'Web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web-2', appName: 'web-2' });
    service.allowFrom(web);
    service.allowFrom(Web);
    // WHEN synthesized, THEN every name is a DNS label and no two objects of a kind share one
    const manifests = synth(chart);
    for (const m of manifests) expect(m.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    const keys = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('no secret value outside a Secret', () => {
  test('the password appears only in Secrets, never in other manifests or the connection string', () => {
    // GIVEN credentials defined in the app
    const { app, chart } = testChart();
    const credentials = new kplus.Secret(chart, 'creds', { stringData: { username: 'app', password: FAKE_PASSWORD } });
    const service = new ExternalMongoService(chart, 'mongo', { address: ExternalAddress.ip('10.200.0.2'), database: 'dev', credentials });
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web', env: { ...service.env(), MONGO_URI: service.uriEnv() } });
    service.allowFrom(web);
    // WHEN synthesized
    const manifests = synth(chart);
    // THEN the password is in Secrets only (percent-encoded in the URI) and nowhere else
    const outside = manifests.filter((m) => m.kind !== 'Secret').map((m) => JSON.stringify(m)).join('\n');
    expect(outside).not.toContain(FAKE_PASSWORD);
    expect(outside).not.toContain(encodeURIComponent(FAKE_PASSWORD));
    expect(service.connectionString).not.toContain(FAKE_PASSWORD);
    expect(JSON.stringify(manifests.filter((m) => m.kind === 'Secret'))).toContain(encodeURIComponent(FAKE_PASSWORD));
    expect(Policy.report(app).findings).toEqual([]);
  });
});

describe('ExternalMongoService.allowFrom from plain JavaScript', () => {
  test.each<[string, any]>([
    ['null', null],
    ['undefined', undefined],
    ['a workload name', 'web'],
    ['an empty object', {}],
    ['an object whose toPodSelectorConfig is no function', { toPodSelectorConfig: 1, node: {} }],
    ['a construct that selects no pods', 'construct'],
  ])('allowFrom(%s) gives the construct-path error', (_, given) => {
    // GIVEN a service
    const { chart, service } = mongo();
    const workload = given === 'construct' ? new Construct(chart, 'plain') : given;
    // WHEN allowFrom gets something that is not a workload
    const error = (() => {
      try {
        service.allowFrom(workload);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    })();
    // THEN the construct-path error, not a TypeError
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^ExternalMongoService shop\/mongo: allowFrom workload is .*, not a workload \(a SecureDeployment or kplus.Pods.select/);
  });

  test.each<[string, any]>([['null', null], ['a mode string', 'istio'], ['a list', [EgressMode.ISTIO]]])('allowFrom(web, %s) gives the construct-path error', (_, options) => {
    // GIVEN a service and a workload
    const { chart, service } = mongo();
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    // WHEN / THEN
    expect(() => service.allowFrom(web, options)).toThrow(/^ExternalMongoService shop\/mongo: allowFrom options are not an object; pass \{ mode: EgressMode.ISTIO \}/);
    expect(() => service.allowFrom(web, options)).not.toThrow(TypeError);
  });

  test('allowFrom(web, {}) still works (the options are optional)', () => {
    // GIVEN / WHEN / THEN
    const { chart, service } = mongo();
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    expect(service.allowFrom(web, {}).node.path).toMatch(/^shop\/mongo\/AllowFrom-/);
  });
});

describe('ExternalMongoService from plain JavaScript', () => {
  test.each<[string, any, RegExp]>([
    ['props missing', undefined, /ExternalMongoService shop\/mongo: props are undefined, not an object/],
    ['address a string', { address: '10.200.0.2' }, /address is a string, not an ExternalAddress/],
    ['address missing', { address: undefined }, /address is missing, not an ExternalAddress/],
    ['an IP that is a number', { address: ExternalAddress.ip(10 as any) }, /address is a number, not a string/],
    ['a host name that is missing', { address: ExternalAddress.hostname(undefined as any) }, /hostname is undefined, not a host name/],
    ['credentials missing', { credentials: undefined }, /credentials is missing, not a Secret/],
    ['credentials a string', { credentials: 'mongo-credentials' }, /credentials is a string, not a Secret/],
    ['options a string', { options: 'replicaSet=rs0' }, /options is a string, not a map of strings/],
    ['an option value a number', { options: { maxPoolSize: 10 } }, /options\["maxPoolSize"\] is a number, not a string/],
    ['database missing', { database: undefined }, /database is missing, not a string/],
    ['tls a string', { tls: 'false' }, /tls is a string, not true or false/],
    ['port a string', { port: '27017' }, /port "27017" is not a whole number/],
  ])('%s', (_, props, message) => {
    const { chart } = testChart();
    const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'mongo-credentials');
    const build = () => new ExternalMongoService(chart, 'mongo', props === undefined ? undefined : {
      address: ExternalAddress.ip('10.200.0.2'), database: 'dev', credentials, ...props,
    });
    expect(build).toThrow(message);
    expect(build).not.toThrow(TypeError);
  });
});

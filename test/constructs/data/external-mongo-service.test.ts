import * as kplus from 'cdk8s-plus-27';
import {
  EgressMode, ExternalAddress, ExternalMongoService, ExternalMongoServiceProps, Policy, SecureDeployment,
} from '../../../src';
import { only, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

function mongo(props: Partial<ExternalMongoServiceProps> = {}) {
  const { app, chart } = testChart();
  const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'mongo-credentials');
  const service = new ExternalMongoService(chart, 'mongo', { address: ExternalAddress.ip('10.200.0.2'), database: 'dev', credentials, ...props });
  return { app, chart, service, credentials };
}

describe('ExternalMongoService with IP addresses', () => {
  // GIVEN the database at 10.200.0.2, WHEN synthesized
  const { app, chart, service } = mongo();
  const manifests = synth(chart);

  test('a Service without selector and an EndpointSlice (snapshot)', () => {
    expect(manifests).toMatchSnapshot();
    const svc = only(manifests, 'Service');
    expect(svc.metadata.name).toBe('mongo');
    expect(svc.spec).not.toHaveProperty('selector');
    expect(svc.spec.ports).toEqual([{ name: 'mongodb', port: 27017, targetPort: 27017, protocol: 'TCP' }]);
  });

  test('the EndpointSlice carries the service-name and managed-by labels', () => {
    const slice = only(manifests, 'EndpointSlice');
    expect(slice.apiVersion).toBe('discovery.k8s.io/v1');
    expect(slice.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'mongo', 'endpointslice.kubernetes.io/managed-by': 'cdk8s-hardened' });
    expect(slice.addressType).toBe('IPv4');
    expect(slice.endpoints).toEqual([{ addresses: ['10.200.0.2'], conditions: { ready: true } }]);
  });

  test('a connection string without credentials', () => {
    expect(service.connectionString).toBe('mongodb://mongo:27017/dev?authSource=admin&tls=true');
  });

  test('schema-valid with zero findings', () => {
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('several addresses of both families: one slice per family', () => {
    const both = mongo({ address: ExternalAddress.ip('10.200.0.2', '10.200.0.3', 'fd00::2') });
    const slices = synth(both.chart).filter((m) => m.kind === 'EndpointSlice');
    expect(slices.map((s) => [s.addressType, s.endpoints.length])).toEqual([['IPv4', 2], ['IPv6', 1]]);
  });
});

describe('ExternalMongoService with a host name', () => {
  test('an ExternalName Service', () => {
    const { chart } = mongo({ address: ExternalAddress.hostname('mongo52101.example.com') });
    const manifests = synth(chart);
    expect(manifests.map((m) => m.kind)).toEqual(['Service']);
    expect(only(manifests, 'Service').spec).toMatchObject({ type: 'ExternalName', externalName: 'mongo52101.example.com' });
    expect(schemaFindings(manifests)).toEqual([]);
  });

  test('mongodb+srv connects to the host itself', () => {
    const { service } = mongo({ address: ExternalAddress.hostname('cluster0.example.com'), srv: true, tls: true });
    expect(service.connectionString).toBe('mongodb+srv://cluster0.example.com/dev?authSource=admin&tls=true');
  });
});

describe('credentials stay in Secrets', () => {
  test('workloads get secretKeyRef env values and the URL without credentials', () => {
    const { chart, service } = mongo();
    new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web', env: service.env() });
    const env = podSpec(only(synth(chart), 'Deployment')).containers[0].env;
    expect(env).toEqual([
      { name: 'MONGO_URL', value: 'mongodb://mongo:27017/dev?authSource=admin&tls=true' },
      { name: 'MONGO_USERNAME', valueFrom: { secretKeyRef: { name: 'mongo-credentials', key: 'username' } } },
      { name: 'MONGO_PASSWORD', valueFrom: { secretKeyRef: { name: 'mongo-credentials', key: 'password' } } },
    ]);
  });

  test('a full URI is built only inside a Secret, with percent-encoded user and password', () => {
    const { chart } = testChart();
    const credentials = new kplus.Secret(chart, 'creds', { stringData: { username: 'app@shop', password: 'p:ss/w@rd%' } });
    const service = new ExternalMongoService(chart, 'mongo', { address: ExternalAddress.ip('10.200.0.2'), database: 'dev', credentials, tls: false });
    const manifests = synth(chart);
    const uri = manifests.find((m) => m.kind === 'Secret' && m.metadata.name === 'mongo-uri')!;
    expect(uri.stringData.uri).toBe('mongodb://app%40shop:p%3Ass%2Fw%40rd%25@mongo:27017/dev?authSource=admin&tls=false');
    expect(service.uriEnv().valueFrom).toEqual({ secretKeyRef: { name: 'mongo-uri', key: 'uri' } });
    // no password anywhere but in Secrets
    for (const m of manifests.filter((x) => x.kind !== 'Secret')) expect(JSON.stringify(m)).not.toContain('p:ss');
  });

  test('uriEnv explains why it cannot build a URI from a Secret it cannot read', () => {
    expect(() => mongo().service.uriEnv()).toThrow(/the credentials Secret "mongo-credentials" is not defined in this app/);
  });
});

describe('allowFrom', () => {
  test('egress from the workload to exactly the address and port', () => {
    const { chart, service } = mongo({ address: ExternalAddress.ip('10.200.0.2', '10.200.0.3') });
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    service.allowFrom(web);
    const policy = synth(chart).find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'mongo-from-web-egress')!;
    expect(policy.spec.podSelector.matchLabels['app.kubernetes.io/instance']).toBe('web');
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.200.0.2/32' } }], ports: [{ protocol: 'TCP', port: 27017 }] },
      { to: [{ ipBlock: { cidr: '10.200.0.3/32' } }], ports: [{ protocol: 'TCP', port: 27017 }] },
    ]);
  });

  test('in Istio mode also a ServiceEntry; a host name needs the mesh', () => {
    const { chart, service } = mongo({ address: ExternalAddress.hostname('mongo.example.com') });
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
    expect(() => service.allowFrom(web)).toThrow(/the database is the host name "mongo.example.com", and a Kubernetes NetworkPolicy can only match.*EgressMode.ISTIO/);
    service.allowFrom(web, { mode: EgressMode.ISTIO });
    const entry = synth(chart).find((m) => m.kind === 'ServiceEntry')!;
    expect(entry.spec.hosts).toEqual(['mongo.example.com']);
    expect(entry.spec.ports).toEqual([{ number: 27017, name: 'tcp-27017', protocol: 'TCP' }]);
  });
});

describe('ExternalMongoService bad input', () => {
  test.each<[string, Partial<ExternalMongoServiceProps>, RegExp]>([
    ['loopback', { address: ExternalAddress.ip('127.0.0.1') }, /ExternalMongoService shop\/mongo: address "127.0.0.1" is loopback/],
    ['link-local', { address: ExternalAddress.ip('169.254.10.1') }, /address "169.254.10.1" is link-local/],
    ['IPv6 loopback', { address: ExternalAddress.ip('::1') }, /address "::1" is loopback/],
    ['unspecified', { address: ExternalAddress.ip('0.0.0.0') }, /is unspecified/],
    ['malformed', { address: ExternalAddress.ip('10.200.0.256') }, /address "10.200.0.256" is not a valid IPv4 or IPv6 address/],
    ['no address', { address: ExternalAddress.ip() }, /lists no address/],
    ['srv with IPs', { srv: true }, /mongodb\+srv:\/\/ needs a DNS name with SRV records, and IP addresses have none/],
    ['bad hostname', { address: ExternalAddress.hostname('mongo_1.example.com') }, /hostname "mongo_1.example.com" is not a valid DNS-1123 subdomain/],
    ['bad port', { port: 0 }, /port 0 is not a whole number from 1 to 65535/],
    ['bad database', { database: 'my db' }, /database "my db" is not a valid MongoDB database name/],
    ['bad name', { name: 'Mongo' }, /name "Mongo" is not a valid DNS-1123 label/],
  ])('%s', (_, props, message) => {
    expect(() => mongo(props)).toThrow(message);
  });
});

test('allowFrom twice for one workload is an error', () => {
  const { chart, service } = mongo();
  const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
  service.allowFrom(web);
  expect(() => service.allowFrom(web)).toThrow(/allowFrom\(shop\/web\) was already called/);
});

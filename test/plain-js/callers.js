// Plain JavaScript callers: no types, as a JavaScript app or cdk8s.yaml would call the constructs.
// Each case builds something wrong and returns nothing; the test expects the construct's own error.
'use strict';
const { App, Chart } = require('cdk8s');
const kplus = require('cdk8s-plus-27');
const lib = require('../../src');

const IMAGE = 'ghcr.io/acme/web:1.4.2';

function chart() {
  return new Chart(new App(), 'shop', { namespace: 'shop' });
}

/** [construct kind, description, build(chart)] */
module.exports = [
  ['SecureDeployment', 'props missing', (c) => new lib.SecureDeployment(c, 'web')],
  ['SecureDeployment', 'env value a plain string', (c) => new lib.SecureDeployment(c, 'web', { image: IMAGE, port: 80, env: { MODE: 'production' } })],
  ['SecureDeployment', 'port a string', (c) => new lib.SecureDeployment(c, 'web', { image: IMAGE, port: '80' })],
  ['SecureDeployment', 'args a string', (c) => new lib.SecureDeployment(c, 'web', { image: IMAGE, port: 80, args: '--verbose' })],
  ['SecureDeployment', 'resources a string', (c) => new lib.SecureDeployment(c, 'web', { image: IMAGE, port: 80, resources: { memory: { limit: '1Gi' } } })],
  ['SecureDeployment', 'readiness misspelt', (c) => new lib.SecureDeployment(c, 'web', { image: IMAGE, port: 80, readyness: lib.HealthProbe.http('/ready') })],
  ['SecureDeployment', 'autoscaling key misspelt', (c) => new lib.SecureDeployment(c, 'web', { image: IMAGE, port: 80, autoscaling: { maxReplicas: 4, minReplica: 2 } })],
  ['DefaultDenyNamespace', 'prop in snake case', (c) => new lib.DefaultDenyNamespace(c, 'ns', { name: 'shop', pod_security_level: 'baseline' })],
  ['CanaryPair', 'version key misspelt', (c) => new lib.CanaryPair(c, 'reco', { port: 8080, stable: { image: IMAGE, replica: 3 }, canary: { image: 'ghcr.io/acme/web:1.5.0' } })],
  ['SecureDeployment', 'namespace a string', (c) => new lib.SecureDeployment(c, 'web', { image: IMAGE, port: 80, namespace: 'shop' })],
  ['DefaultDenyNamespace', 'name missing', (c) => new lib.DefaultDenyNamespace(c, 'ns', {})],
  ['DefaultDenyNamespace', 'quota a number', (c) => new lib.DefaultDenyNamespace(c, 'ns', { name: 'shop', quota: 5 })],
  ['EgressAllowlist', 'allow a string', (c) => new lib.EgressAllowlist(c, 'egress', { workload: new lib.SecureDeployment(c, 'web', { image: IMAGE, port: 80 }), allow: 'api.example.com' })],
  ['EgressAllowlist', 'workload a string', (c) => new lib.EgressAllowlist(c, 'egress', { workload: 'web', allow: [lib.EgressTarget.cidr('10.0.0.1/32', { tcp: [443] })] })],
  ['EgressAllowlist', 'ports as strings', (c) => new lib.EgressAllowlist(c, 'egress', {
    workload: new lib.SecureDeployment(c, 'web', { image: IMAGE, port: 80 }), allow: [lib.EgressTarget.cidr('10.0.0.1/32', { tcp: ['443'] })],
  })],
  ['ExternalMongoService', 'address a string', (c) => new lib.ExternalMongoService(c, 'mongo', {
    address: '10.0.0.5', database: 'shop', credentials: kplus.Secret.fromSecretName(c, 'creds', 'mongo'),
  })],
  ['ExternalMongoService', 'credentials missing', (c) => new lib.ExternalMongoService(c, 'mongo', { address: lib.ExternalAddress.ip('10.0.0.5'), database: 'shop' })],
  ['ExternalMongoService', 'options a string', (c) => new lib.ExternalMongoService(c, 'mongo', {
    address: lib.ExternalAddress.ip('10.0.0.5'), database: 'shop', credentials: kplus.Secret.fromSecretName(c, 'creds', 'mongo'), options: 'replicaSet=rs0',
  })],
  ['FlywayMigrationJob', 'jdbcUrl missing', (c) => new lib.FlywayMigrationJob(c, 'migrate', {
    credentials: kplus.Secret.fromSecretName(c, 'creds', 'db'), migrations: lib.Migrations.fromImage('ghcr.io/acme/migrations:1.0.0'),
  })],
  ['FlywayMigrationJob', 'migrations a string', (c) => new lib.FlywayMigrationJob(c, 'migrate', {
    jdbcUrl: 'jdbc:postgresql://db:5432/shop', credentials: kplus.Secret.fromSecretName(c, 'creds', 'db'), migrations: 'sql',
  })],
  ['CanaryPair', 'stable missing', (c) => new lib.CanaryPair(c, 'reco', { port: 8080, canary: { image: IMAGE } })],
  ['CanaryPair', 'routing a string', (c) => new lib.CanaryPair(c, 'reco', {
    port: 8080, stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/web:1.5.0' }, routing: 'istio',
  })],
];
module.exports.chart = chart;

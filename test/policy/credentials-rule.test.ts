import { PolicyPack, PolicyReport } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';
import { CredentialsInConfigRule } from '../../src/policy/rules/nsa/credentials-in-config';
import { FAKE, pem } from '../support/fake-secrets';
import { hardenedDeployment, mutated } from '../support/fixtures';

const CONTAINER = '/spec/template/spec/containers/0';

function evaluate(manifests: any[]): PolicyReport {
  const objects = manifests.map((m, i) => policyObject(m, `test/o${i}`));
  return PolicyReport._evaluate(objects, [PolicyPack.of('test', [new CredentialsInConfigRule()])], () => undefined);
}

function messagesOf(manifests: any[]): string[] {
  return evaluate(manifests).findings.map((f) => f.message);
}

const configMap = (data: any, annotations?: any) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop', ...(annotations ? { annotations } : {}) }, data,
});

describe('NSA-CREDENTIALS: compliant objects', () => {
  test('credentials from Secrets, placeholders, mounted secret files and credential-ish settings pass', () => {
    // GIVEN a Deployment whose env and args reference Secrets and carry no literal credential
    const deployment = mutated((pod, c, d) => {
      d.metadata.annotations = { 'deployment.kubernetes.io/revision': '3', 'example.com/owner': 'team-shop' };
      d.spec.template.metadata.annotations = { 'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/db' };
      c.env = [
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'DB_URL', value: 'postgres://app:$(DB_PASSWORD)@db:5432/shop' },
        { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db/password' },
        { name: 'TOKEN_TTL', value: '3600' },
        { name: 'API_TOKEN', value: '' },
        { name: 'LOG_LEVEL', value: 'info' },
      ];
      c.command = ['/app/server'];
      c.args = ['--port', '8080', '--token-file', '/var/run/secrets/token', '--db-password=$(DB_PASSWORD)'];
      c.livenessProbe = { exec: { command: ['sh', '-c', 'mysqladmin ping -uroot -p"$MYSQL_ROOT_PASSWORD"'] } };
      pod.initContainers = [{ name: 'init', image: 'busybox:1.36', args: ['-p', '9090'] }];
    });
    // and a ConfigMap of settings without secrets
    const settings = configMap({
      'application.properties': 'server.port=8080\nspring.datasource.url=jdbc:postgresql://db:5432/shop\nspring.datasource.password=${DB_PASSWORD}\n',
      'LOG_LEVEL': 'info',
      'token-ttl': '3600',
    });
    // WHEN they are checked
    const report = evaluate([deployment, settings]);
    // THEN there is no finding, and both objects were judged (and passed)
    expect(report.findings).toEqual([]);
    expect(report.scores[0]).toEqual(expect.objectContaining({ applicable: 2, passed: 2 }));
  });

  test('objects without annotations, env, args or data are not judged', () => {
    // GIVEN a Service and a Secret (the place for credentials) without annotations
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password: FAKE.password } };
    // WHEN / THEN the rule does not apply to them
    expect(evaluate([service, secret]).scores[0]).toEqual(expect.objectContaining({ applicable: 0 }));
  });
});

describe('NSA-CREDENTIALS: where credentials are found', () => {
  // [description, manifest, expected messages]
  const cases: Array<[string, () => any, string[]]> = [
    ['a password in a URL env literal', () => mutated((_, c) => { c.env = [{ name: 'DB_URL', value: `postgres://app:${FAKE.password}@db:5432/shop` }]; }),
      [`${CONTAINER} env DB_URL holds a password in URL (offset 15)`]],
    ['a literal for a credential name', () => mutated((_, c) => { c.env = [{ name: 'DB_PASSWORD', value: FAKE.password }]; }),
      [`${CONTAINER} env DB_PASSWORD holds a literal password`]],
    ['a token in an innocently named variable', () => mutated((_, c) => { c.env = [{ name: 'CONFIG', value: FAKE.github }]; }),
      [`${CONTAINER} env CONFIG holds a GitHub token`]],
    ['an AWS key pair in env', () => mutated((_, c) => {
      c.env = [{ name: 'AWS_ACCESS_KEY_ID', value: FAKE.awsKeyId }, { name: 'AWS_SECRET_ACCESS_KEY', value: FAKE.awsSecret }];
    }), [`${CONTAINER} env AWS_ACCESS_KEY_ID holds an AWS access key id`, `${CONTAINER} env AWS_SECRET_ACCESS_KEY holds an AWS secret access key`]],
    ['a flag and its value in args', () => mutated((_, c) => { c.args = ['--user', 'app', '--password', FAKE.password]; }),
      [`${CONTAINER}/args/3 holds a password argument`]],
    ['a flag in command and its value in args', () => mutated((_, c) => { c.command = ['psql-wrapper', '--token']; c.args = [FAKE.bearer]; }),
      [`${CONTAINER}/args/0 holds a token argument`]],
    ['a shell script in command', () => mutated((_, c) => { c.command = ['sh', '-c', `mysql -uroot -p${FAKE.password} shop`]; }),
      [`${CONTAINER}/command/2 holds a password argument (offset 15)`]],
    ['an init container', () => mutated((pod) => { pod.initContainers = [{ name: 'migrate', image: 'flyway/flyway:10', args: [`-password=${FAKE.password}`] }]; }),
      ['/spec/template/spec/initContainers/0/args/0 holds a password argument (offset 10)']],
    ['an exec probe', () => mutated((_, c) => { c.livenessProbe = { exec: { command: ['redis-cli', '-a', FAKE.password, 'ping'] } }; }),
      [`${CONTAINER}/livenessProbe/exec/command/2 holds a password argument`]],
    ['an HTTP header of a probe', () => mutated((_, c) => {
      c.readinessProbe = { httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'Authorization', value: `Bearer ${FAKE.jwt}` }] } };
    }), [`${CONTAINER}/readinessProbe/httpGet/httpHeaders/0 ("Authorization") holds a JWT (offset 7)`]],
    ['a lifecycle hook', () => mutated((_, c) => { c.lifecycle = { preStop: { exec: { command: ['curl', '-u', `admin:${FAKE.password}`, 'http://localhost/drain'] } } }; }),
      [`${CONTAINER}/lifecycle/preStop/exec/command/2 holds a password argument (offset 6)`]],
    ['an annotation of the object', () => { const d = hardenedDeployment(); d.metadata.annotations = { 'example.com/token': FAKE.jwt }; return d; },
      ['annotation "example.com/token" holds a JWT']],
    ['an annotation of the pod template', () => mutated((_, __, d) => { d.spec.template.metadata.annotations = { 'ci/deploy-key': pem('OPENSSH PRIVATE KEY') }; }),
      ['pod template annotation "ci/deploy-key" line 1 holds a PEM private key']],
    ['a property file in a ConfigMap', () => configMap({
      'application.properties': `server.port=8080\nspring.datasource.username=app\nspring.datasource.url=jdbc:postgresql://db/shop?password=${FAKE.password}\n`,
    }), ['ConfigMap key "application.properties" line 3 holds a JDBC password']],
    ['a credential key in a ConfigMap', () => configMap({ 'db-password': FAKE.password, 'LOG_LEVEL': 'info' }),
      ['ConfigMap key "db-password" holds a literal password']],
    ['a key file in a ConfigMap', () => configMap({
      'sa.json': JSON.stringify({ type: 'service_account', project_id: 'shop', private_key: pem('PRIVATE KEY') }, undefined, 2),
    }), ['ConfigMap key "sa.json" line 4 holds a GCP service account key']],
    ['an annotation of a ConfigMap', () => configMap({}, {
      'kubectl.kubernetes.io/last-applied-configuration':
      JSON.stringify({ kind: 'ConfigMap', data: { 'db.properties': `db.password=${FAKE.password}` } }),
    }),
    ['annotation "kubectl.kubernetes.io/last-applied-configuration" holds a password property (offset 57)']],
  ];

  test.each(cases)('%s', (_, manifest, expected) => {
    // WHEN the object is checked
    // THEN each credential is reported where it is, with its kind
    expect(messagesOf([manifest()])).toEqual(expected);
  });

  test('a CronJob and a Pod: pointers follow the pod spec; a Pod\'s annotations are reported once', () => {
    // GIVEN a CronJob with a literal token and a Pod with an annotated JWT
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'shop' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'r', image: 'r:1', env: [{ name: 'SLACK', value: FAKE.slackWebhook }] }] } } } } },
    };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', annotations: { token: FAKE.jwt } }, spec: { containers: [{ name: 'c', image: 'c:1' }] } };
    // WHEN / THEN
    expect(messagesOf([cronJob, pod])).toEqual([
      '/spec/jobTemplate/spec/template/spec/containers/0 env SLACK holds a Slack webhook URL',
      'annotation "token" holds a JWT',
    ]);
  });
});

describe('NSA-CREDENTIALS: secrets are never echoed', () => {
  test('no secret appears in any message, nor in the text, JSON or SARIF report', () => {
    // GIVEN every fake secret in every place the rule looks
    const secrets = Object.values(FAKE);
    const manifests = [
      mutated((pod, c, d) => {
        c.env = secrets.map((value, i) => ({ name: i % 2 ? `VALUE_${i}` : `API_TOKEN_${i}`, value }));
        c.args = secrets.flatMap((value) => ['--password', value]);
        c.command = ['sh', '-c', secrets.map((value) => `curl -H "Authorization: Bearer ${value}" -u admin:${value} x`).join('\n')];
        d.metadata.annotations = Object.fromEntries(secrets.map((value, i) => [`example.com/a${i}`, value]));
        pod.initContainers = [{ name: 'i', image: 'i:1', env: secrets.map((value) => ({ name: 'DB_URL', value: `postgres://app:${value}@db/shop` })) }];
      }),
      configMap({
        'application.properties': secrets.map((value, i) => `key${i}.password=${value}\nurl${i}=jdbc:mysql://db/x?password=${value}`).join('\n'),
        'values.yaml': secrets.map((value, i) => `s${i}:\n  token: "${value}"`).join('\n'),
        ...Object.fromEntries(secrets.map((value, i) => [`secret-${i}`, value])),
      }),
    ];
    // WHEN they are checked and reported in every format
    const report = evaluate(manifests);
    const outputs = [...report.findings.map((f) => f.message), report.toText(), report.toJson(), report.toSarif()];
    // THEN there are findings (for each secret at least one), and not one output holds a secret
    expect(report.findings.length).toBeGreaterThanOrEqual(secrets.length * 4);
    for (const secret of secrets) {
      for (const output of outputs) expect(output.includes(secret)).toBe(false);
    }
  });
});

describe('NSA-CREDENTIALS: hostile inputs', () => {
  test('malformed manifests neither throw nor report', () => {
    // GIVEN objects with fields of the wrong types
    const manifests: any[] = [
      null,
      'a string',
      { kind: 'ConfigMap', metadata: null, data: null },
      { kind: 'ConfigMap', metadata: { annotations: ['x'] }, data: ['a', 'b'] },
      { kind: 'ConfigMap', data: { n: 42, b: true, o: { nested: FAKE.password }, __proto__: 'x' } },
      mutated((_, c) => { c.env = 'DB_PASSWORD=x'; c.args = 'x'; c.command = { a: 1 }; c.livenessProbe = 'x'; c.lifecycle = { preStop: null }; }),
      mutated((_, c) => { c.env = [null, 42, { name: 42, value: 'x' }, { name: 'DB_PASSWORD', value: 42 }]; c.args = [null, 8080, {}]; }),
      mutated((pod) => { pod.containers.push(null); }),
      mutated((_, c) => { c.readinessProbe = { httpGet: { httpHeaders: [null, { name: null, value: 'x' }, 'x'] } }; }),
    ];
    // WHEN / THEN
    expect(() => evaluate(manifests)).not.toThrow();
    expect(evaluate(manifests).findings).toEqual([]);
  });

  test('odd names are quoted in messages', () => {
    const deployment = mutated((_, c) => { c.env = [{ name: 'my var\n', value: FAKE.github }]; });
    expect(messagesOf([deployment])).toEqual([`${CONTAINER} env "my var\\n" holds a GitHub token`]);
  });

  test('a 1 MB ConfigMap and 1,000 annotated workloads are judged quickly', () => {
    // GIVEN a ConfigMap of 1 MB of properties and 1,000 Deployments with env and annotations
    const big = configMap({ 'application.properties': Array.from({ length: 20_000 }, (_, i) => `app.setting${i}.key=value-${i}`).join('\n') });
    const workloads = Array.from({ length: 1_000 }, (_, i) => mutated((_pod, c, d) => {
      d.metadata.name = `w${i}`;
      d.metadata.annotations = { 'example.com/owner': 'team-shop', 'example.com/revision': String(i) };
      c.env = [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_HOST', value: 'postgres.shop.svc' }, { name: 'TOKEN_TTL', value: '3600' }];
    }));
    const started = performance.now();
    // WHEN they are checked
    const report = evaluate([big, ...workloads]);
    // THEN quickly and without findings
    expect(report.findings).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

import * as fc from 'fast-check';
import {
  CredentialMatch, describeCredential, describeCredentialKind, findCredentials, findCredentialsInArgs, isCredentialName, isCredentialValue,
} from '../../src/parsers/credentials';
import { FAKE, PEM_BODY, pem } from '../support/fake-secrets';

/** The single match of a text, and where its secret starts. */
function only(text: string, name?: string): CredentialMatch {
  const matches = findCredentials(text, name === undefined ? undefined : { name });
  expect(matches).toHaveLength(1);
  return matches[0];
}

describe('findCredentials: tokens of known shape, anywhere in a value', () => {
  // [kind, secret]: each is found alone, inside a sentence, and quoted in JSON, at its own offset.
  const tokens: Array<[string, string]> = [
    ['AWS access key id', FAKE.awsKeyId],
    ['AWS access key id', FAKE.awsTempKeyId],
    ['GitHub token', FAKE.github],
    ['GitHub token', FAKE.githubOauth],
    ['GitHub token', FAKE.githubApp],
    ['GitHub token', FAKE.githubPat],
    ['GitLab token', FAKE.gitlab],
    ['Slack token', FAKE.slack],
    ['Slack webhook URL', FAKE.slackWebhook],
    ['Stripe secret key', FAKE.stripe],
    ['Stripe secret key', FAKE.stripeRestricted],
    ['Google API key', FAKE.google],
    ['npm token', FAKE.npm],
    ['SendGrid API key', FAKE.sendgrid],
    ['Twilio API key', FAKE.twilio],
    ['OpenAI-style API key', FAKE.openai],
    ['JWT', FAKE.jwt],
  ];

  test.each(tokens)('%s: %#', (kind, secret) => {
    // GIVEN the token alone, in a sentence and in JSON
    const texts = [secret, `use ${secret} to deploy`, `{"config":"${secret}"}`];
    for (const text of texts) {
      // WHEN it is scanned under an innocent name
      const match = only(text, 'SETTINGS');
      // THEN its kind and offset are reported
      expect(match).toEqual({ kind, offset: text.indexOf(secret) });
    }
  });

  test.each(['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PRIVATE KEY', 'DSA PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'])(
    'PEM %s', (label) => {
      // GIVEN a key file as a ConfigMap value, after a comment line
      const text = `# deploy key\n${pem(label)}`;
      // WHEN / THEN
      expect(only(text, 'id_rsa')).toEqual({ kind: 'PEM private key', offset: text.indexOf('-----BEGIN'), line: 2 });
    });

  test('a PEM private key with escaped newlines in JSON', () => {
    const text = `{"key": "-----BEGIN PRIVATE KEY-----\\n${PEM_BODY}\\n-----END PRIVATE KEY-----\\n"}`;
    expect(only(text).kind).toBe('PEM private key');
  });

  test('a GCP service account key file is one finding, not three', () => {
    // GIVEN the JSON of a service account key (type, private_key_id, a PEM private_key)
    const text = JSON.stringify({
      type: 'service_account',
      project_id: 'shop',
      private_key_id: '0123456789abcdef',
      private_key: pem('PRIVATE KEY'),
      client_email: 'ci@shop.iam.gserviceaccount.com',
    }, undefined, 2);
    // WHEN / THEN
    expect(only(text, 'sa.json')).toEqual({ kind: 'GCP service account key', offset: text.indexOf('-----BEGIN'), line: 5 });
  });

  test('an Azure storage connection string', () => {
    const text = `DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=${FAKE.azureKey};EndpointSuffix=core.windows.net`;
    expect(only(text)).toEqual({ kind: 'Azure storage account key', offset: text.indexOf(FAKE.azureKey) });
  });

  test('an AWS credentials file: the key id and the secret key next to aws_secret_access_key', () => {
    const text = `[default]\naws_access_key_id = ${FAKE.awsKeyId}\naws_secret_access_key = ${FAKE.awsSecret}\nregion = eu-west-1\n`;
    expect(findCredentials(text)).toEqual([
      { kind: 'AWS access key id', offset: text.indexOf(FAKE.awsKeyId), line: 2 },
      { kind: 'AWS secret access key', offset: text.indexOf(FAKE.awsSecret), line: 3 },
    ]);
  });

  test('an AWS secret access key by its name', () => {
    expect(only(FAKE.awsSecret, 'AWS_SECRET_ACCESS_KEY')).toEqual({ kind: 'AWS secret access key', offset: 0 });
  });

  test('Docker registry auths', () => {
    const auth = Buffer.from('robot:Tr0ub4dor&3x').toString('base64');
    const json = `{"auths":{"ghcr.io":{"auth":"${auth}"}}}`;
    expect(only(json, '.dockerconfigjson')).toEqual({ kind: 'Docker registry credential', offset: json.indexOf(auth) });
    expect(only(Buffer.from(json).toString('base64')).kind).toBe('Docker registry credential');
  });
});

describe('findCredentials: headers, URLs, connection strings, properties, flags', () => {
  // [description, text, secret (its first occurrence is the offset), kind]
  const cases: Array<[string, string, string, string]> = [
    ['Authorization: Bearer', `Authorization: Bearer ${FAKE.bearer}`, FAKE.bearer, 'bearer token'],
    ['a bare Bearer token', `Bearer ${FAKE.bearer}`, FAKE.bearer, 'bearer token'],
    ['a JWT as a Bearer token is a JWT', `Authorization: Bearer ${FAKE.jwt}`, FAKE.jwt, 'JWT'],
    ['Basic credentials', `Authorization: Basic ${FAKE.basic}`, FAKE.basic, 'Basic auth credential'],
    ['a URL with user and password', `postgres://app:${FAKE.password}@db.shop.svc:5432/app`, FAKE.password, 'password in URL'],
    ['mongodb+srv', `mongodb+srv://app:${FAKE.password}@cluster0.example.net/shop`, FAKE.password, 'password in URL'],
    ['redis without user', `redis://:${FAKE.password}@redis:6379/0`, FAKE.password, 'password in URL'],
    ['a URL in a sentence', `connect to amqp://guest:${FAKE.password}@rabbit:5672 now`, FAKE.password, 'password in URL'],
    ['?password= in a URL', `https://api.example.com/v1?user=app&password=${FAKE.password}`, FAKE.password, 'password in URL'],
    ['?access_token= in a URL', `https://api.example.com/v1?access_token=${FAKE.bearer}`, FAKE.bearer, 'token in URL'],
    ['JDBC password parameter', `jdbc:mysql://db:3306/shop?user=app&password=${FAKE.password}&useSSL=true`, FAKE.password, 'JDBC password'],
    ['JDBC sslpassword', `jdbc:postgresql://db/shop?sslmode=verify-full&sslpassword=${FAKE.password}`, FAKE.password, 'JDBC password'],
    ['SQL Server JDBC', `jdbc:sqlserver://db:1433;databaseName=shop;user=sa;password=${FAKE.password};encrypt=true`, FAKE.password, 'JDBC password'],
    ['ADO.NET ;Password=', `Server=db;Database=shop;User Id=sa;Password=${FAKE.password};`, FAKE.password, 'connection-string password'],
    ['ODBC Pwd={…}', 'Driver={ODBC Driver 18 for SQL Server};Server=db;Uid=sa;Pwd={p;ss w0rd};', 'p;ss w0rd', 'connection-string password'],
    ['ODBC PWD=', `DRIVER={PostgreSQL Unicode};SERVER=db;UID=app;PWD=${FAKE.password};`, FAKE.password, 'connection-string password'],
    ['a YAML key named pass', `smtp:\n  user: app\n  pass: ${FAKE.password}`, FAKE.password, 'password property'],
    ['Oracle (password=…)', `(DESCRIPTION=(ADDRESS=(HOST=db)(PORT=1521))(password=${FAKE.password}))`, FAKE.password, 'connection-string password'],
    ['a property line', `db.password=${FAKE.password}`, FAKE.password, 'password property'],
    ['a Spring YAML property', `spring.datasource.password: ${FAKE.password}`, FAKE.password, 'password property'],
    ['a JSON property', `{"user": "app", "password": "${FAKE.password}"}`, FAKE.password, 'password property'],
    ['a .env line', `export API_TOKEN=${FAKE.bearer}`, FAKE.bearer, 'token property'],
    ['an XML element', `<server><id>nexus</id><password>${FAKE.password}</password></server>`, FAKE.password, 'password property'],
    ['an XML attribute', `<Resource name="jdbc/shop" username="app" password="${FAKE.password}"/>`, FAKE.password, 'password property'],
    ['Kafka JAAS', `org.apache.kafka.common.security.plain.PlainLoginModule required username="app" password="${FAKE.password}";`,
      FAKE.password, 'password property'],
    ['--password=', `--password=${FAKE.password}`, FAKE.password, 'password argument'],
    ['--password value', `--password ${FAKE.password}`, FAKE.password, 'password argument'],
    ['--token=', `--token=${FAKE.bearer}`, FAKE.bearer, 'token argument'],
    ['--api-key=', `--api-key=${FAKE.bearer}`, FAKE.bearer, 'API key argument'],
    ['--client-secret value', `--client-id=shop --client-secret ${FAKE.bearer}`, FAKE.bearer, 'secret argument'],
    ['-D system property', `-Xmx512m -Dspring.datasource.password=${FAKE.password}`, FAKE.password, 'password argument'],
    ['mysql -p…', `mysql -h db -u root -p${FAKE.password} shop`, FAKE.password, 'password argument'],
    ['mysqladmin ping -p…', `mysqladmin ping -h 127.0.0.1 -uroot -p'${FAKE.password}'`, `'${FAKE.password}'`, 'password argument'],
    ['mongosh -p', `mongosh --host mongo -u admin -p ${FAKE.password}`, FAKE.password, 'password argument'],
    ['sshpass -p', `sshpass -p ${FAKE.password} ssh deploy@host`, FAKE.password, 'password argument'],
    ['redis-cli -a', `redis-cli -h redis -a ${FAKE.password} ping`, FAKE.password, 'password argument'],
    ['docker login -p', `docker login -u robot -p ${FAKE.password} ghcr.io`, FAKE.password, 'password argument'],
    ['curl -u user:pass', `curl -fsS -u admin:${FAKE.password} https://api.example.com`, FAKE.password, 'password argument'],
    ['openssl -passin pass:', `openssl pkcs12 -in a.p12 -passin pass:${FAKE.password}`, FAKE.password, 'password argument'],
    ['keytool -storepass', `keytool -list -keystore ks.jks -storepass ${FAKE.password}`, FAKE.password, 'password argument'],
    ['redis.conf requirepass', `bind 0.0.0.0\nrequirepass ${FAKE.password}`, FAKE.password, 'password property'],
    ['.netrc', `machine api.example.com login robot password ${FAKE.password}`, FAKE.password, 'netrc password'],
    ['a YAML block scalar', `db:\n  password: |\n    ${FAKE.password}\n  user: app`, FAKE.password, 'password property'],
    ['an env entry in a JSON manifest', `{"env":[{"name":"DB_PASSWORD","value":"${FAKE.password}"}]}`, FAKE.password, 'literal password'],
    ['an env entry in a YAML manifest', `env:\n- name: API_TOKEN\n  value: ${FAKE.bearer}\n`, FAKE.bearer, 'literal token'],
  ];

  test.each(cases)('%s', (_, text, secret, kind) => {
    // WHEN the text is scanned
    const match = only(text);
    // THEN the kind is reported at the offset (and line) where the secret starts
    const offset = text.indexOf(secret);
    expect(match.kind).toBe(kind);
    expect(match.offset).toBe(offset);
    if (text.includes('\n')) expect(match.line).toBe(text.slice(0, offset).split('\n').length);
  });

  test('whole property files are judged line by line', () => {
    // GIVEN an application.properties with the password in the JDBC URL on line 3 and a token on line 5
    const text = [
      'server.port=8080',
      'spring.datasource.username=app',
      `spring.datasource.url=jdbc:postgresql://db:5432/shop?password=${FAKE.password}`,
      'spring.datasource.password=${DB_PASSWORD}',
      `github.token: ${FAKE.github}`,
      'logging.level.root=INFO',
    ].join('\n');
    // WHEN / THEN
    expect(findCredentials(text, { name: 'application.properties' })).toEqual([
      { kind: 'JDBC password', offset: text.indexOf(FAKE.password), line: 3 },
      { kind: 'GitHub token', offset: text.indexOf(FAKE.github), line: 5 },
    ]);
  });

  test('Windows line ends', () => {
    const text = `a=1\r\ndb.password=${FAKE.password}\r\nb=2\r\n`;
    expect(only(text)).toEqual({ kind: 'password property', offset: text.indexOf(FAKE.password), line: 2 });
  });
});

describe('findCredentials: credential names with literal values', () => {
  // [name, value, kind]
  const named: Array<[string, string, string]> = [
    ['DB_PASSWORD', 'hunter2', 'literal password'],
    ['DB_PASS', 'hunter2', 'literal password'],
    ['MYSQL_PWD', 'hunter2', 'literal password'],
    ['PGPASSWORD', 'hunter2', 'literal password'],
    ['KEYCLOAK_ADMIN_PASSWORD', '12345678', 'literal password'],
    ['GF_SECURITY_ADMIN_PASSWORD', 'admin', 'literal password'],
    ['clientSecret', 'shop-ui-secret', 'literal secret'],
    ['JWT_SECRET', 'changeme', 'literal secret'],
    ['SECRET_KEY_BASE', 'a8f5f167f44f4964e6c998dee827110c', 'literal key'],
    ['GITHUB_TOKEN', 'not-a-known-shape', 'literal token'],
    ['api-key', 'k-12345', 'literal API key'],
    ['X-Api-Key', 'k-12345', 'literal API key'],
    ['ENCRYPTION_KEY', 'correcthorse', 'literal key'],
    ['LICENSE_KEY', 'ABCD-1234-EFGH-5678-IJKL', 'literal key'],
    ['SSH_PRIVATE_KEY', 'inline', 'literal private key'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '{"type":"authorized_user"}', 'literal credential'],
    ['BASIC_AUTH', 'admin:admin', 'literal credential'],
    ['db-password.txt', 'hunter2\n', 'literal password'],
    ['example.com/token', 'abc123', 'literal token'],
  ];

  test.each(named)('%s', (name, value, kind) => {
    // WHEN the value is judged under its name
    // THEN it is a credential of the name's kind, at the first character of the value
    expect(only(value, name)).toEqual(value.includes('\n') ? { kind, offset: 0, line: 1 } : { kind, offset: 0 });
    // and the name is a credential name (except the weak *_KEY ones, which need their value)
    if (!/^(?:ENCRYPTION|LICENSE)_KEY$/.test(name)) expect(isCredentialName(name)).toBe(true);
  });

  test('the known shape wins over the name', () => {
    expect(only(FAKE.github, 'GITHUB_TOKEN')).toEqual({ kind: 'GitHub token', offset: 0 });
  });

  test('leading blanks are skipped and multi-line values are judged by their content, not their name', () => {
    expect(only('  hunter2', 'DB_PASSWORD')).toEqual({ kind: 'literal password', offset: 2 });
    expect(findCredentials('line one\nline two', { name: 'db-password' })).toEqual([]);
  });
});

describe('findCredentials: not credentials', () => {
  // [name or '', value]: none of these is a credential.
  const clean: Array<[string, string]> = [
    ['DB_PASSWORD', ''],
    ['DB_PASSWORD', '   '],
    ['DB_PASSWORD', '$(DB_PASSWORD_FROM_SECRET)'],
    ['DB_PASSWORD', '${DB_PASSWORD}'],
    ['DB_PASSWORD', '$DB_PASSWORD'],
    ['DB_PASSWORD', '"$DB_PASSWORD"'],
    ['DB_PASSWORD', '{{ .Values.db.password }}'],
    ['DB_PASSWORD', '<your-password>'],
    ['DB_PASSWORD', '********'],
    ['DB_PASSWORD', 'vault:secret/data/shop/db#password'],
    ['DB_PASSWORD', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf'],
    ['DB_PASSWORD', 'op://shop/db/password'],
    ['DB_PASSWORD', '/run/secrets/db-password'],
    ['DB_PASSWORD_FILE', '/run/secrets/db-password'],
    ['PASSWORD_PATH', '/etc/app/password'],
    ['PGPASSFILE', '/home/app/.pgpass'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/var/secrets/google/key.json'],
    ['TOKEN_TTL', '3600'],
    ['TOKEN_TTL', '1h'],
    ['TOKEN_EXPIRY_SECONDS', '900'],
    ['PASSWORD_MIN_LENGTH', '12'],
    ['SECRET_NAME', 'db-credentials'],
    ['passwordSecretRef', 'db-credentials'],
    ['existingSecret', 'db-credentials'],
    ['TOKEN_URL', 'https://auth.example.com/oauth/token'],
    ['ALLOW_EMPTY_PASSWORD', 'yes'],
    ['MYSQL_ALLOW_EMPTY_PASSWORD', '1'],
    ['REDIS_PASSWORD', 'false'],
    ['PROXY_BYPASS', 'localhost,127.0.0.1'],
    ['COMPASS_URL', 'https://compass.example.com'],
    ['PWD', '/app'],
    ['CACHE_KEY', 'users-by-id'],
    ['PARTITION_KEY', '550e8400-e29b-41d4-a716-446655440000'],
    ['SSL_KEY', '/etc/tls/tls.key'],
    ['vault.hashicorp.com/agent-inject-secret-db', 'database/creds/db'],
    ['vault.hashicorp.com/agent-inject-token', 'true'],
    ['vault.hashicorp.com/agent-inject-template-db', '{{ with secret "database/creds/db" }}{{ .Data.password }}{{ end }}'],
    ['LOG_LEVEL', 'info'],
    ['JAVA_OPTS', '-Xmx512m -XX:+UseG1GC -Dspring.profiles.active=prod'],
    ['MONGO_URL', 'mongodb://mongo:27017/dev?authSource=admin&tls=true'],
    ['DB_URL', 'postgres://app:$(DB_PASSWORD)@db:5432/shop'],
    ['DB_URL', 'postgres://app:${DB_PASSWORD}@db:5432/shop'],
    ['DB_URL', 'postgres://app@db:5432/shop'],
    ['DB_URL', 'postgres://app:@db:5432/shop'],
    ['DB_URL', 'postgres://app:****@db:5432/shop'],
    ['JDBC_URL', 'jdbc:postgresql://postgresql:5432/mydb'],
    ['', 'https://example.com:8080/path?email=a@b.example'],
    ['', 'docker run -p 8080:80 nginx'],
    ['', 'kubectl port-forward -p 8080'],
    ['', 'mysql -h db -u root -p shop'],
    ['', 'mysql -h db -P 3306 -u root -p$(MYSQL_ROOT_PASSWORD)'],
    ['', 'mysqladmin ping -uroot -p"$MYSQL_ROOT_PASSWORD"'],
    ['', 'redis-cli -a "$REDIS_PASSWORD" ping'],
    ['', 'docker login -u robot --password-stdin ghcr.io'],
    ['', 'pg_dump --no-password shop'],
    ['', '--password-file /run/secrets/db --token-file=/var/run/secrets/token'],
    ['', '--service-account-key-file=/etc/kubernetes/pki/sa.pub --kubelet-client-key=/etc/kubernetes/pki/kubelet.key'],
    ['', pem('CERTIFICATE')],
    ['', pem('PUBLIC KEY')],
    ['', 'Basic authentication is enabled for the admin UI'],
    ['', 'Bearer token required'],
    ['', 'token: see the docs'],
    ['', 'password:\n  secretKeyRef:\n    name: db'],
    ['', 'password: ""\ntoken: null\napi_key: ~\nsecret: {}\ncredentials: []'],
    ['', 'password: |\nuser: app'],
    ['', 'key.serializer=org.apache.kafka.common.serialization.StringSerializer\nssl.keystore.location=/etc/kafka/ks.jks'],
    ['', 'spring.datasource.password=${DB_PASSWORD:}\njwt.secret=${JWT_SECRET}\ntoken.expiration=86400'],
    ['', 'auth:\n  token_ttl: 3600\n  password_min_length: 12\n  secret_name: shop-auth\n  passwordFile: /etc/pw'],
    ['', 'tolerations:\n- key: dedicated\n  value: shop\n- key: node-role.kubernetes.io/control-plane'],
    ['', '{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}'],
    ['', 'sk-learn-model-version-2-of-the-recommendation-engine'],
    ['', 'TZ=Asia/Tokyo'],
    ['', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf'],
    ['', 'keytool -importcert -storepass:env STORE_PASS -keystore ks.jks'],
    ['', 'db:\n  password: *default_password\n  token: ENC[AES256_GCM,data:Tr0ub4dor,iv:abc=,tag:def=,type:str]'],
    ['', 'jasypt.password=ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)'],
    ['', 'sha256:' + 'a'.repeat(64)],
    ['', 'ghcr.io/acme/web:1.4.2'],
    ['', 'eyJ is how base64 JSON starts'],
  ];

  test.each(clean)('%s=%j', (name, value) => {
    expect(findCredentials(value, name ? { name } : undefined)).toEqual([]);
  });
});

describe('findCredentialsInArgs', () => {
  test('a flag and its value in separate arguments: the value\'s argument is reported', () => {
    expect(findCredentialsInArgs(['mysqldump', '--password', FAKE.password, 'shop'])).toEqual([{ kind: 'password argument', offset: 0, index: 2 }]);
  });

  test('a shell script in one argument: offset and line within that argument', () => {
    const script = `set -e\nmysql -uroot -p${FAKE.password} < /sql/init.sql`;
    expect(findCredentialsInArgs(['sh', '-c', script])).toEqual([
      { kind: 'password argument', offset: script.indexOf(FAKE.password), line: 2, index: 2 },
    ]);
  });

  test('flags with values in the same argument, and harmless flags', () => {
    expect(findCredentialsInArgs(['--port', '8080', '-p', '9090', `--api-key=${FAKE.bearer}`, '--token-file', '/var/run/token'])).toEqual([
      { kind: 'API key argument', offset: '--api-key='.length, index: 4 },
    ]);
  });

  test('hostile arguments: numbers, objects, null, not an array', () => {
    expect(findCredentialsInArgs([8080, null, { a: 1 }, undefined, '--password', FAKE.password])).toEqual([
      { kind: 'password argument', offset: 0, index: 5 },
    ]);
    expect(findCredentialsInArgs('--password x' as any)).toEqual([]);
    expect(findCredentialsInArgs([])).toEqual([]);
  });
});

describe('isCredentialName and isCredentialValue stay supersets of what they were', () => {
  const OLD_NAME = /(PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
  const OLD_VALUE = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

  test('every name the old check matched still matches', () => {
    fc.assert(fc.property(
      fc.stringMatching(/^[A-Za-z_]{0,8}$/), fc.constantFrom('PASSWORD', 'passwd', 'Passphrase', 'TOKEN', 'secret', 'API_KEY', 'apikey', 'ACCESS_KEY',
        'private_key', 'CREDENTIAL'), fc.stringMatching(/^[A-Za-z_]{0,8}$/),
      (before, word, after) => {
        const name = before + word + after;
        expect(OLD_NAME.test(name)).toBe(true);
        expect(isCredentialName(name)).toBe(true);
      }));
  });

  test('new credential names', () => {
    for (const name of ['DB_PASS', 'MYSQL_PWD', 'PGPASSWORD', 'clientSecret', 'X-Api-Key', 'dbPassword', 'storepass']) expect(isCredentialName(name)).toBe(true);
    for (const name of ['LOG_LEVEL', 'PWD', 'PROXY_BYPASS', 'CACHE_KEY', 'KEYBOARD', 'AUTHOR']) expect(isCredentialName(name)).toBe(false);
  });

  test('every URL with a literal password the old check matched still matches', () => {
    fc.assert(fc.property(
      fc.constantFrom('http', 'https', 'postgres', 'mongodb+srv', 'redis', 'amqp', 'ftp'),
      fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/), fc.stringMatching(/^[A-Za-z0-9._~!*'%+-]{1,24}$/),
      (scheme, user, password) => {
        // (masks and placeholders are deliberately no longer credentials: ****, %s)
        fc.pre(!/^[*xX•#?._-]{3,}$/.test(password) && !/^%[sdv]$/.test(password));
        const url = `${scheme}://${user}:${password}@db.example.com:5432/shop`;
        expect(OLD_VALUE.test(url)).toBe(true);
        expect(isCredentialValue(url)).toBe(true);
      }), { numRuns: 2_000 });
  });

  test('values with a known shape are now credentials too', () => {
    expect(isCredentialValue(FAKE.jwt)).toBe(true);
    expect(isCredentialValue(`--password=${FAKE.password}`)).toBe(true);
    expect(isCredentialValue('info')).toBe(false);
  });
});

describe('describeCredential', () => {
  test('kind with its article, and the offset or the line; never the value', () => {
    expect(describeCredential({ kind: 'AWS access key id', offset: 12 })).toBe('an AWS access key id at offset 12');
    expect(describeCredential({ kind: 'JDBC password', offset: 80, line: 3 })).toBe('a JDBC password on line 3');
    expect(describeCredentialKind('npm token')).toBe('an npm token');
    expect(describeCredentialKind('OpenAI-style API key')).toBe('an OpenAI-style API key');
    expect(describeCredentialKind('API key argument')).toBe('an API key argument');
    expect(describeCredentialKind('Azure storage account key')).toBe('an Azure storage account key');
    expect(describeCredentialKind('JWT')).toBe('a JWT');
    expect(describeCredentialKind('literal password')).toBe('a literal password');
  });
});

describe('hostile inputs and speed', () => {
  test('non-strings and odd contexts', () => {
    expect(findCredentials(undefined as any)).toEqual([]);
    expect(findCredentials(42 as any, { name: 'DB_PASSWORD' })).toEqual([]);
    expect(findCredentials('hunter2', null as any)).toEqual([]);
    expect(findCredentials('hunter2', { name: 42 as any })).toEqual([]);
    expect(findCredentials('hunter2', { name: '' })).toEqual([]);
    expect(findCredentials('hunter2', { name: '__proto__' })).toEqual([]);
  });

  test.each([
    ['letters', 'a'.repeat(1_000_000)],
    ['eyJ', 'eyJ'.repeat(300_000)],
    ['key', 'key'.repeat(300_000)],
    ['schemes', 'a://'.repeat(250_000)],
    ['assignments', 'password='.repeat(100_000)],
    ['mysql', 'mysql '.repeat(150_000)],
    ['flags', '--password '.repeat(90_000)],
    ['colons', 'https://' + 'a:'.repeat(400_000)],
    ['env pairs', '"name":"'.repeat(100_000)],
    ['xml', '<password>'.repeat(100_000)],
    ['identifiers', ('a'.repeat(60) + 'key').repeat(15_000)],
    ['lines', 'password: x\n'.repeat(80_000)],
  ])('1 MB of %s is judged in linear time', (_, text) => {
    // GIVEN a ConfigMap-sized hostile value
    const started = performance.now();
    // WHEN it is scanned
    const matches = findCredentials(text);
    // THEN it ends quickly (no catastrophic backtracking) and reports a bounded number of matches
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(matches.length).toBeLessThanOrEqual(256);
  });

  test('10,000 ordinary env values are judged in well under a second', () => {
    // GIVEN the kind of env a real app has
    const env: Array<[string, string]> = [
      ['LOG_LEVEL', 'info'], ['PORT', '8080'], ['DB_HOST', 'postgres.shop.svc.cluster.local'], ['JAVA_OPTS', '-Xmx512m -XX:+UseG1GC'],
      ['SPRING_PROFILES_ACTIVE', 'production,kubernetes'], ['TOKEN_TTL', '3600'], ['DB_PASSWORD_FILE', '/run/secrets/db'],
      ['MONGO_URL', 'mongodb://mongo:27017/dev?authSource=admin&tls=true'], ['FEATURE_FLAGS', 'checkout=true,search=false'],
      ['API_BASE_URL', 'https://api.example.com/v1'],
    ];
    const started = performance.now();
    // WHEN 10,000 are judged
    let found = 0;
    for (let i = 0; i < 10_000; i++) found += findCredentials(env[i % env.length][1], { name: env[i % env.length][0] }).length;
    // THEN none is a credential, quickly
    expect(found).toBe(0);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

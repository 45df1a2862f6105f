import * as path from 'path';
import { Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  DefaultDenyNamespace, FlywayMigrationJob, HardenedApp, HealthProbe, JobOrdering, Migrations, PostgresDatabase, SecureDeployment,
} from '../../src';

/**
 * The talk's migration picture: a namespace, the PostgreSQL StatefulSet (one replica, a volume, `role=postgresql`),
 * the Flyway Job applying V1__, V2__ and V3__ to it, and the web app reading the same connection info.
 */
export class CarDatabaseChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const namespace = new DefaultDenyNamespace(this, 'namespace', { name: 'cars' });
    // "Secrets = database connection info": the password lives in a Secret managed outside this app (e.g. by External
    // Secrets, key `password`); the manifests only name it.
    const credentials = kplus.Secret.fromSecretName(this, 'credentials', 'cars-db-credentials');

    const database = new PostgresDatabase(this, 'postgresql', {
      namespace,
      image: 'postgres:17.6-bookworm',
      database: 'cars',
      username: 'cars',
      credentials,
      storage: { size: Size.gibibytes(10) },
      labels: { role: 'postgresql' },
    });

    // Argo CD syncs wave by wave: the database (wave 0) is healthy before the migration (a Sync hook in wave 1) runs.
    new FlywayMigrationJob(this, 'migrate', {
      name: 'cars-schema',
      namespace,
      database,
      migrations: Migrations.fromDirectory(path.join(__dirname, 'sql')),
      ordering: JobOrdering.argoCdSync(),
    });

    const web = new SecureDeployment(this, 'web', {
      namespace,
      image: 'ghcr.io/acme/cars-web:2.3.0',
      port: 8080,
      readiness: HealthProbe.http('/healthz'),
      // PGHOST, PGPORT, PGDATABASE, PGUSER, and PGPASSWORD as a reference to the Secret.
      env: database.clientEnv(),
    });
    // The database admits the web app on 5432, and the web app's egress reaches the database (the Job wired itself).
    database.allowFrom(web);
  }
}

export const app = new HardenedApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
new CarDatabaseChart(app, 'cars', { namespace: 'cars' });
app.synth();

import * as path from 'path';
import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DefaultDenyNamespace, FlywayMigrationJob, HardenedApp, JobOrdering, Migrations } from '../../src';

/** The car database's schema, migrated by a Flyway Job that runs before the app syncs (Argo CD PreSync). */
export class CarDatabaseChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const namespace = new DefaultDenyNamespace(this, 'namespace', { name: 'cars' });
    // The Secret is managed outside this app (e.g. by External Secrets); only its name is referenced.
    const credentials = kplus.Secret.fromSecretName(this, 'credentials', 'cars-db-credentials');
    new FlywayMigrationJob(this, 'migrate', {
      name: 'cars-schema',
      namespace,
      jdbcUrl: 'jdbc:postgresql://postgresql:5432/cars',
      credentials,
      migrations: Migrations.fromDirectory(path.join(__dirname, 'sql')),
      ordering: JobOrdering.argoCdPreSync(),
    });
  }
}

export const app = new HardenedApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
new CarDatabaseChart(app, 'cars', { namespace: 'cars' });
app.synth();

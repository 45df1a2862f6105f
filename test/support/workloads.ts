import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { testChart } from './helpers';
import { ExternalAddress, ExternalMongoService, SecureDeployment } from '../../src';

/** A pinned image for test workloads. */
export const IMAGE = 'ghcr.io/acme/web:1.4.2';

/** A chart `shop` with a SecureDeployment `web`. */
export function withWeb(props: Partial<ConstructorParameters<typeof SecureDeployment>[2]> = {}) {
  const { chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web', ...props });
  return { chart, web };
}

/** An ExternalMongoService at 10.200.0.2 with credentials from the Secret `mongo-credentials`. */
export function mongo(chart: Construct, id: string, props: any = {}): ExternalMongoService {
  return new ExternalMongoService(chart, id, {
    address: ExternalAddress.ip('10.200.0.2'),
    database: 'app',
    credentials: kplus.Secret.fromSecretName(chart, `${id}-creds`, 'mongo-credentials'),
    ...props,
  });
}

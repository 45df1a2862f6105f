import type { ISecret } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import type { INetworkWorkload } from '../workloads/hardened-workload';

/**
 * How clients reach a database: everything but the password, which stays in its Secret. No field holds a credential,
 * and no URL carries one.
 */
export interface DatabaseConnection {
  /** The host name clients connect to: the database's Service (`postgres.cars.svc`, or `postgres` without a namespace). */
  readonly host: string;
  /** The port. */
  readonly port: number;
  /** The database's name. */
  readonly database: string;
  /** The user name (a name, not a secret). */
  readonly username: string;
  /** The Secret holding the password. */
  readonly passwordSecret: ISecret;
  /** The key of the password in that Secret. */
  readonly passwordKey: string;
  /** Whether the server offers TLS (clients then require it: `sslmode=require` in the JDBC URL, `PGSSLMODE`). */
  readonly tls: boolean;
  /** The JDBC URL, without credentials, e.g. `jdbc:postgresql://postgres.cars.svc:5432/cars`. */
  readonly jdbcUrl: string;
}

/** A database of the app that clients connect to (PostgresDatabase). */
export interface IDatabase extends IConstruct {
  /** How clients reach it. */
  readonly connection: DatabaseConnection;
  /**
   * Lets workloads of the app connect: the database admits exactly their pods on its port, and each one's egress
   * reaches exactly the database's pods on it.
   */
  allowFrom(...clients: INetworkWorkload[]): void;
}

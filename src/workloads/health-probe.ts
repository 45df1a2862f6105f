import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Plain } from '../baseline/plain';

/** Timing of a health probe. */
export interface HealthProbeOptions {
  /**
   * Time after the container starts before the first probe.
   * @default Duration.seconds(0) for readiness, Duration.seconds(10) for liveness
   */
  readonly initialDelay?: Duration;
  /**
   * Time between probes.
   * @default Duration.seconds(10)
   */
  readonly period?: Duration;
  /**
   * Time after which a probe counts as failed.
   * @default Duration.seconds(2)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures before the container counts as unready (readiness) or is restarted (liveness).
   * @default 3
   */
  readonly failureThreshold?: number;
}

/** Options of an HTTP GET probe. */
export interface HttpHealthProbeOptions extends HealthProbeOptions {
  /**
   * The port to probe.
   * @default - the workload's port
   */
  readonly port?: number;
  /**
   * Probe over HTTPS (the certificate is not verified).
   * @default false
   */
  readonly https?: boolean;
}

/** Options of a TCP or gRPC probe. */
export interface PortHealthProbeOptions extends HealthProbeOptions {
  /**
   * The port to probe.
   * @default - the workload's port
   */
  readonly port?: number;
}

/** Options of a gRPC probe (the gRPC health checking protocol). */
export interface GrpcHealthProbeOptions extends PortHealthProbeOptions {
  /**
   * The service name sent in the health check request.
   * @default - the server's overall health
   */
  readonly service?: string;
}

/** How the kubelet checks that a container is ready or alive: TCP (the default), HTTP GET, exec or gRPC. */
export class HealthProbe {
  /** Open a TCP connection to the port. */
  public static tcp(options: PortHealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('tcp', options, (port) => ({ tcpSocket: { port: options.port ?? port! } }));
  }

  /** Send an HTTP GET to the path; a status from 200 to 399 is healthy. */
  public static http(path: string, options: HttpHealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('http', options, (port) => ({
      httpGet: { path, port: options.port ?? port!, scheme: options.https ? 'HTTPS' : 'HTTP' },
    }));
  }

  /** Run a command in the container; exit status 0 is healthy. */
  public static exec(command: string[], options: HealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('exec', options, () => ({ exec: { command } }), false);
  }

  /** Call the gRPC health checking protocol on the port. */
  public static grpc(options: GrpcHealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('grpc', options, (port) => ({ grpc: { port: options.port ?? port!, service: options.service } }));
  }

  private constructor(
    /** The kind of check: tcp, http, exec or grpc. */
    public readonly kind: string,
    private readonly options: HealthProbeOptions,
    private readonly handler: (port: number | undefined) => Plain<k8s.Probe>,
    /** Whether the probe needs a port (its own or the workload's). */
    public readonly needsPort: boolean = true,
  ) {}

  /** Whether the probe names its own port. */
  public get hasOwnPort(): boolean {
    return (this.options as PortHealthProbeOptions).port !== undefined;
  }

  /**
   * The low-level probe, with `port` as the default port.
   * @internal
   */
  public _toKube(port: number | undefined, defaultInitialDelaySeconds: number): Plain<k8s.Probe> {
    return {
      ...this.handler(port),
      initialDelaySeconds: this.options.initialDelay?.toSeconds() ?? defaultInitialDelaySeconds,
      periodSeconds: this.options.period?.toSeconds() ?? 10,
      timeoutSeconds: this.options.timeout?.toSeconds() ?? 2,
      failureThreshold: this.options.failureThreshold ?? 3,
      successThreshold: 1,
    };
  }
}

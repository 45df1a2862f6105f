import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { inputError, quote } from '../../core/errors';
import { Plain } from '../../core/plain';
import { checkInstance, checkInteger, checkOptionalString, checkPropsObject, checkString, checkStringList, PropKeys } from '../../core/prop-checks';
import { validatePort } from '../../k8s/ports';
import { describeCredential, describeCredentialKind, findCredentials, findCredentialsInArgs } from '../../parsers/credentials';

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

const PROBE_OPTIONS: PropKeys<HealthProbeOptions> = { initialDelay: true, period: true, timeout: true, failureThreshold: true };
const PORT_PROBE_OPTIONS: PropKeys<PortHealthProbeOptions> = { ...PROBE_OPTIONS, port: true };
const HTTP_PROBE_OPTIONS: PropKeys<HttpHealthProbeOptions> = { ...PORT_PROBE_OPTIONS, https: true };
const GRPC_PROBE_OPTIONS: PropKeys<GrpcHealthProbeOptions> = { ...PORT_PROBE_OPTIONS, service: true };

/** The role a probe plays; each has its own default first delay. */
const INITIAL_DELAY_SECONDS = { liveness: 10, readiness: 0 };

/** How the kubelet checks that a container is ready or alive: TCP (the default), HTTP GET, exec or gRPC. */
export class HealthProbe {
  /** Open a TCP connection to the port. */
  public static tcp(options: PortHealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('tcp', options, PORT_PROBE_OPTIONS, (where, port) => ({ tcpSocket: { port: probePort(where, options, port) } }));
  }

  /** Send an HTTP GET to the path, healthy on a status from 200 to 399. */
  public static http(path: string, options: HttpHealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('http', options, HTTP_PROBE_OPTIONS, (where, port) => ({
      httpGet: { path: httpPath(where, path), port: probePort(where, options, port), scheme: options.https ? 'HTTPS' : 'HTTP' },
    }));
  }

  /** Run a command in the container, healthy when it exits with status 0. */
  public static exec(command: string[], options: HealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('exec', options, PROBE_OPTIONS, (where) => ({ exec: { command: execCommand(where, command) } }), false);
  }

  /** Call the gRPC health checking protocol on the port. */
  public static grpc(options: GrpcHealthProbeOptions = {}): HealthProbe {
    return new HealthProbe('grpc', options, GRPC_PROBE_OPTIONS, (where, port) => ({
      grpc: { port: probePort(where, options, port), service: checkOptionalString(where, 'gRPC probe service', options.service) },
    }));
  }

  private constructor(
    /** The kind of check: tcp, http, exec or grpc. */
    public readonly kind: string,
    private readonly options: HealthProbeOptions,
    private readonly knownOptions: PropKeys<HealthProbeOptions>,
    private readonly handler: (where: string, port: number | undefined) => Plain<k8s.Probe>,
    /** Whether the probe needs a port (its own or the workload's). */
    public readonly needsPort: boolean = true,
  ) {}

  /** Whether the probe names its own port. */
  public get hasOwnPort(): boolean {
    return (this.options as PortHealthProbeOptions | undefined)?.port !== undefined;
  }

  /**
   * The low-level probe, with `port` as the default port; every number checked as the API server does
   * (delay ≥ 0; period, timeout and failure threshold ≥ 1; whole seconds within int32).
   * @internal
   */
  public _toKube(where: string, role: 'liveness' | 'readiness', port: number | undefined): Plain<k8s.Probe> {
    const options = checkPropsObject(where, this.options, this.knownOptions, `${role} probe options`);
    const seconds = (what: string, duration: Duration | undefined, fallback: number, min: number) =>
      duration === undefined ? fallback : checkInteger(where, `${role} probe ${what} (seconds)`, wholeSeconds(where, `${role} probe ${what}`, duration), { min });
    return {
      ...this.handler(where, port),
      initialDelaySeconds: seconds('initialDelay', options.initialDelay, INITIAL_DELAY_SECONDS[role], 0),
      periodSeconds: seconds('period', options.period, 10, 1),
      timeoutSeconds: seconds('timeout', options.timeout, 2, 1),
      failureThreshold: checkInteger(where, `${role} probe failureThreshold`, options.failureThreshold ?? 3, { min: 1 }),
      successThreshold: 1,
    };
  }
}

function wholeSeconds(where: string, what: string, duration: unknown): number {
  const value = checkInstance<Duration>(where, what, duration, 'toSeconds()', 'a Duration (e.g. Duration.seconds(10))');
  try {
    return value.toSeconds();
  } catch {
    throw inputError(where, `${what} ${quote(value.toHumanString())} is not a whole number of seconds`, 'use whole seconds, e.g. Duration.seconds(5)');
  }
}

function probePort(where: string, options: PortHealthProbeOptions, workloadPort: number | undefined): number {
  return validatePort(where, options.port === undefined ? 'probe port (the workload\'s port)' : 'probe port', options.port ?? workloadPort!);
}

function httpPath(where: string, path: unknown): string {
  const value = checkString(where, 'HTTP probe path', path);
  const query = value.indexOf('?');
  const found = [
    ...findCredentials(value),
    // Query parameters by name too: `?access_token=…` is a credential whatever the value looks like.
    ...(query < 0 ? [] : value.slice(query + 1).split('&').flatMap((pair) => {
      const [name, parameter = ''] = pair.split('=');
      return findCredentials(decodeURIComponentSafely(parameter), { name: decodeURIComponentSafely(name) });
    })),
  ];
  if (found.length) {
    throw inputError(
      where,
      `the HTTP probe path holds ${describeCredentialKind(found[0].kind)}, which would be written into the manifest in clear text`,
      'probe a path that needs no credential (the kubelet cannot read Secrets for probes), e.g. "/healthz"',
    );
  }
  if (!value.startsWith('/') || /[\s\u0000-\u001f\u007f]/.test(value)) {
    throw inputError(where, `HTTP probe path ${quote(value)} is not an absolute URL path`, 'start it with "/" and leave out spaces and control characters, e.g. "/healthz"');
  }
  return value;
}

function decodeURIComponentSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function execCommand(where: string, command: unknown): string[] {
  const list = checkStringList(where, 'exec probe command', command);
  if (list.length === 0 || list[0].trim() === '') {
    throw inputError(where, 'the exec probe command is empty, and the kubelet would fail every probe', 'name the program to run, e.g. ["/app/healthcheck"]');
  }
  const found = findCredentialsInArgs(list);
  if (found.length) {
    throw inputError(
      where,
      `exec probe command argument ${found[0].index} holds ${describeCredential(found[0])}, which would be written into the manifest in clear text`,
      'read the credential from a mounted Secret file or an env var from a Secret instead',
    );
  }
  return list;
}

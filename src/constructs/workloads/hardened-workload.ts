import { createHash } from 'crypto';
import { ApiObject, Lazy, Size } from 'cdk8s';
import type {
  ConfigMap, EnvValue, IApiResource, IConfigMap, INetworkPolicyPeer, IPodSelector, ISecret,
  IServiceAccount, k8s, NetworkPolicyPeerConfig, PodSelectorConfig, ContainerResources,
} from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ApiAccess } from './api-access';
import { ApiGrant } from './api-grant-options';
import { METRICS_PORT_NAME, metricsIngressRule, resolveMetrics, ResolvedMetrics } from './metrics';
import { MetricsOptions } from './metrics-options';
import { WorkloadPodExtras, WorkloadServiceOptions } from './workload-steps';
import { inputError, quote } from '../../core/errors';
import { recommendedLabels, selectorLabels } from '../../core/labels';
import { validateDataKey, validateDnsLabel, validateDnsSubdomain } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkInstance, checkList, checkOptionalBoolean, checkOptionalString, checkPropsObject, checkString, checkStringList, PropKeys } from '../../core/prop-checks';
import { kube } from '../../k8s/objects';
import { DEFAULT_PORT_NAME, validatePort, validatePortName } from '../../k8s/ports';
import { describeCredential, findCredentials } from '../../parsers/credentials';
import { validateImage } from '../../parsers/image';
import { cdk8sPlus } from '../base/cdk8s-plus';
import { HardenedConstruct } from '../base/hardened-construct';
import { MeshDataplane } from '../base/namespace-mesh';
import { INamespaceRef } from '../base/namespace-ref';
import { IPriorityClass } from '../base/priority-class-ref';
import { checkSecret } from '../base/secret-reference';
import { EgressRules } from '../network/egress-rules';
import { meshFrom, meshSource, MeshSource } from '../network/mesh-peers';
import { toKubePeerList } from '../network/peers';
import { validateCommandLine } from '../pod/command-line';
import { toKubeEnv } from '../pod/env';
import { hardenedPodSpec, validateMountPath } from '../pod/hardened-pod-spec';
import { HealthProbe } from '../pod/health-probe';
import { validatePodAnnotations, validatePodLabels } from '../pod/pod-metadata';
import { resourceRequirements, sizeQuantity } from '../pod/resources';
import { resolveRunAsIdentity, RunAsIdentity } from '../pod/security-context';

/** Configuration files from a ConfigMap, mounted read-only. */
export interface ConfigFilesOptions {
  /** The ConfigMap whose keys become files. */
  readonly configMap: IConfigMap;
  /** The directory the files appear in. */
  readonly mountPath: string;
}

/** Files from a Secret, mounted read-only. */
export interface SecretFilesOptions {
  /** The Secret whose keys become files. */
  readonly secret: ISecret;
  /** The directory the files appear in. */
  readonly mountPath: string;
  /**
   * The keys to mount (each a file of its name); a key the Secret lacks keeps the pod from starting.
   * @default - every key of the Secret
   */
  readonly keys?: string[];
}

/** Props every hardened workload takes (SecureDeployment, SecureStatefulSet). */
export interface HardenedWorkloadProps {
  /** The container image, pinned by tag or digest (`latest` and untagged images are refused). */
  readonly image: string;
  /**
   * Refuse images that are not pinned by a sha256 digest.
   * @default false
   */
  readonly requireImageDigest?: boolean;
  /**
   * The namespace of every object this construct creates (e.g. a DefaultDenyNamespace).
   * @default - the chart's namespace
   */
  readonly namespace?: INamespaceRef;
  /**
   * The name of every object this construct creates, also used as the `app.kubernetes.io/instance` label.
   * @default - the construct id, or its path below the chart joined with `-` when nested (`orders-web`); see README "Object names"
   */
  readonly name?: string;
  /**
   * The application name (`app.kubernetes.io/name`).
   * @default - the construct id
   */
  readonly appName?: string;
  /**
   * The component (`app.kubernetes.io/component`).
   * @default "server" with a port, "worker" without
   */
  readonly component?: string;
  /**
   * The larger application this belongs to (`app.kubernetes.io/part-of`).
   * @default - the chart's id
   */
  readonly partOf?: string;
  /**
   * The port the container listens on. Without one, the workload is a worker: no Service, no TCP probes,
   * no ingress.
   * @default - a worker
   */
  readonly port?: number;
  /**
   * The name of the port.
   * @default "http"
   */
  readonly portName?: string;
  /**
   * Environment variables. Literal values are refused for names that denote credentials
   * (PASSWORD, TOKEN, SECRET, API_KEY, …) and for URLs with a password: use `EnvValue.fromSecretValue`.
   * @default - no environment variables
   */
  readonly env?: { [name: string]: EnvValue };
  /**
   * Configuration files from a ConfigMap, mounted read-only. When the ConfigMap is defined in this app,
   * a checksum of its data on the pod template rolls the pods whenever it changes.
   * @default - no configuration files
   */
  readonly config?: ConfigFilesOptions;
  /**
   * The container entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Requests and limits, field by field over the defaults.
   * @default - cpu 100m/500m, memory 128Mi/256Mi, ephemeral-storage 64Mi/256Mi (request/limit)
   */
  readonly resources?: ContainerResources;
  /**
   * The uid the container runs as, which should match the image's numeric USER (0 is refused).
   * @default 10001
   */
  readonly user?: number;
  /**
   * The gid the container runs as, also the fsGroup of its volumes.
   * @default - the user id
   */
  readonly group?: number;
  /**
   * Writable directories besides /tmp (the root filesystem is read-only), each an emptyDir.
   * @default - only /tmp
   */
  readonly writablePaths?: string[];
  /**
   * Files from Secrets (certificates, keys, password files), mounted read-only and readable by the workload's group
   * only (mode 0440, owned by root and the fsGroup). Prefer files to environment variables for credentials: they are
   * not inherited by child processes or printed by crash reporters.
   * @default - none
   */
  readonly secretFiles?: SecretFilesOptions[];
  /**
   * The size of `/dev/shm`, then a memory-backed emptyDir that counts against the memory limit. PostgreSQL's parallel
   * queries, browsers and ML frameworks need more shared memory than the container runtime's 64 MiB.
   * @default - the container runtime's /dev/shm (64 MiB)
   */
  readonly sharedMemory?: Size;
  /**
   * Secrets holding registry credentials.
   * @default - none
   */
  readonly imagePullSecrets?: ISecret[];
  /**
   * The pod priority class: a PriorityClass of the app, or one the platform provides (`Prerequisite.priorityClass`),
   * so that the reference is known to resolve.
   * @default - the cluster's default priority
   */
  readonly priorityClass?: IPriorityClass;
  /**
   * The pod priority class, by name. Prefer `priorityClass`: a name alone is checked only at synth (K8S-REFERENCES-RESOLVE).
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * Labels added to every object and to the pods.
   * @default - only the recommended labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations added to the pods.
   * @default - none besides the config checksum
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Readiness check.
   * @default - TCP on the port; for a worker, the liveness check
   */
  readonly readiness?: HealthProbe;
  /**
   * Liveness check. Required for a worker (no port): a hung worker must be restarted.
   * @default - TCP on the port, first after 10 s
   */
  readonly liveness?: HealthProbe;
  /**
   * The service account the pods run as (its token is never mounted).
   * @default - a dedicated ServiceAccount
   */
  readonly serviceAccount?: IServiceAccount;
  /**
   * Who may connect to the port: workloads, pod selectors or IP blocks (cdk8s-plus-27 network-policy peers).
   * An empty list admits nobody (a NetworkPolicy rule with an empty "from" would admit everybody).
   * @default - pods in the same namespace
   */
  readonly allowIngressFrom?: INetworkPolicyPeer[];
  /**
   * Scrape the workload's metrics with the Prometheus Operator: a ServiceMonitor (a PodMonitor for a workload
   * without a Service) that selects exactly these pods on a named port, and a NetworkPolicy ingress rule that
   * lets the Prometheus pods (and nothing else) reach that port.
   * @default - no metrics
   */
  readonly metrics?: MetricsOptions;
}

/** The props of HardenedWorkloadProps, which each workload's own key list spreads. */
export const HARDENED_WORKLOAD_PROPS: PropKeys<HardenedWorkloadProps> = {
  image: true,
  requireImageDigest: true,
  namespace: true,
  name: true,
  appName: true,
  component: true,
  partOf: true,
  port: true,
  portName: true,
  env: true,
  config: true,
  command: true,
  args: true,
  resources: true,
  user: true,
  group: true,
  writablePaths: true,
  secretFiles: true,
  sharedMemory: true,
  imagePullSecrets: true,
  priorityClass: true,
  priorityClassName: true,
  labels: true,
  podAnnotations: true,
  readiness: true,
  liveness: true,
  serviceAccount: true,
  allowIngressFrom: true,
  metrics: true,
};
const CONFIG_FILES_OPTIONS: PropKeys<ConfigFilesOptions> = { configMap: true, mountPath: true };
const SECRET_FILES_OPTIONS: PropKeys<SecretFilesOptions> = { secret: true, mountPath: true, keys: true };
/** Ztunnel's HBONE port (ambient mode): mTLS tunnels from other meshed pods arrive on it. */
const HBONE_PORT = 15008;
/** Secret files are readable by their owner (root) and the pod's fsGroup, and by nobody else (PostgreSQL accepts a key file so). */
const SECRET_FILE_MODE = 0o440;
const SHARED_MEMORY_PATH = '/dev/shm';

/** A volume of the pod and the container's mount of it. */
interface MountedVolume {
  readonly volume: Plain<k8s.Volume>;
  readonly mount: Plain<k8s.VolumeMount>;
}

/** The ConfigMap of `config`, as a volume and its read-only mount. */
interface ConfigVolume extends MountedVolume {
  readonly configMap: IConfigMap;
}

/** What the opening of a workload settles, which the later steps read. */
interface OpenedWorkload {
  readonly props: HardenedWorkloadProps;
  readonly name: string;
  readonly labels: { [key: string]: string };
  readonly selectorLabels: { [key: string]: string };
  readonly port?: number;
  readonly portName: string;
  readonly identity: RunAsIdentity;
  readonly metrics?: ResolvedMetrics;
  /** The port metrics are served on when it is not the serving port. */
  readonly extraMetricsPort?: number;
  readonly serviceAccountName: string;
  readonly serviceAccount?: ApiObject;
}

/**
 * A workload of the app whose pods can be named as a network peer and whose egress can be widened: SecureDeployment,
 * SecureStatefulSet, PostgresDatabase, FlywayMigrationJob. A database's `allowFrom` takes these.
 */
export interface INetworkWorkload extends IPodSelector, INetworkPolicyPeer {
  /** The namespace of the workload's pods, if known. */
  readonly namespaceName?: string;
  /**
   * Allows egress from the workload's pods (rules add up; a rule must name its destinations).
   */
  addEgressRule(rule: k8s.NetworkPolicyEgressRule): void;
}

/**
 * The base of the hardened workloads (SecureDeployment, SecureStatefulSet, PostgresDatabase): what they share, once.
 * A workload opens with its labels and ServiceAccount, renders the hardened pod template its controller carries,
 * then gets its Service, PodDisruptionBudget, NetworkPolicy (ingress on the port from the named peers, egress to DNS
 * and what `addEgressRule` adds) and metrics monitor. Grants (`allow`) and egress rules work after construction.
 *
 * It is a cdk8s-plus-27 pod selector and network-policy peer, so it can be named wherever those are.
 */
export abstract class HardenedWorkload extends HardenedConstruct implements INetworkWorkload {
  private opened?: OpenedWorkload;
  private readonly egressRules = new EgressRules();
  /** Peers admitted on the port: `allowIngressFrom`, then what `_admitOnPort` adds. */
  private readonly ingressPeers: Plain<k8s.NetworkPolicyPeer>[] = [];
  /** The same peers as the mesh names them (in a namespace with a mesh: the AuthorizationPolicy's sources). */
  private readonly meshSources: MeshSource[] = [];
  private apiAccess?: ApiAccess;
  private serviceObject?: ApiObject;
  private serviceSpec?: Plain<k8s.ServiceSpec>;
  private disruptionBudget?: ApiObject;
  private policy?: ApiObject;
  private monitorObject?: ApiObject;
  private authorization?: ApiObject;
  private metricsMtlsException?: ApiObject;

  protected constructor(scope: Construct, id: string, kind: string, props: any, knownProps: string[]) {
    super(scope, id, kind, props, knownProps);
  }

  /** The name of every object of this workload. */
  public get name(): string {
    return this.workload.name;
  }

  /** The labels on every object and pod. */
  public get labels(): { [key: string]: string } {
    return this.workload.labels;
  }

  /** The labels that select this workload's pods. */
  public get selectorLabels(): { [key: string]: string } {
    return this.workload.selectorLabels;
  }

  /** The container port, if any. */
  public get port(): number | undefined {
    return this.workload.port;
  }

  /** The namespace of the objects, if known. */
  public get namespaceName(): string | undefined {
    return this.objectNamespace;
  }

  /** The ServiceAccount the pods run as, if this construct created it. */
  public get serviceAccount(): ApiObject | undefined {
    return this.workload.serviceAccount;
  }

  /** The Service, if the workload has one. */
  public get service(): ApiObject | undefined {
    return this.serviceObject;
  }

  /** The PodDisruptionBudget. */
  public get podDisruptionBudget(): ApiObject {
    return this.disruptionBudget!;
  }

  /** The NetworkPolicy of the pods. */
  public get networkPolicy(): ApiObject {
    return this.policy!;
  }

  /**
   * The ALLOW AuthorizationPolicy (security.istio.io/v1) of the pods, in a namespace with a mesh: the peers the
   * NetworkPolicy admits, as the mesh names them, on the same container ports.
   */
  public get authorizationPolicy(): ApiObject | undefined {
    return this.authorization;
  }

  /**
   * The PeerAuthentication (security.istio.io/v1) that lets a Prometheus outside the mesh scrape the metrics port in
   * plaintext (a port-level exception with this workload's selector), in a namespace with a mesh.
   */
  public get metricsPeerAuthentication(): ApiObject | undefined {
    return this.metricsMtlsException;
  }

  /** The ServiceMonitor or PodMonitor (monitoring.coreos.com/v1), with `metrics`. */
  public get monitor(): ApiObject | undefined {
    return this.monitorObject;
  }

  /** The Role holding the workload's grants (see `allow`), if it has any. */
  public get role(): ApiObject | undefined {
    return this.apiAccess?.role;
  }

  /** The RoleBinding of that Role to the workload's ServiceAccount, if the workload has grants. */
  public get roleBinding(): ApiObject | undefined {
    return this.apiAccess?.roleBinding;
  }

  /**
   * Lets the workload call the Kubernetes API: the grant's verbs on its resources, in the workload's namespace only.
   *
   * The grant is a Role bound to the workload's ServiceAccount; its pods then mount a service account token (no
   * other workload's do).
   * Refused, with the fix: wildcards, verbs other than get, list, watch, create, update, patch, delete and
   * deletecollection, cluster-scoped resources (a namespaced Role grants nothing on them), listing or watching
   * Secrets, reading Secrets not named, and whatever the RBAC rules of the default packs flag: writes that undo the
   * workload's isolation (NetworkPolicies, mesh and CNI policies, its Namespace, pod templates, Services, Endpoints,
   * RBAC; NSA-RBAC-ISOLATION), pods/exec, requesting tokens, and any grant to the namespace's `default`
   * ServiceAccount (NSA-RBAC-DEFAULT-SA). Named as cdk8s-plus names the grantee side of RBAC (`Role.allow`).
   */
  public allow(grant: ApiGrant): void {
    if (this.apiAccess) {
      this.apiAccess.add(grant);
    } else {
      // Loaded on the first grant: ApiAccess judges each grant with the policy engine's RBAC rules, whose modules
      // are ~8 % of what reading SecureDeployment costs every app (the load budget in bench/load.bench.ts), and most
      // workloads never call the API. test/package/module-formats.test.ts checks what loads when.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ApiAccess: Access } = require('./api-access') as typeof import('./api-access');
      this.apiAccess = new Access(this, 'ApiAccess', { where: this.where, path: this.node.path, metadata: this.metadata(), serviceAccountName: this.workload.serviceAccountName }, grant);
    }
  }

  /** Lets the workload read (get, list, watch) the resources in its namespace, as `allow` with those verbs. */
  public allowRead(...resources: IApiResource[]): void {
    this.allow({ verbs: ['get', 'list', 'watch'], resources });
  }

  /**
   * Allows egress from this workload's pods. Rules add up: each opens more, none can close what another
   * opened. The rule must name its destinations: a rule without `to` (or with an empty one) would allow every
   * destination and is refused, as are peers that admit everything, ipBlocks reaching a cloud metadata
   * address, and ports the API server refuses. Prefer EgressAllowlist, which also names ports.
   */
  public addEgressRule(rule: k8s.NetworkPolicyEgressRule): void {
    this.egressRules.add(`${this.where}: addEgressRule`, rule);
  }

  /**
   * Who the workload's pods are to a mesh: their ServiceAccount, in their namespace (undefined: the admitting
   * workload's).
   * @internal
   */
  public _meshIdentity(): { readonly namespace?: string; readonly serviceAccountName: string } {
    return { namespace: this.namespaceName, serviceAccountName: this.workload.serviceAccountName };
  }

  /** @see IPodSelector */
  public toPodSelectorConfig(): PodSelectorConfig {
    return {
      labelSelector: cdk8sPlus().LabelSelector.of({ labels: this.selectorLabels }),
      namespaces: this.namespaceName ? { names: [this.namespaceName] } : undefined,
    };
  }

  /** @see INetworkPolicyPeer */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** @see INetworkPolicyPeer */
  public toPodSelector(): IPodSelector | undefined {
    return this;
  }

  /**
   * The first step: checks the props the workloads share, and writes the labels and the ServiceAccount.
   * @internal
   */
  protected _openWorkload(props: HardenedWorkloadProps): void {
    const where = this.where;
    const image = validateImage(where, checkString(where, 'image', props.image), { requireDigest: checkOptionalBoolean(where, 'requireImageDigest', props.requireImageDigest) });
    const name = validateDnsLabel(where, 'name', checkOptionalString(where, 'name', props.name) ?? this.defaultName());
    const port = props.port === undefined ? undefined : validatePort(where, 'port', props.port);
    const portName = validatePortName(where, checkOptionalString(where, 'portName', props.portName) ?? DEFAULT_PORT_NAME);
    const identity = resolveRunAsIdentity(where, props.user, props.group);
    const metrics = props.metrics === undefined ? undefined : resolveMetrics(where, props.metrics);
    if (metrics && metrics.port !== port && portName === METRICS_PORT_NAME) {
      throw inputError(where, `portName "${METRICS_PORT_NAME}" names port ${port}, and metrics are served on port ${metrics.port}`,
        'give the serving port another name, or serve metrics on the same port');
    }
    const labels = {
      ...validatePodLabels(where, 'labels', props.labels ?? {}),
      ...recommendedLabels(where, {
        name: checkOptionalString(where, 'appName', props.appName) ?? validateDnsLabel(where, 'appName (the construct id)', this.node.id),
        instance: name,
        version: image.tag,
        component: checkOptionalString(where, 'component', props.component) ?? (port ? 'server' : 'worker'),
        partOf: checkOptionalString(where, 'partOf', props.partOf) ?? this.chartPartOf,
      }),
    };
    const givenAccount = props.serviceAccount === undefined
      ? undefined
      : checkInstance<IServiceAccount>(where, 'serviceAccount', props.serviceAccount, 'name', 'a ServiceAccount (e.g. ServiceAccount.fromServiceAccountName(...))');
    const metadata = { name, namespace: this.objectNamespace, labels };
    this.opened = {
      props,
      name,
      labels,
      selectorLabels: selectorLabels(labels),
      port,
      portName,
      identity,
      metrics,
      extraMetricsPort: metrics && metrics.port !== port ? metrics.port : undefined,
      serviceAccountName: validateDnsSubdomain(where, 'serviceAccount name', givenAccount?.name ?? name),
      serviceAccount: givenAccount ? undefined : kube.serviceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false }),
    };
  }

  /**
   * The second step: the hardened pod template the controller carries.
   * @internal
   */
  protected _podTemplate(extras: WorkloadPodExtras = {}): Plain<k8s.PodTemplateSpec> {
    const { where } = this;
    const { props, port, portName, identity, extraMetricsPort, serviceAccountName, selectorLabels: selector } = this.workload;
    const configVolumes = props.config === undefined ? [] : [this.configVolume(where, props.config)];
    const fileVolumes = [...configVolumes, ...secretFileVolumes(where, props.secretFiles), ...sharedMemoryVolume(where, props.sharedMemory)];
    const livenessProbe = probe(where, 'liveness', props.liveness, port);
    const readinessProbe = probe(where, 'readiness', props.readiness ?? (port ? undefined : props.liveness), port);
    const hardened = hardenedPodSpec(where, {
      identity,
      persistentData: extras.persistentData,
      serviceAccountName,
      imagePullSecrets: props.imagePullSecrets === undefined ? undefined : checkList<ISecret>(where, 'imagePullSecrets', props.imagePullSecrets).map((secret, i) =>
        validateDnsSubdomain(where, `imagePullSecrets[${i}] name`, checkInstance<ISecret>(where, `imagePullSecrets[${i}]`, secret, 'name', 'a Secret').name)),
      priorityClassName: priorityClassNameOf(where, props.priorityClass, props.priorityClassName),
      writablePaths: props.writablePaths,
      volumes: [...fileVolumes.map((c) => c.volume), ...(extras.volumes ?? [])],
      topologySpreadConstraints: topologySpread(selector),
      containers: [{
        name: 'app',
        image: props.image,
        ...validateCommandLine(where, props.command, props.args),
        ports: port || extraMetricsPort ? [
          ...(port ? [{ name: portName, containerPort: port, protocol: 'TCP' }] : []),
          ...(extraMetricsPort ? [{ name: METRICS_PORT_NAME, containerPort: extraMetricsPort, protocol: 'TCP' }] : []),
        ] : undefined,
        env: toKubeEnv(where, props.env ?? {}),
        resources: resourceRequirements(where, props.resources as ContainerResources | undefined, extras.defaultResources),
        readinessProbe,
        livenessProbe,
        volumeMounts: [...fileVolumes.map((c) => c.mount), ...(extras.volumeMounts ?? [])],
      }],
    });
    return {
      metadata: { labels: this.labels, annotations: podAnnotations(where, props.podAnnotations, configVolumes[0]?.configMap) },
      // The token is mounted only once the workload has been granted API access (allow, allowRead).
      spec: { ...hardened, automountServiceAccountToken: Lazy.any({ produce: () => this.apiAccess !== undefined }) as unknown as boolean },
    };
  }

  /**
   * The last step: the Service, the PodDisruptionBudget, the NetworkPolicy and the metrics monitor.
   * @internal
   */
  protected _exposeAndIsolate(options: WorkloadServiceOptions = {}): void {
    const { where } = this;
    const { props, port, portName, metrics, extraMetricsPort } = this.workload;
    const metadata = this.metadata();
    if (port && !options.none) {
      const servicePort = validatePort(where, 'servicePort', options.servicePort ?? port);
      if (servicePort === extraMetricsPort) {
        // The API server refuses a Service with two ports of one number and protocol.
        throw inputError(where, `metrics.port ${extraMetricsPort} is also servicePort, the Service's port for container port ${port}, and a Service `
          + 'cannot publish one port number twice', `set servicePort to ${port} (the container port), or serve metrics on the serving port (metrics.port: ${port})`);
      }
      this.serviceSpec = {
        ...(options.headless ? { clusterIP: 'None' } : { type: 'ClusterIP' }),
        selector: this.selectorLabels,
        ports: [
          { name: portName, port: servicePort, targetPort: portName, protocol: 'TCP' },
          ...(extraMetricsPort ? [{ name: METRICS_PORT_NAME, port: extraMetricsPort, targetPort: METRICS_PORT_NAME, protocol: 'TCP' }] : []),
        ],
      };
      this.serviceObject = kube.service(this, 'Service', { metadata, spec: this.serviceSpec });
    }

    this.disruptionBudget = kube.podDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata,
      spec: { maxUnavailable: 1, selector: { matchLabels: this.selectorLabels } },
    });

    // Empty peers mean nobody: an empty list emits no ingress rule (a rule with an empty "from" would admit everybody).
    const ingressGiven = props.allowIngressFrom === undefined ? undefined : checkList<INetworkPolicyPeer>(where, 'allowIngressFrom', props.allowIngressFrom);
    this.ingressPeers.push(...(ingressGiven === undefined ? [{ podSelector: {} }] : ingressGiven.length ? toKubePeerList(where, 'allowIngressFrom', ingressGiven) : []));
    // The default peer, every pod of the namespace, is the namespace to the mesh.
    this.addMeshSources(ingressGiven === undefined ? [{ namespaces: [undefined] }] : ingressGiven.map((peer, i) => meshSource(`allowIngressFrom[${i}]`, peer)));
    const mesh = this.namespaceMesh;
    const ambient = mesh?.dataplane === MeshDataplane.AMBIENT;
    this.policy = kube.networkPolicy(this, 'NetworkPolicy', {
      metadata,
      spec: {
        // One label, the instance: it selects exactly these pods (and satisfies Polaris' one-label match).
        podSelector: { matchLabels: { 'app.kubernetes.io/instance': this.name } },
        policyTypes: ['Ingress', 'Egress'],
        // Rendered at synth: peers admitted and rules added after construction reach the output.
        ingress: Lazy.any({
          produce: () => [
            ...(port && this.ingressPeers.length ? [{ from: this.ingressPeers.map((peer) => ({ ...peer })), ports: [{ protocol: 'TCP', port }] }] : []),
            // Ambient: meshed peers arrive through ztunnel's HBONE tunnel on 15008, whatever the port inside it; the
            // AuthorizationPolicy's port rule still holds (ztunnel enforces it on the inner port).
            ...(ambient && port && this.ingressPeers.length ? [{ from: this.ingressPeers.map((peer) => ({ ...peer })), ports: [{ protocol: 'TCP', port: HBONE_PORT }] }] : []),
            ...(metrics ? [metricsIngressRule(metrics)] : []),
          ],
        }) as unknown as Plain<k8s.NetworkPolicyIngressRule>[],
        egress: this.egressRules.render(),
      },
    });

    if (mesh && this.objectNamespace) this.authorize(metadata, this.objectNamespace);

    if (metrics) {
      const metricsPortName = metrics.port === port ? portName : METRICS_PORT_NAME;
      const endpoint = { port: metricsPortName, path: metrics.path, interval: metrics.interval, scheme: 'http' };
      const monitorMetadata = { ...metadata, labels: { ...this.labels, ...metrics.monitorLabels } };
      const selection = {
        selector: { matchLabels: { ...this.selectorLabels } },
        ...(this.namespaceName ? { namespaceSelector: { matchNames: [this.namespaceName] } } : {}),
      };
      const targetLabels = options.podTargetLabels?.length ? { podTargetLabels: [...options.podTargetLabels] } : {};
      this.monitorObject = this.serviceObject && !options.podMonitor
        ? kube.serviceMonitor(this, 'ServiceMonitor', { metadata: monitorMetadata, spec: { ...selection, endpoints: [endpoint] } })
        : kube.podMonitor(this, 'PodMonitor', { metadata: monitorMetadata, spec: { ...selection, ...targetLabels, podMetricsEndpoints: [endpoint] } });
    }
  }

  /**
   * Another Service over the same pods and ports as the workload's, under another name (a Rollout's preview or
   * canary Service). Called after `_exposeAndIsolate`, which wrote the workload's.
   * @internal
   */
  protected _addService(id: string, name: string): ApiObject {
    const spec = this.serviceSpec;
    if (!spec) throw new Error(`${this.where}: _addService before the workload's Service (a bug in the construct)`);
    return kube.service(this, id, {
      metadata: { ...this.metadata(), name },
      spec: { ...spec, selector: { ...spec.selector }, ports: spec.ports?.map((p) => ({ ...p })) },
    });
  }

  /**
   * Admits more peers on the workload's port (after `allowIngressFrom`), e.g. a database's clients.
   * @internal
   */
  public _admitOnPort(peers: Plain<k8s.NetworkPolicyPeer>[], sources: MeshSource[]): void {
    this.addMeshSources(sources);
    this.ingressPeers.push(...peers);
  }

  /** Adds the mesh's view of admitted peers; in a namespace with a mesh, refuses a peer the mesh cannot name. */
  private addMeshSources(sources: MeshSource[]): void {
    if (this.namespaceMesh) {
      const unmappable = sources.find((source) => source.unmappable)?.unmappable;
      if (unmappable) throw inputError(this.where, `in a namespace with a mesh, ${unmappable.problem}`, unmappable.fix);
    }
    this.meshSources.push(...sources);
  }

  /**
   * The mesh's layer: an ALLOW AuthorizationPolicy from the same peers as the NetworkPolicy, on the container ports
   * (AuthorizationPolicy ports are the pod's, not the Service's), rendered at synth like the NetworkPolicy's ingress;
   * and the Prometheus exception for the metrics port.
   */
  private authorize(metadata: { name: string; namespace?: string; labels: { [key: string]: string } }, namespace: string): void {
    const { where } = this;
    const mesh = this.namespaceMesh!;
    const { port, metrics } = this.workload;
    const selector = { matchLabels: { 'app.kubernetes.io/instance': this.name } };
    let metricsRule: { from: Array<{ source: { [key: string]: string[] } }>; to: Array<{ operation: { ports: string[] } }> } | undefined;
    if (metrics) {
      const to = [{ operation: { ports: [String(metrics.port)] } }];
      if (metrics.prometheusServiceAccount !== undefined) {
        // Prometheus in the mesh scrapes over mTLS: its principal, and nothing else, on the metrics port.
        const principal = mesh._principal(where, metrics.prometheusNamespace, metrics.prometheusServiceAccount);
        metricsRule = { from: [{ source: { principals: [principal] } }], to };
      } else {
        if (metrics.port === port) {
          throw inputError(where, `metrics are served on the serving port ${port}, and a Prometheus outside the mesh (no metrics.prometheusServiceAccount) `
            + 'scrapes in plaintext, which STRICT mTLS refuses; an exception for that port would let any client in without mTLS',
          'serve metrics on a port of their own (metrics.port), or name the ServiceAccount of a Prometheus in the mesh (metrics.prometheusServiceAccount)');
        }
        // A port-level exception with this workload's selector: only the metrics port accepts plaintext, and only from
        // sources without a mesh identity (the NetworkPolicy narrows them to the Prometheus pods).
        this.metricsMtlsException = kube.peerAuthentication(this, 'MetricsPeerAuthentication', {
          metadata: { ...metadata, name: `${this.name}-metrics` },
          spec: { selector, mtls: { mode: 'STRICT' }, portLevelMtls: { [String(metrics.port)]: { mode: 'PERMISSIVE' } } },
        });
        metricsRule = { from: [{ source: { notPrincipals: ['*'] } }], to };
      }
    }
    this.authorization = kube.authorizationPolicy(this, 'AuthorizationPolicy', {
      metadata,
      spec: {
        selector,
        action: 'ALLOW',
        // Rendered at synth: peers admitted after construction (a database's clients) reach the output.
        rules: Lazy.any({
          produce: () => {
            const from = meshFrom(where, mesh, namespace, this.meshSources);
            return [
              ...(port && from.length ? [{ from, to: [{ operation: { ports: [String(port)] } }] }] : []),
              ...(metricsRule ? [metricsRule] : []),
            ];
          },
        }) as unknown as [],
      },
    });
  }

  /** The metadata of the workload's objects. */
  private metadata(): { name: string; namespace?: string; labels: { [key: string]: string } } {
    return { name: this.name, namespace: this.objectNamespace, labels: this.labels };
  }

  /** The opened workload; a subclass opens it first thing in its constructor. */
  private get workload(): OpenedWorkload {
    if (!this.opened) throw new Error(`${this.where}: the workload is read before _openWorkload (a bug in the construct)`);
    return this.opened;
  }

  /**
   * The read-only config volume. A ConfigMap defined in the app is checked at synth, once all its keys are
   * in: a literal credential in it would be mounted from a manifest anyone with read access can see.
   */
  private configVolume(where: string, given: ConfigFilesOptions): ConfigVolume {
    const config = checkPropsObject(where, given, CONFIG_FILES_OPTIONS, 'config');
    const configMap = checkInstance<IConfigMap>(where, 'config.configMap', config.configMap, 'name', 'a ConfigMap');
    const mountPath = validateMountPath(where, 'config.mountPath', config.mountPath);
    if (configMap instanceof cdk8sPlus().ConfigMap) {
      this.node.addValidation({ validate: () => configMapCredentials(configMap) });
    }
    return {
      volume: { name: 'config', configMap: { name: validateDnsSubdomain(where, 'config.configMap name', configMap.name) } },
      mount: { name: 'config', mountPath, readOnly: true },
      configMap,
    };
  }
}

/** The volumes of `secretFiles`: each Secret read-only, mode 0440, the keys given (or all). */
function secretFileVolumes(where: string, given: unknown): MountedVolume[] {
  if (given === undefined) return [];
  return checkList<SecretFilesOptions>(where, 'secretFiles', given).map((entry, i) => {
    const what = `secretFiles[${i}]`;
    const options = checkPropsObject(where, entry, SECRET_FILES_OPTIONS, what);
    const secret = checkSecret(where, `${what}.secret`, options.secret, 'e.g. kplus.Secret.fromSecretName(this, \'tls\', \'web-tls\') or Prerequisite.secret(this, \'web-tls\')');
    const keys = options.keys === undefined ? undefined : checkStringList(where, `${what}.keys`, options.keys).map((key, j) => validateDataKey(where, `${what}.keys[${j}]`, key));
    if (keys !== undefined && keys.length === 0) throw inputError(where, `${what}.keys is empty, which would mount no file`, 'name the keys to mount, or leave keys out to mount them all');
    const repeated = keys?.find((key, j) => keys.indexOf(key) !== j);
    if (repeated !== undefined) throw inputError(where, `${what}.keys names ${quote(repeated)} twice`, 'name each key once');
    const name = `secret-files-${i}`;
    return {
      volume: {
        name,
        secret: {
          secretName: validateDnsSubdomain(where, `${what}.secret name`, secret.name),
          defaultMode: SECRET_FILE_MODE,
          ...(keys ? { items: keys.map((key) => ({ key, path: key })) } : {}),
        },
      },
      mount: { name, mountPath: validateMountPath(where, `${what}.mountPath`, options.mountPath), readOnly: true },
    };
  });
}

/** The memory-backed /dev/shm of `sharedMemory`, if given. */
function sharedMemoryVolume(where: string, size: unknown): MountedVolume[] {
  if (size === undefined) return [];
  const quantity = sizeQuantity(where, 'sharedMemory', size as Size)!;
  if (/^0(Mi|Ki)$/.test(quantity)) throw inputError(where, 'sharedMemory is zero', 'pass a size above zero (e.g. Size.mebibytes(256)), or leave it out');
  return [{ volume: { name: 'shared-memory', emptyDir: { medium: 'Memory', sizeLimit: quantity } }, mount: { name: 'shared-memory', mountPath: SHARED_MEMORY_PATH } }];
}

/** The PriorityClass name of the pods: from `priorityClass` or `priorityClassName` (not both). */
function priorityClassNameOf(where: string, priorityClass: unknown, priorityClassName: unknown): string | undefined {
  if (priorityClass === undefined) return validatePriorityClassName(where, priorityClassName);
  if (priorityClassName !== undefined) {
    throw inputError(where, 'both priorityClass and priorityClassName are given', 'pass only priorityClass (a PriorityClass of the app or Prerequisite.priorityClass)');
  }
  const reference = checkInstance<IPriorityClass>(where, 'priorityClass', priorityClass, 'priorityClassName', 'a PriorityClass (new PriorityClass(...) or Prerequisite.priorityClass(...))');
  return validatePriorityClassName(where, reference.priorityClassName);
}

/**
 * Checks a PriorityClass name: a DNS-1123 subdomain, and not one of the `system-` classes, which are
 * reserved for cluster components (the API server refuses `system-` names it does not define).
 */
function validatePriorityClassName(where: string, name: unknown): string | undefined {
  if (name === undefined) return undefined;
  const value = validateDnsSubdomain(where, 'priorityClassName', checkString(where, 'priorityClassName', name));
  if (value.startsWith('system-')) {
    throw inputError(where, `priorityClassName ${quote(value)} is reserved for cluster components (system-node-critical, system-cluster-critical)`, 'use a PriorityClass of your own');
  }
  return value;
}

function probe(where: string, role: 'liveness' | 'readiness', given: HealthProbe | undefined, port: number | undefined): Plain<k8s.Probe> {
  const chosen = given === undefined
    ? (port ? HealthProbe.tcp() : undefined)
    : checkInstance<HealthProbe>(where, role, given, '_toKube()', 'a HealthProbe (e.g. HealthProbe.http("/healthz"))');
  if (!chosen) {
    throw inputError(
      where,
      `a worker (no port) has no ${role} probe, so a hung process would never be restarted`,
      'pass liveness: HealthProbe.exec([...]) (or HealthProbe.http with its own port); readiness defaults to it',
    );
  }
  if (chosen.needsPort && !chosen.hasOwnPort && !port) {
    throw inputError(where, `the ${role} probe (${chosen.kind}) needs a port and the workload has none`, 'set `port` on the workload or on the probe, or use HealthProbe.exec');
  }
  return chosen._toKube(where, role, port);
}

function topologySpread(selector: { [key: string]: string }): Plain<k8s.TopologySpreadConstraint>[] {
  return ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
  }));
}

function podAnnotations(where: string, given: unknown, configMap: IConfigMap | undefined): { [key: string]: string } | undefined {
  const annotations = { ...validatePodAnnotations(where, 'podAnnotations', given ?? {}) };
  if (configMap !== undefined && configMap instanceof cdk8sPlus().ConfigMap) {
    // Resolved at synth, after every key has been added to the ConfigMap.
    annotations['checksum/config'] = Lazy.any({
      produce: () => createHash('sha256').update(JSON.stringify([configMap.data, configMap.binaryData])).digest('hex'),
    }) as unknown as string;
  }
  return Object.keys(annotations).length ? annotations : undefined;
}

function configMapCredentials(configMap: ConfigMap): string[] {
  return Object.entries(configMap.data).flatMap(([key, value]) => {
    const found = findCredentials(value, { name: key });
    return found.length
      ? [`ConfigMap ${configMap.node.path} key ${quote(key)} holds ${describeCredential(found[0])}, and it is mounted by a workload: ` +
        'move the credential to a Secret and mount or reference that instead']
      : [];
  });
}


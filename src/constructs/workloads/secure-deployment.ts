import { createHash } from 'crypto';
import { ApiObject, Lazy } from 'cdk8s';
import type {
  ConfigMap, ContainerResources, EnvValue, IApiResource, IConfigMap, INetworkPolicyPeer, IPodSelector, ISecret,
  IServiceAccount, k8s, NetworkPolicyPeerConfig, PodSelectorConfig,
} from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ApiAccess } from './api-access';
import { ApiGrant } from './api-grant-options';
import { METRICS_PORT_NAME, metricsIngressRule, resolveMetrics } from './metrics';
import { MetricsOptions } from './metrics-options';
import { IPriorityClass } from './priority-class';
import { inputError, quote } from '../../core/errors';
import { recommendedLabels, selectorLabels } from '../../core/labels';
import { validateDnsLabel, validateDnsSubdomain } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkInstance, checkInteger, checkList, checkOptionalBoolean, checkOptionalString, checkPropsObject, checkString, checkStringList, PropKeys } from '../../core/prop-checks';
import { validateIpBlock } from '../../k8s/addresses';
import { dnsEgressRule } from '../../k8s/dns';
import { kube } from '../../k8s/objects';
import { DEFAULT_PORT_NAME, validatePort, validatePortName } from '../../k8s/ports';
import { describeCredential, findCredentials, findCredentialsInArgs } from '../../parsers/credentials';
import { validateImage } from '../../parsers/image';
import { cdk8sPlus } from '../base/cdk8s-plus';
import { HardenedConstruct } from '../base/hardened-construct';
import { INamespaceRef } from '../base/namespace-ref';
import { openEgressReasons, openPeerReasons, toKubePeerList } from '../network/peers';
import { toKubeEnv } from '../pod/env';
import { hardenedPodSpec, validateMountPath } from '../pod/hardened-pod-spec';
import { HealthProbe } from '../pod/health-probe';
import { validatePodAnnotations, validatePodLabels } from '../pod/pod-metadata';
import { resourceRequirements } from '../pod/resources';
import { resolveRunAsIdentity } from '../pod/security-context';

/** Horizontal pod autoscaling (autoscaling/v2). */
export interface AutoscalingOptions {
  /**
   * The fewest replicas, which is also what the PodDisruptionBudget protects.
   * @default 2
   */
  readonly minReplicas?: number;
  /** The most replicas. */
  readonly maxReplicas: number;
  /**
   * Target average CPU use, in percent of the CPU request.
   * @default 80
   */
  readonly cpuTargetPercent?: number;
  /**
   * Target average memory use, in percent of the memory request.
   * @default - memory is not a scaling metric
   */
  readonly memoryTargetPercent?: number;
}

/** Configuration files from a ConfigMap, mounted read-only. */
export interface ConfigFilesOptions {
  /** The ConfigMap whose keys become files. */
  readonly configMap: IConfigMap;
  /** The directory the files appear in. */
  readonly mountPath: string;
}

/** Props of {@link SecureDeployment}. */
export interface SecureDeploymentProps {
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
   * Create a ClusterIP Service for the port.
   * @default true
   */
  readonly exposeService?: boolean;
  /**
   * The port the Service exposes.
   * @default - the container port
   */
  readonly servicePort?: number;
  /**
   * Fixed number of replicas (ignored in favour of the autoscaler when `autoscaling` is set).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Horizontal pod autoscaling with a HorizontalPodAutoscaler, which then owns `replicas` (the Deployment leaves it out).
   * @default - a fixed number of replicas
   */
  readonly autoscaling?: AutoscalingOptions;
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
   * Old ReplicaSets kept for rollback.
   * @default 5
   */
  readonly revisionHistoryLimit?: number;
  /**
   * Scrape the workload's metrics with the Prometheus Operator: a ServiceMonitor (a PodMonitor for a workload
   * without a Service) that selects exactly these pods on a named port, and a NetworkPolicy ingress rule that
   * lets the Prometheus pods (and nothing else) reach that port.
   * @default - no metrics
   */
  readonly metrics?: MetricsOptions;
}

/** The ConfigMap of `config`, as a volume and its read-only mount. */
interface ConfigVolume {
  readonly volume: Plain<k8s.Volume>;
  readonly mount: Plain<k8s.VolumeMount>;
  readonly configMap: IConfigMap;
}

const SECURE_DEPLOYMENT_PROPS: PropKeys<SecureDeploymentProps> = {
  image: true,
  requireImageDigest: true,
  namespace: true,
  name: true,
  appName: true,
  component: true,
  partOf: true,
  port: true,
  portName: true,
  exposeService: true,
  servicePort: true,
  replicas: true,
  autoscaling: true,
  env: true,
  config: true,
  command: true,
  args: true,
  resources: true,
  user: true,
  group: true,
  writablePaths: true,
  imagePullSecrets: true,
  priorityClass: true,
  priorityClassName: true,
  labels: true,
  podAnnotations: true,
  readiness: true,
  liveness: true,
  serviceAccount: true,
  allowIngressFrom: true,
  revisionHistoryLimit: true,
  metrics: true,
};
const AUTOSCALING_OPTIONS: PropKeys<AutoscalingOptions> = { minReplicas: true, maxReplicas: true, cpuTargetPercent: true, memoryTargetPercent: true };
const CONFIG_FILES_OPTIONS: PropKeys<ConfigFilesOptions> = { configMap: true, mountPath: true };
const EGRESS_RULE: PropKeys<k8s.NetworkPolicyEgressRule> = { to: true, ports: true };

const DEFAULT_REPLICAS = 2;
const DEFAULT_CPU_TARGET_PERCENT = 80;

/**
 * A Deployment hardened by default, with what it needs to run safely: a dedicated ServiceAccount, a
 * ClusterIP Service, a PodDisruptionBudget, a NetworkPolicy (ingress on the port only, egress to DNS
 * only) and, when asked, a HorizontalPodAutoscaler.
 *
 * It is a cdk8s-plus-27 pod selector and network-policy peer, so it can be named wherever those are.
 */
export class SecureDeployment extends HardenedConstruct implements IPodSelector, INetworkPolicyPeer {
  /** The name of every object of this workload. */
  public readonly name: string;
  /** The labels on every object and pod. */
  public readonly labels: { [key: string]: string };
  /** The labels that select this workload's pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The container port, if any. */
  public readonly port?: number;
  /** The namespace of the objects, if known. */
  public readonly namespaceName?: string;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The ServiceAccount the pods run as, if this construct created it. */
  public readonly serviceAccount?: ApiObject;
  /** The Service, if the workload has a port. */
  public readonly service?: ApiObject;
  /** The PodDisruptionBudget. */
  public readonly podDisruptionBudget: ApiObject;
  /** The NetworkPolicy of the pods. */
  public readonly networkPolicy: ApiObject;
  /** The HorizontalPodAutoscaler, if autoscaling. */
  public readonly autoscaler?: ApiObject;
  /** The ServiceMonitor or PodMonitor (monitoring.coreos.com/v1), with `metrics`. */
  public readonly monitor?: ApiObject;

  private readonly egressRules: Plain<k8s.NetworkPolicyEgressRule>[] = [dnsEgressRule()];
  private readonly serviceAccountName: string;
  private apiAccess?: ApiAccess;

  public constructor(scope: Construct, id: string, props: SecureDeploymentProps) {
    super(scope, id, 'SecureDeployment', props, Object.keys(SECURE_DEPLOYMENT_PROPS));
    const { where, objectNamespace: namespace, chartPartOf: partOf } = this;
    const image = validateImage(where, checkString(where, 'image', props.image), { requireDigest: checkOptionalBoolean(where, 'requireImageDigest', props.requireImageDigest) });
    this.name = validateDnsLabel(where, 'name', checkOptionalString(where, 'name', props.name) ?? this.defaultName());
    this.port = props.port === undefined ? undefined : validatePort(where, 'port', props.port);
    const portName = validatePortName(where, checkOptionalString(where, 'portName', props.portName) ?? DEFAULT_PORT_NAME);
    const identity = resolveRunAsIdentity(where, props.user, props.group);
    const replicas = checkInteger(where, 'replicas', props.replicas ?? DEFAULT_REPLICAS, { min: 1, hint: `use 2 or more for availability (default ${DEFAULT_REPLICAS})` });
    const autoscaling = props.autoscaling === undefined ? undefined : validateAutoscaling(where, props.autoscaling);
    const metrics = props.metrics === undefined ? undefined : resolveMetrics(where, props.metrics);
    // The metrics port: the serving port's name when it is the same port, `metrics` for another port.
    const metricsPortName = metrics && metrics.port === this.port ? portName : METRICS_PORT_NAME;
    if (metrics && metrics.port !== this.port && portName === METRICS_PORT_NAME) {
      throw inputError(where, `portName "${METRICS_PORT_NAME}" names port ${this.port}, and metrics are served on port ${metrics.port}`,
        'give the serving port another name, or serve metrics on the same port');
    }
    const extraMetricsPort = metrics && metrics.port !== this.port ? metrics.port : undefined;

    this.labels = {
      ...validatePodLabels(where, 'labels', props.labels ?? {}),
      ...recommendedLabels(where, {
        name: checkOptionalString(where, 'appName', props.appName) ?? validateDnsLabel(where, 'appName (the construct id)', id),
        instance: this.name,
        version: image.tag,
        component: checkOptionalString(where, 'component', props.component) ?? (this.port ? 'server' : 'worker'),
        partOf: checkOptionalString(where, 'partOf', props.partOf) ?? partOf,
      }),
    };
    this.selectorLabels = selectorLabels(this.labels);
    this.namespaceName = namespace;
    const metadata = { name: this.name, namespace: this.namespaceName, labels: this.labels };

    const serviceAccount = props.serviceAccount === undefined
      ? undefined
      : checkInstance<IServiceAccount>(where, 'serviceAccount', props.serviceAccount, 'name', 'a ServiceAccount (e.g. ServiceAccount.fromServiceAccountName(...))');
    if (!serviceAccount) {
      this.serviceAccount = kube.serviceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    }
    const configVolumes = props.config === undefined ? [] : [this.configVolume(where, props.config)];
    const livenessProbe = probe(where, 'liveness', props.liveness, this.port);
    const readinessProbe = probe(where, 'readiness', props.readiness ?? (this.port ? undefined : props.liveness), this.port);
    this.serviceAccountName = validateDnsSubdomain(where, 'serviceAccount name', serviceAccount?.name ?? this.name);
    const hardened = hardenedPodSpec(where, {
      identity,
      serviceAccountName: this.serviceAccountName,
      imagePullSecrets: props.imagePullSecrets === undefined ? undefined : checkList<ISecret>(where, 'imagePullSecrets', props.imagePullSecrets).map((secret, i) =>
        validateDnsSubdomain(where, `imagePullSecrets[${i}] name`, checkInstance<ISecret>(where, `imagePullSecrets[${i}]`, secret, 'name', 'a Secret').name)),
      priorityClassName: priorityClassNameOf(where, props.priorityClass, props.priorityClassName),
      writablePaths: props.writablePaths,
      volumes: configVolumes.map((c) => c.volume),
      topologySpreadConstraints: topologySpread(this.selectorLabels),
      containers: [{
        name: 'app',
        image: props.image,
        ...validateCommandLine(where, props.command, props.args),
        ports: this.port || extraMetricsPort ? [
          ...(this.port ? [{ name: portName, containerPort: this.port, protocol: 'TCP' }] : []),
          ...(extraMetricsPort ? [{ name: METRICS_PORT_NAME, containerPort: extraMetricsPort, protocol: 'TCP' }] : []),
        ] : undefined,
        env: toKubeEnv(where, props.env ?? {}),
        resources: resourceRequirements(where, props.resources),
        readinessProbe,
        livenessProbe,
        volumeMounts: configVolumes.map((c) => c.mount),
      }],
    });
    // The token is mounted only once the workload has been granted API access (allow, allowRead).
    const podSpec = { ...hardened, automountServiceAccountToken: Lazy.any({ produce: () => this.apiAccess !== undefined }) as unknown as boolean };

    this.deployment = kube.deployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas: autoscaling ? undefined : replicas,
        revisionHistoryLimit: checkInteger(where, 'revisionHistoryLimit', props.revisionHistoryLimit ?? 5, { min: 0 }),
        selector: { matchLabels: this.selectorLabels },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
        },
        template: {
          metadata: { labels: this.labels, annotations: podAnnotations(where, props.podAnnotations, configVolumes[0]?.configMap) },
          spec: podSpec,
        },
      },
    });

    if (this.port && (checkOptionalBoolean(where, 'exposeService', props.exposeService) ?? true)) {
      const servicePort = validatePort(where, 'servicePort', props.servicePort ?? this.port);
      if (servicePort === extraMetricsPort) {
        // The API server refuses a Service with two ports of one number and protocol.
        throw inputError(where, `metrics.port ${extraMetricsPort} is also servicePort, the Service's port for container port ${this.port}, and a Service `
          + 'cannot publish one port number twice', `set servicePort to ${this.port} (the container port), or serve metrics on the serving port (metrics.port: ${this.port})`);
      }
      this.service = kube.service(this, 'Service', {
        metadata,
        spec: {
          type: 'ClusterIP',
          selector: this.selectorLabels,
          ports: [
            { name: portName, port: servicePort, targetPort: portName, protocol: 'TCP' },
            ...(extraMetricsPort ? [{ name: METRICS_PORT_NAME, port: extraMetricsPort, targetPort: METRICS_PORT_NAME, protocol: 'TCP' }] : []),
          ],
        },
      });
    }

    this.podDisruptionBudget = kube.podDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata,
      spec: { maxUnavailable: 1, selector: { matchLabels: this.selectorLabels } },
    });

    // Empty peers mean nobody: an empty list emits no ingress rule (a rule with an empty "from" would admit everybody).
    const ingressGiven = props.allowIngressFrom === undefined ? undefined : checkList<INetworkPolicyPeer>(where, 'allowIngressFrom', props.allowIngressFrom);
    const ingressPeers = ingressGiven === undefined ? [{ podSelector: {} }] : ingressGiven.length ? toKubePeerList(where, 'allowIngressFrom', ingressGiven) : [];
    this.networkPolicy = kube.networkPolicy(this, 'NetworkPolicy', {
      metadata,
      spec: {
        // One label, the instance: it selects exactly these pods (and satisfies Polaris' one-label match).
        podSelector: { matchLabels: { 'app.kubernetes.io/instance': this.name } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          ...(this.port && ingressPeers.length ? [{ from: ingressPeers, ports: [{ protocol: 'TCP', port: this.port }] }] : []),
          ...(metrics ? [metricsIngressRule(metrics)] : []),
        ],
        // Rendered at synth: rules added after construction (addEgressRule) reach the output.
        egress: Lazy.any({ produce: () => this.egressRules.map((rule) => ({ ...rule })) }) as unknown as Plain<k8s.NetworkPolicyEgressRule>[],
      },
    });

    if (metrics) {
      const endpoint = { port: metricsPortName, path: metrics.path, interval: metrics.interval, scheme: 'http' };
      const monitorMetadata = { name: this.name, namespace: this.namespaceName, labels: { ...this.labels, ...metrics.monitorLabels } };
      const selection = {
        selector: { matchLabels: { ...this.selectorLabels } },
        ...(this.namespaceName ? { namespaceSelector: { matchNames: [this.namespaceName] } } : {}),
      };
      this.monitor = this.service
        ? kube.serviceMonitor(this, 'ServiceMonitor', { metadata: monitorMetadata, spec: { ...selection, endpoints: [endpoint] } })
        : kube.podMonitor(this, 'PodMonitor', { metadata: monitorMetadata, spec: { ...selection, podMetricsEndpoints: [endpoint] } });
    }

    if (autoscaling) {
      this.autoscaler = kube.horizontalPodAutoscaler(this, 'HorizontalPodAutoscaler', {
        metadata,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
          minReplicas: autoscaling.minReplicas,
          maxReplicas: autoscaling.maxReplicas,
          metrics: [
            utilization('cpu', autoscaling.cpuTargetPercent),
            ...(autoscaling.memoryTargetPercent ? [utilization('memory', autoscaling.memoryTargetPercent)] : []),
          ],
        },
      });
    }
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
      const metadata = { name: this.name, namespace: this.namespaceName, labels: this.labels };
      // Loaded on the first grant: ApiAccess judges each grant with the policy engine's RBAC rules, whose modules
      // are ~8 % of what reading SecureDeployment costs every app (the load budget in bench/load.bench.ts), and most
      // workloads never call the API. test/package/module-formats.test.ts checks what loads when.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ApiAccess: Access } = require('./api-access') as typeof import('./api-access');
      this.apiAccess = new Access(this, 'ApiAccess', { where: this.where, path: this.node.path, metadata, serviceAccountName: this.serviceAccountName }, grant);
    }
  }

  /** Lets the workload read (get, list, watch) the resources in its namespace, as `allow` with those verbs. */
  public allowRead(...resources: IApiResource[]): void {
    this.allow({ verbs: ['get', 'list', 'watch'], resources });
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

  /**
   * Allows egress from this workload's pods. Rules add up: each opens more, none can close what another
   * opened. The rule must name its destinations: a rule without `to` (or with an empty one) would allow every
   * destination and is refused, as are peers that admit everything, ipBlocks reaching a cloud metadata
   * address, and ports the API server refuses. Prefer EgressAllowlist, which also names ports.
   */
  public addEgressRule(rule: k8s.NetworkPolicyEgressRule): void {
    const where = `SecureDeployment ${this.node.path}: addEgressRule`;
    const checked = validateEgressRule(where, rule);
    // Rules add up: blocks that are harmless alone (0.0.0.0/1, then 128.0.0.0/1) must not open everything together.
    const rules = [...this.egressRules.slice(1), checked];
    const together = openEgressReasons(rules, rules.map((_, i) => (i === rules.length - 1 ? 'this rule' : `the rule added ${ordinal(i + 1)}`)));
    if (together.length) {
      throw inputError(where, `together with the rules added before, ${together.join('; ')}`, 'name the destinations: blocks narrower than the whole internet, pods by labels, namespaces by name');
    }
    this.egressRules.push(checked);
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
}

function validatePercent(where: string, what: string, value: unknown): number {
  return checkInteger(where, what, value, { min: 1, max: 100, hint: 'use a whole percentage from 1 to 100 (e.g. 80)' });
}

function validateAutoscaling(where: string, given: AutoscalingOptions): Required<Omit<AutoscalingOptions, 'memoryTargetPercent'>> & AutoscalingOptions {
  const options = checkPropsObject(where, given, AUTOSCALING_OPTIONS, 'autoscaling');
  const minReplicas = checkInteger(where, 'autoscaling.minReplicas', options.minReplicas ?? DEFAULT_REPLICAS, { min: 1, hint: 'use 2 or more for availability' });
  const maxReplicas = checkInteger(where, 'autoscaling.maxReplicas', options.maxReplicas, { min: 1 });
  if (maxReplicas < minReplicas) {
    throw inputError(where, `autoscaling.maxReplicas ${quote(maxReplicas)} is below minReplicas ${minReplicas}`, `set maxReplicas to at least ${minReplicas}, or lower minReplicas`);
  }
  return {
    minReplicas,
    maxReplicas,
    cpuTargetPercent: validatePercent(where, 'autoscaling.cpuTargetPercent', options.cpuTargetPercent ?? DEFAULT_CPU_TARGET_PERCENT),
    memoryTargetPercent: options.memoryTargetPercent === undefined
      ? undefined
      : validatePercent(where, 'autoscaling.memoryTargetPercent', options.memoryTargetPercent),
  };
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

function utilization(resource: string, percent: number): Plain<k8s.MetricSpecV2> {
  return { type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: percent } } };
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

/**
 * Checks the entrypoint and its arguments: lists of strings, with no literal credential anywhere in the
 * command line (a flag in `command` and its value in `args` count together). Names the argument, never the value.
 */
function validateCommandLine(where: string, command: unknown, args: unknown): { command?: string[]; args?: string[] } {
  const commandList = command === undefined ? undefined : checkStringList(where, 'command', command);
  const argList = args === undefined ? undefined : checkStringList(where, 'args', args);
  const line = [...(commandList ?? []), ...(argList ?? [])];
  const found = findCredentialsInArgs(line);
  if (found.length) {
    const inCommand = found[0].index < (commandList?.length ?? 0);
    const position = inCommand ? `command[${found[0].index}]` : `args[${found[0].index - (commandList?.length ?? 0)}]`;
    throw inputError(
      where,
      `${position} holds ${describeCredential(found[0])}, which would be written into the manifest in clear text`,
      'pass the credential as an env var from a Secret (EnvValue.fromSecretValue) and refer to it as $(VAR_NAME) in args',
    );
  }
  return { command: commandList, args: argList };
}

/** Checks a raw egress rule as the API server would, and refuses what would open egress to everything. */
function validateEgressRule(where: string, given: k8s.NetworkPolicyEgressRule): Plain<k8s.NetworkPolicyEgressRule> {
  const rule = cdk8sPlus().k8s.toJson_NetworkPolicyEgressRule(checkPropsObject(where, given, EGRESS_RULE, 'the rule')) as Plain<k8s.NetworkPolicyEgressRule>;
  const to = rule.to === undefined ? [] : checkList<Plain<k8s.NetworkPolicyPeer>>(where, 'to', rule.to);
  if (to.length === 0) {
    throw inputError(where, 'the rule names no destination ("to" is missing or empty), which a NetworkPolicy reads as "every destination"', 'list the peers, e.g. { to: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: [...] }');
  }
  to.forEach((peer, i) => {
    if (!peer.ipBlock && !peer.podSelector && !peer.namespaceSelector) {
      throw inputError(where, `to[${i}] selects nothing`, 'set podSelector, namespaceSelector or ipBlock');
    }
    if (peer.ipBlock) validateIpBlock(where, peer.ipBlock.cidr, peer.ipBlock.except, { what: `to[${i}].ipBlock`, allowCloudMetadata: false });
  });
  const open = openPeerReasons(to, 'egress');
  if (open.length) throw inputError(where, `the peers ${open.join('; ')}`, 'name the destinations: pods by labels, namespaces by name, or blocks narrower than the whole internet');
  (rule.ports === undefined ? [] : checkList<Plain<k8s.NetworkPolicyPort>>(where, 'ports', rule.ports)).forEach((port, i) => {
    if (port.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) {
      throw inputError(where, `ports[${i}].protocol ${quote(port.protocol)} is not TCP, UDP or SCTP`, 'use "TCP", "UDP" or "SCTP"');
    }
    const number = typeof port.port === 'number' ? validatePort(where, `ports[${i}].port`, port.port) : undefined;
    if (typeof port.port === 'string') validatePortName(where, port.port);
    if (port.endPort !== undefined && (number === undefined || validatePort(where, `ports[${i}].endPort`, port.endPort) < number)) {
      throw inputError(where, `ports[${i}].endPort ${quote(port.endPort)} needs a numeric port at or below it`, 'use { port: 8000, endPort: 8080 }');
    }
  });
  return rule;
}

function ordinal(n: number): string {
  return n === 1 ? 'first' : n === 2 ? 'second' : n === 3 ? 'third' : `${n}th`;
}

import { ApiObject } from 'cdk8s';
import type { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HARDENED_WORKLOAD_PROPS, HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';
import { inputError, quote } from '../../core/errors';
import { Plain } from '../../core/plain';
import { checkInteger, checkOptionalBoolean, checkPropsObject, PropKeys } from '../../core/prop-checks';
import { kube } from '../../k8s/objects';

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

/** Props of {@link SecureDeployment}. */
export interface SecureDeploymentProps extends HardenedWorkloadProps {
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
   * Old ReplicaSets kept for rollback.
   * @default 5
   */
  readonly revisionHistoryLimit?: number;
}

const SECURE_DEPLOYMENT_PROPS: PropKeys<SecureDeploymentProps> = {
  ...HARDENED_WORKLOAD_PROPS,
  exposeService: true,
  servicePort: true,
  replicas: true,
  autoscaling: true,
  revisionHistoryLimit: true,
};
const AUTOSCALING_OPTIONS: PropKeys<AutoscalingOptions> = { minReplicas: true, maxReplicas: true, cpuTargetPercent: true, memoryTargetPercent: true };

const DEFAULT_REPLICAS = 2;
const DEFAULT_CPU_TARGET_PERCENT = 80;

/**
 * A Deployment hardened by default, with what it needs to run safely: a dedicated ServiceAccount, a
 * ClusterIP Service, a PodDisruptionBudget, a NetworkPolicy (ingress on the port only, egress to DNS
 * only) and, when asked, a HorizontalPodAutoscaler.
 *
 * It is a cdk8s-plus-27 pod selector and network-policy peer, so it can be named wherever those are.
 */
export class SecureDeployment extends HardenedWorkload {
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The HorizontalPodAutoscaler, if autoscaling. */
  public readonly autoscaler?: ApiObject;

  public constructor(scope: Construct, id: string, props: SecureDeploymentProps) {
    super(scope, id, 'SecureDeployment', props, Object.keys(SECURE_DEPLOYMENT_PROPS));
    const { where } = this;
    this._openWorkload(props);
    const replicas = checkInteger(where, 'replicas', props.replicas ?? DEFAULT_REPLICAS, { min: 1, hint: `use 2 or more for availability (default ${DEFAULT_REPLICAS})` });
    const autoscaling = props.autoscaling === undefined ? undefined : validateAutoscaling(where, props.autoscaling);
    const metadata = { name: this.name, namespace: this.namespaceName, labels: this.labels };

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
        template: this._podTemplate(),
      },
    });

    this._exposeAndIsolate({
      none: !(checkOptionalBoolean(where, 'exposeService', props.exposeService) ?? true),
      servicePort: props.servicePort,
    });

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

function utilization(resource: string, percent: number): Plain<k8s.MetricSpecV2> {
  return { type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: percent } } };
}

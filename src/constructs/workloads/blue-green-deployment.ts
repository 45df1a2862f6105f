import { ApiObject } from 'cdk8s';
import type { ContainerResources, EnvValue, INetworkPolicyPeer } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BlueGreenRouting } from './blue-green-routing';
import { SLOT_LABEL } from './blue-green-routing-plan';
import { MetricsOptions } from './metrics-options';
import type { PreviewTarget } from './preview-test';
import { SecureDeployment } from './secure-deployment';
import { checkVersion, versionIdentity } from './workload-version';
import { inputError, quote } from '../../core/errors';
import { recommendedLabels } from '../../core/labels';
import { validateDnsLabel } from '../../core/names';
import { checkInstance, checkInteger, checkOptionalBoolean, checkOptionalString, PropKeys } from '../../core/prop-checks';
import { cdk8sPlus } from '../base/cdk8s-plus';
import { derivedName } from '../base/derived-name';
import { HardenedConstruct } from '../base/hardened-construct';
import { INamespaceRef } from '../base/namespace-ref';
import { IPriorityClass } from '../base/priority-class-ref';
import { HealthProbe } from '../pod/health-probe';

/** The two slots of a blue/green deployment. */
export enum BlueGreenSlot {
  /** The blue slot. */
  BLUE = 'blue',
  /** The green slot. */
  GREEN = 'green',
}

/** What runs in one slot. */
export interface BlueGreenVersion {
  /** The image of this version. */
  readonly image: string;
  /**
   * Replicas of this version. The slot that becomes active must run at least as many as the other slot.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Environment variables of this version.
   * @default - none
   */
  readonly env?: { [name: string]: EnvValue };
  /**
   * Arguments of this version.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Requests and limits of this version.
   * @default - cpu 100m/500m, memory 128Mi/256Mi, ephemeral-storage 64Mi/256Mi (request/limit)
   */
  readonly resources?: ContainerResources;
}

/** Props of {@link BlueGreenDeployment}. */
export interface BlueGreenDeploymentProps {
  /** The port both slots listen on. */
  readonly port: number;
  /** The slot that takes the traffic. Switching is a change of this prop. */
  readonly active: BlueGreenSlot;
  /**
   * What runs in the blue slot.
   * @default - nothing: the slot is empty (it cannot be active)
   */
  readonly blue?: BlueGreenVersion;
  /**
   * What runs in the green slot.
   * @default - nothing: the slot is empty (it cannot be active)
   */
  readonly green?: BlueGreenVersion;
  /**
   * Keep the idle slot running: before a switch it is the next version, which tests reach through `<name>-preview`;
   * after one it is the previous version, and a rollback is a switch back. Without it the idle slot is not deployed.
   * @default true
   */
  readonly keepPrevious?: boolean;
  /**
   * How the traffic reaches the active slot.
   * @default BlueGreenRouting.services()
   */
  readonly routing?: BlueGreenRouting;
  /**
   * The app name: the Service clients call; the slots are `<name>-blue` and `<name>-green`.
   * @default - the construct id, or its path below the chart joined with `-` when nested; see README "Object names"
   */
  readonly name?: string;
  /**
   * The namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespaceRef;
  /**
   * Readiness check of both slots.
   * @default - TCP on the port
   */
  readonly readiness?: HealthProbe;
  /**
   * Liveness check of both slots.
   * @default - TCP on the port
   */
  readonly liveness?: HealthProbe;
  /**
   * Who may connect to the pods.
   * @default - the namespace's pods (and, with Gateway API routing, the Gateway's namespace)
   */
  readonly allowIngressFrom?: INetworkPolicyPeer[];
  /**
   * The uid both slots run as.
   * @default 10001
   */
  readonly user?: number;
  /**
   * The pod priority class of both slots.
   * @default - the cluster's default priority
   */
  readonly priorityClass?: IPriorityClass;
  /**
   * Metrics of both slots (see SecureDeployment's `metrics`).
   * @default - no metrics
   */
  readonly metrics?: MetricsOptions;
}

const BLUE_GREEN_DEPLOYMENT_PROPS: PropKeys<BlueGreenDeploymentProps> = {
  port: true,
  active: true,
  blue: true,
  green: true,
  keepPrevious: true,
  routing: true,
  name: true,
  namespace: true,
  readiness: true,
  liveness: true,
  allowIngressFrom: true,
  user: true,
  priorityClass: true,
  metrics: true,
};
const BLUE_GREEN_VERSION: PropKeys<BlueGreenVersion> = { image: true, replicas: true, env: true, args: true, resources: true };
const DEFAULT_REPLICAS = 2;
const SLOTS = [BlueGreenSlot.BLUE, BlueGreenSlot.GREEN];

/**
 * Two slots of one workload, blue and green, with one active: the `<name>` Service (or the mesh's route) sends all
 * traffic to the active slot, and `<name>-preview` reaches the idle one, where tests run before a switch and whence a
 * rollback comes after one. Controller-free: switching is a change of `active`. Both slots are SecureDeployments
 * (the whole baseline, a PodDisruptionBudget each), labelled `app.kubernetes.io/name: <name>` and `slot: blue|green`.
 *
 * Refused at synth, with the fix: an active slot with nothing in it, an active slot with fewer replicas than the idle
 * one (it would take the traffic the other served with fewer pods), and two slots running the same version.
 */
export class BlueGreenDeployment extends HardenedConstruct {
  /** The blue slot's workload, if it runs. */
  public readonly blue?: SecureDeployment;
  /** The green slot's workload, if it runs. */
  public readonly green?: SecureDeployment;
  /** The active slot. */
  public readonly active: BlueGreenSlot;
  /** The Services and routing objects. */
  public readonly routingObjects: ApiObject[];
  /** The app name (the Service clients call). */
  public readonly appName: string;

  public constructor(scope: Construct, id: string, props: BlueGreenDeploymentProps) {
    super(scope, id, 'BlueGreenDeployment', props, Object.keys(BLUE_GREEN_DEPLOYMENT_PROPS));
    const { where, objectNamespace: namespace, chartPartOf: partOf } = this;
    const name = validateDnsLabel(where, 'name', checkOptionalString(where, 'name', props.name) ?? this.defaultName());
    this.appName = name;
    const port = checkInteger(where, 'port', props.port, { min: 1, max: 65535, hint: 'use the port both slots listen on, from 1 to 65535' });
    this.active = checkSlot(where, props.active);
    const idleSlot = this.active === BlueGreenSlot.BLUE ? BlueGreenSlot.GREEN : BlueGreenSlot.BLUE;
    const versions = {
      [BlueGreenSlot.BLUE]: props.blue === undefined ? undefined : checkVersion(where, 'blue', props.blue, DEFAULT_REPLICAS, BLUE_GREEN_VERSION),
      [BlueGreenSlot.GREEN]: props.green === undefined ? undefined : checkVersion(where, 'green', props.green, DEFAULT_REPLICAS, BLUE_GREEN_VERSION),
    };
    const activeVersion = versions[this.active];
    if (!activeVersion) {
      throw inputError(where, `the active slot ${this.active} has nothing in it (no ${this.active} version with an image)`,
        `give ${this.active} a version ({ image: "…" }), or keep ${idleSlot} active`);
    }
    const keepPrevious = checkOptionalBoolean(where, 'keepPrevious', props.keepPrevious) ?? true;
    const idleVersion = keepPrevious ? versions[idleSlot] : undefined;
    if (idleVersion) {
      const replicas = { active: activeVersion.replicas ?? DEFAULT_REPLICAS, idle: idleVersion.replicas ?? DEFAULT_REPLICAS };
      if (replicas.active < replicas.idle) {
        throw inputError(where, `the active slot ${this.active} runs ${replicas.active} replicas, fewer than the ${replicas.idle} of ${idleSlot}: it would take ${idleSlot}'s traffic with fewer pods`,
          `scale ${this.active} to at least ${replicas.idle} replicas, let it become ready, and switch in a later change`);
      }
      if (JSON.stringify(versionIdentity(activeVersion)) === JSON.stringify(versionIdentity(idleVersion))) {
        throw inputError(where, `blue and green run the same version (image ${quote(activeVersion.image)}, same configuration)`,
          'put the next version in the idle slot, or set keepPrevious: false to run only the active one');
      }
    }
    const routing = props.routing === undefined
      ? BlueGreenRouting.services()
      : checkInstance<BlueGreenRouting>(where, 'routing', props.routing, '_plan()', 'a BlueGreenRouting (BlueGreenRouting.services(), .istio(...) or .gatewayApi(...))');
    const plan = routing._plan(where);

    const ingress = props.allowIngressFrom ?? (plan.gatewayNamespace && plan.gatewayNamespace !== namespace
      ? [cdk8sPlus().Pods.all(this, 'SameNamespace'), cdk8sPlus().Namespaces.select(this, 'GatewayNamespace', { names: [plan.gatewayNamespace] })]
      : undefined);
    const slot = (which: BlueGreenSlot, version: NonNullable<typeof activeVersion>) => new SecureDeployment(this, which, {
      name: derivedName(where, name, which),
      appName: name,
      namespace: props.namespace,
      image: version.image,
      port,
      replicas: version.replicas ?? DEFAULT_REPLICAS,
      env: version.env,
      args: version.args,
      resources: version.resources,
      readiness: props.readiness,
      liveness: props.liveness,
      user: props.user,
      priorityClass: props.priorityClass,
      metrics: props.metrics,
      allowIngressFrom: ingress,
      labels: { [SLOT_LABEL]: which },
      exposeService: plan.servicePerSlot,
    });
    const workloads: { [slot: string]: SecureDeployment | undefined } = {};
    for (const which of SLOTS) {
      const version = which === this.active ? activeVersion : idleVersion;
      if (version) workloads[which] = slot(which, version);
    }
    this.blue = workloads[BlueGreenSlot.BLUE];
    this.green = workloads[BlueGreenSlot.GREEN];

    const labels = recommendedLabels(where, { name, instance: name, component: 'blue-green-routing', partOf });
    this.routingObjects = plan.render({
      scope: this,
      name,
      namespace,
      port,
      labels,
      active: { slot: this.active, workload: workloads[this.active]! },
      idle: idleVersion ? { slot: idleSlot, workload: workloads[idleSlot]! } : undefined,
    });
  }

  /** The workload of the active slot. */
  public get activeWorkload(): SecureDeployment {
    return (this.active === BlueGreenSlot.BLUE ? this.blue : this.green)!;
  }

  /**
   * What tests of the idle slot call: the `<name>-preview` Service and its pods (for a PreviewTest), if the idle slot
   * runs.
   */
  public get previewTarget(): PreviewTarget | undefined {
    const idle = this.idleWorkload;
    return idle && { host: `${this.appName}-preview`, port: idle.port!, workload: idle };
  }

  /** The workload of the idle slot, if it runs. */
  public get idleWorkload(): SecureDeployment | undefined {
    return this.active === BlueGreenSlot.BLUE ? this.green : this.blue;
  }
}

function checkSlot(where: string, given: unknown): BlueGreenSlot {
  if (!SLOTS.includes(given as BlueGreenSlot)) {
    throw inputError(where, `active ${quote(given)} is not a slot`, 'use BlueGreenSlot.BLUE or BlueGreenSlot.GREEN');
  }
  return given as BlueGreenSlot;
}

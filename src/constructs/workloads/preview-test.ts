import { createHash } from 'crypto';
import { ApiObject, Duration } from 'cdk8s';
import type { ContainerResources, EnvValue, k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HardenedWorkload } from './hardened-workload';
import { inputError, quote } from '../../core/errors';
import { recommendedLabels } from '../../core/labels';
import { validateDnsLabel } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkInstance, checkOptionalString, checkPropsObject, checkString, PropKeys } from '../../core/prop-checks';
import { kube } from '../../k8s/objects';
import { validatePort } from '../../k8s/ports';
import { validateImage } from '../../parsers/image';
import { cdk8sPlus } from '../base/cdk8s-plus';
import { derivedName } from '../base/derived-name';
import { HardenedConstruct } from '../base/hardened-construct';
import { INamespaceRef } from '../base/namespace-ref';
import { durationSeconds } from '../jobs/job-duration';
import { JobOrdering } from '../jobs/job-ordering';
import { EgressRules } from '../network/egress-rules';
import { podSelectorPeers } from '../network/peers';
import { validateCommandLine } from '../pod/command-line';
import { toKubeEnv } from '../pod/env';
import { hardenedPodSpec } from '../pod/hardened-pod-spec';
import { resourceRequirements } from '../pod/resources';
import { resolveRunAsIdentity } from '../pod/security-context';

/** What a preview test calls: a Service name and port, and the workload behind them. */
export interface PreviewTarget {
  /** The host the tests call (a Service name, e.g. `shop-preview`). */
  readonly host: string;
  /** The port. */
  readonly port: number;
  /** The workload whose pods answer: the only destination the test may reach, and it admits the test. */
  readonly workload: HardenedWorkload;
}

/** Props of {@link PreviewTest}. */
export interface PreviewTestProps {
  /** What the tests call: `blueGreen.previewTarget`, or a target of your own. */
  readonly target: PreviewTarget;
  /** The image with the team's smoke tests, pinned. */
  readonly image: string;
  /**
   * The test command. It receives the target as `TARGET_URL` (`http://<host>:<port>`), `TARGET_HOST` and `TARGET_PORT`.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments of the command.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * More environment variables (literal credentials are refused).
   * @default - only the target's
   */
  readonly env?: { [name: string]: EnvValue };
  /**
   * When the tests run. `JobOrdering.argoCdPostSync()` runs them once the sync is healthy (the preview's pods ready)
   * and fails the sync when they fail; `JobOrdering.helmHook('test')` makes them `helm test`.
   * @default JobOrdering.argoCdPostSync()
   */
  readonly ordering?: JobOrdering;
  /**
   * The longest the tests may run.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
  /**
   * The name prefix of the Job (its name adds a hash of the pod template: a Job's template is immutable).
   * @default - the construct id, or its path below the chart joined with `-` when nested
   */
  readonly name?: string;
  /**
   * The namespace of the Job.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespaceRef;
  /**
   * The uid the tests run as.
   * @default 10001
   */
  readonly user?: number;
  /**
   * Requests and limits, field by field over the defaults.
   * @default - cpu 100m/500m, memory 128Mi/256Mi, ephemeral-storage 64Mi/256Mi (request/limit)
   */
  readonly resources?: ContainerResources;
}

const PREVIEW_TEST_PROPS: PropKeys<PreviewTestProps> = {
  target: true,
  image: true,
  command: true,
  args: true,
  env: true,
  ordering: true,
  timeout: true,
  name: true,
  namespace: true,
  user: true,
  resources: true,
};
const PREVIEW_TARGET: PropKeys<PreviewTarget> = { host: true, port: true, workload: true };
/** The target's variables, which `env` may not replace. */
const TARGET_VARIABLES = ['TARGET_URL', 'TARGET_HOST', 'TARGET_PORT'];

/**
 * The team's own smoke tests against the next version, before it takes the traffic: a hardened Job (non-root,
 * read-only root filesystem, no service account token, no retries — a failed test is a verdict, not a hiccup) whose
 * NetworkPolicy lets it reach exactly the preview's pods on the target port (and DNS), and whose target admits it.
 * With Argo CD the Job is a PostSync hook: it runs when the preview is ready, and its failure fails the sync, which is
 * what a pipeline waits for before it switches (`active`). With Helm it is `helm test`.
 */
export class PreviewTest extends HardenedConstruct {
  /** The Job (its name is the prefix and a hash of the pod template). */
  public readonly job: ApiObject;
  /** The Job's NetworkPolicy. */
  public readonly networkPolicy: ApiObject;

  public constructor(scope: Construct, id: string, props: PreviewTestProps) {
    super(scope, id, 'PreviewTest', props, Object.keys(PREVIEW_TEST_PROPS));
    const { where, objectNamespace: namespace, chartPartOf: partOf } = this;
    const target = checkTarget(where, props.target);
    const image = validateImage(where, checkString(where, 'image', props.image));
    const ordering = props.ordering === undefined
      ? JobOrdering.argoCdPostSync()
      : checkInstance<JobOrdering>(where, 'ordering', props.ordering, '_jobAnnotations()', 'a JobOrdering (JobOrdering.argoCdPostSync() or JobOrdering.helmHook(\'test\'))');
    const plus = cdk8sPlus();
    const given = props.env ?? {};
    const replaced = TARGET_VARIABLES.find((name) => name in given);
    if (replaced) throw inputError(where, `env ${replaced} would replace the target's variable`, 'leave it out: the target sets TARGET_URL, TARGET_HOST and TARGET_PORT');
    const env = toKubeEnv(where, {
      TARGET_URL: plus.EnvValue.fromValue(`http://${target.host}:${target.port}`),
      TARGET_HOST: plus.EnvValue.fromValue(target.host),
      TARGET_PORT: plus.EnvValue.fromValue(String(target.port)),
      ...given,
    });
    const spec: Plain<k8s.PodSpec> = hardenedPodSpec(where, {
      identity: resolveRunAsIdentity(where, props.user),
      restartPolicy: 'Never',
      containers: [{
        name: 'tests',
        image: props.image,
        ...validateCommandLine(where, props.command, props.args),
        env,
        resources: resourceRequirements(where, props.resources),
      }],
    });
    const givenName = checkOptionalString(where, 'name', props.name);
    const prefix = validateDnsLabel(where, 'name', givenName ?? this.defaultName());
    const hasher = createHash('sha256').update(JSON.stringify(spec));
    if (givenName === undefined) hasher.update(`\0${this.node.path}`);
    const jobName = derivedName(where, prefix, hasher.digest('hex').slice(0, 8));
    const labels = recommendedLabels(where, { name: prefix, instance: jobName, version: image.tag, component: 'preview-test', partOf });
    const metadata = { name: jobName, namespace, labels };

    this.job = kube.job(this, 'Job', {
      metadata: { ...metadata, annotations: ordering._jobAnnotations(where) },
      spec: {
        // A failed test is the verdict: no retry that could pass by chance.
        backoffLimit: 0,
        activeDeadlineSeconds: durationSeconds(where, 'timeout', props.timeout ?? Duration.minutes(10), 1),
        ttlSecondsAfterFinished: 86400,
        template: { metadata: { labels }, spec },
      },
    });

    // Both sides: the Job reaches exactly the target's pods on the port, and the target admits the Job.
    const egress = new EgressRules();
    egress.add(where, {
      to: podSelectorPeers(target.workload.toPodSelectorConfig()) as k8s.NetworkPolicyPeer[],
      ports: [{ protocol: 'TCP', port: plus.k8s.IntOrString.fromNumber(target.port) }],
    });
    this.networkPolicy = kube.networkPolicy(this, 'NetworkPolicy', {
      metadata: { ...metadata, annotations: ordering._prerequisiteAnnotations(where) },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/instance': jobName } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: egress.render(),
      },
    });
    target.workload._admitOnPort(podSelectorPeers({
      labelSelector: plus.LabelSelector.of({ labels: { 'app.kubernetes.io/instance': jobName } }),
      namespaces: namespace ? { names: [namespace] } : undefined,
    }), [{ serviceAccount: { namespace, name: 'default' } }]); // the tests' pods run as the namespace's default ServiceAccount
  }
}

function checkTarget(where: string, given: PreviewTarget): PreviewTarget {
  const target = checkPropsObject(where, given, PREVIEW_TARGET, 'target');
  const workload = checkInstance<HardenedWorkload>(where, 'target.workload', target.workload, '_admitOnPort()', 'a workload of the app (e.g. blueGreen.previewTarget.workload)');
  const host = checkString(where, 'target.host', target.host);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host) || host.length > 253) {
    throw inputError(where, `target.host ${quote(host)} is not a Service name`, 'use the Service the tests call, e.g. "shop-preview"');
  }
  if (workload.port !== undefined && validatePort(where, 'target.port', target.port) !== workload.port) {
    throw inputError(where, `target.port ${target.port} is not the port of ${workload.node.path} (${workload.port}), which its NetworkPolicy admits`, `use ${workload.port}`);
  }
  return { host, port: target.port, workload };
}

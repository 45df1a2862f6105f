import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ImageSigner } from './image-signer';
import { inputError, quote } from '../../core/errors';
import { recommendedLabels } from '../../core/labels';
import { validateDnsLabel, validateDnsSubdomain } from '../../core/names';
import { checkInstance, checkOptionalString, checkStringList, PropKeys } from '../../core/prop-checks';
import { kube } from '../../k8s/objects';
import { podViewOf } from '../../k8s/pod-view';
import { imageProblem, ImageReference, parseImage } from '../../parsers/image';
import { checkAdmissionAction, AdmissionAction } from '../admission/admission-action';
import { HardenedConstruct } from '../base/hardened-construct';

/** The props of an {@link ImageVerification}. */
export interface ImageVerificationProps {
  /** Who must have signed every image. */
  readonly signedBy: ImageSigner;

  /**
   * The construct whose workloads' images must be signed: every object under it with a pod spec (constructs of
   * this library, cdk8s-plus and raw ApiObjects alike), every container (init and ephemeral too).
   * @default - the chart this construct is in
   */
  readonly workloadsIn?: IConstruct;

  /**
   * The name of the ClusterImagePolicy (cluster-wide: unique in the cluster; a clash within the app fails synth).
   * @default - the chart's id and the construct's, joined with `-` (`shop-batch`; cluster-scoped objects share one space); see README "Object names"
   */
  readonly name?: string;

  /**
   * What policy-controller does with an image without a valid signature: `AdmissionAction.DENY` (mode
   * `enforce`) or `AdmissionAction.WARN` (mode `warn`: admitted, with a warning; for a first rollout).
   * @default AdmissionAction.DENY
   */
  readonly action?: AdmissionAction;

  /**
   * Namespaces that the platform labels `policy.sigstore.dev/include: "true"` outside this app. policy-controller
   * verifies images only in namespaces with that label: the namespace of every workload in scope must have it,
   * from a Namespace of the app (e.g. a DefaultDenyNamespace's `labels`) or from this list.
   * @default []
   */
  readonly optedInNamespaces?: string[];
}

const IMAGE_VERIFICATION_PROPS: PropKeys<ImageVerificationProps> = {
  signedBy: true, workloadsIn: true, name: true, action: true, optedInNamespaces: true,
};

/**
 * Only signed images run: a Sigstore policy-controller `ClusterImagePolicy` (policy.sigstore.dev/v1alpha1) that
 * requires the signature of `signedBy` on every image the workloads in scope use. Each image must be pinned by
 * digest (the policy names exactly these digests, and a tag could point elsewhere at the next pull); the
 * namespaces of the workloads must be opted in to policy-controller. Both are checked at synth, with the fix.
 */
export class ImageVerification extends HardenedConstruct {
  /** The label with which a namespace opts in to policy-controller's verification. */
  public static readonly NAMESPACE_OPT_IN_LABEL = 'policy.sigstore.dev/include';

  /** The ClusterImagePolicy. */
  public readonly clusterImagePolicy: ApiObject;

  public constructor(scope: Construct, id: string, props: ImageVerificationProps) {
    super(scope, id, 'ImageVerification', props, Object.keys(IMAGE_VERIFICATION_PROPS));
    const { where, chartPartOf: partOf } = this;
    const signer = checkInstance<ImageSigner>(where, 'signedBy', props.signedBy, '_authority()', 'an ImageSigner (ImageSigner.keyless or ImageSigner.publicKey)');
    const authority = signer._authority(where);
    const workloadsIn: IConstruct = props.workloadsIn === undefined ? Chart.of(this)
      : checkInstance<IConstruct>(where, 'workloadsIn', props.workloadsIn, 'node', 'a construct (a chart, or a construct holding workloads)');
    const action = checkAdmissionAction(where, props.action, [AdmissionAction.DENY, AdmissionAction.WARN],
      'pass AdmissionAction.DENY (enforce) or AdmissionAction.WARN (warn): policy-controller has no audit-only mode');
    const optedIn = new Set(checkStringList(where, 'optedInNamespaces', props.optedInNamespaces ?? [])
      .map((ns, i) => validateDnsLabel(where, `optedInNamespaces[${i}]`, ns)));
    const name = validateDnsSubdomain(where, 'name', checkOptionalString(where, 'name', props.name) ?? this.defaultName(true));

    const images = () => verifiedImages(where, this, workloadsIn, optedIn);
    this.clusterImagePolicy = kube.clusterImagePolicy(this, 'Policy', {
      metadata: { name, labels: recommendedLabels(where, { name, instance: name, component: 'image-verification', partOf }) },
      spec: {
        mode: action === AdmissionAction.DENY ? 'enforce' : 'warn',
        images: Lazy.any({ produce: () => firstProblemThrown(images()).globs.map((glob) => ({ glob })) }) as any,
        authorities: [authority],
      },
    });
    if (this.clusterImagePolicy.metadata.namespace !== undefined) this.clusterImagePolicy.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    this.node.addValidation({ validate: () => images().problems.map((p) => p.message) });
  }
}

/** The globs of the images in scope, and what keeps them from being verified. */
interface VerifiedImages {
  readonly globs: string[];
  readonly problems: Error[];
}

function firstProblemThrown(images: VerifiedImages): VerifiedImages {
  if (images.problems.length > 0) throw images.problems[0];
  return images;
}

function verifiedImages(where: string, self: ImageVerification, workloadsIn: IConstruct, optedIn: Set<string>): VerifiedImages {
  const globs = new Set<string>();
  const problems: Error[] = [];
  const namespaces = new Map<string | undefined, string>();
  for (const object of apiObjects(workloadsIn)) {
    const manifest = object.toJson();
    const view = podViewOf(manifest);
    if (view === undefined) continue;
    const what = `${manifest.kind} ${object.node.path}`;
    namespaces.set(manifest.metadata?.namespace, what);
    for (const { container, pointer } of view.containers) {
      const image = container?.image;
      const problem = imageProblem(image, { requireDigest: true });
      if (problem) {
        problems.push(inputError(where, `${what} ${pointer}/image: ${problem.problem}; policy-controller verifies the digest a tag points to at admission, and a node may pull another one later`, problem.fix));
        continue;
      }
      const glob = imageGlob(parseImage(image)!);
      if (glob === undefined) {
        problems.push(inputError(where, `${what} ${pointer}/image ${quote(image)} names its registry by an IPv6 address, which a ClusterImagePolicy glob cannot spell`, 'use the registry\'s host name'));
      } else {
        globs.add(glob);
      }
    }
  }
  if (namespaces.size === 0) {
    problems.push(inputError(where, `${workloadsIn.node.path || 'the app'} holds no workload, so there is no image to verify`, 'point workloadsIn at the construct (or chart) with the workloads'));
  }
  const labelled = optedInNamespaces(self);
  for (const [namespace, what] of namespaces) {
    if (namespace === undefined) {
      problems.push(inputError(where, `${what} has no namespace: policy-controller verifies images only in namespaces labelled ${ImageVerification.NAMESPACE_OPT_IN_LABEL}: "true"`,
        'give the chart (or the construct) a namespace, and opt that namespace in'));
    } else if (!optedIn.has(namespace) && !labelled.has(namespace)) {
      problems.push(inputError(where, `namespace ${namespace} (of ${what}) is not opted in: policy-controller would verify none of its images`,
        `add labels: { "${ImageVerification.NAMESPACE_OPT_IN_LABEL}": "true" } to its DefaultDenyNamespace (or Namespace), or list it in optedInNamespaces if the platform labels it`));
    }
  }
  return { globs: [...globs].sort(), problems };
}

/**
 * The ApiObjects under a construct, except ClusterImagePolicies: they hold no pod, and serializing another
 * ImageVerification's policy would make it read these workloads in turn. Anything else counts, wherever it is.
 */
function apiObjects(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind !== 'ClusterImagePolicy');
}

/** The namespaces that Namespace objects of the app opt in. */
function optedInNamespaces(self: Construct): Set<string> {
  const names = new Set<string>();
  for (const object of self.node.root.node.findAll()) {
    if (!(object instanceof ApiObject) || object.kind !== 'Namespace') continue;
    const metadata = object.toJson().metadata ?? {};
    if (metadata.labels?.[ImageVerification.NAMESPACE_OPT_IN_LABEL] === 'true') names.add(metadata.name);
  }
  return names;
}

/**
 * The policy-controller glob that matches the image by its digest. policy-controller matches globs against the
 * fully qualified reference (`index.docker.io/library/nginx@sha256:…`) and allows no "@" in a glob: `*` (any
 * characters but "/") stands for it and for a tag before it. Undefined for an IPv6 registry ("[" is not allowed).
 */
function imageGlob(ref: ImageReference): string | undefined {
  const registry = ref.registry === undefined || ref.registry === 'docker.io' ? 'index.docker.io' : ref.registry;
  if (registry.startsWith('[')) return undefined;
  const repository = registry === 'index.docker.io' && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  return `${registry}/${repository}*${ref.digest}`;
}

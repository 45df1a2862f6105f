import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ImageSigner } from './image-signer';
import { ImageVerificationEngine } from './image-verification-engine';
import {
  ACKNOWLEDGED_VULNERABILITIES_ANNOTATION, checkVulnerabilityScan, VULN_PREDICATE_TYPE, VulnerabilityRequirement,
  vulnerabilityKyvernoConditions, vulnerabilityRego, VulnerabilityScanOptions,
} from './vulnerability-scan';
import { inputError, quote } from '../../core/errors';
import { recommendedLabels } from '../../core/labels';
import { validateDnsLabel, validateDnsSubdomain } from '../../core/names';
import { checkInstance, checkOptionalString, checkStringList, PropKeys } from '../../core/prop-checks';
import { kyvernoClusterPolicy } from '../../k8s/custom-resources/kyverno';
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

  /**
   * Also require a recent vulnerability scan of every image with no finding above a severity: a cosign vulnerability
   * attestation (`trivy image --format cosign-vuln` + `cosign attest --type vuln`) signed by the scanner's identity.
   * @default - signatures only
   */
  readonly vulnerabilityScan?: VulnerabilityScanOptions;

  /**
   * The admission controller that enforces the verification: Sigstore policy-controller (ClusterImagePolicies) or
   * Kyverno (a ClusterPolicy). Kyverno takes `AdmissionAction.DENY` or `AUDIT`, and no `optedInNamespaces`.
   * @default ImageVerificationEngine.POLICY_CONTROLLER
   */
  readonly engine?: ImageVerificationEngine;
}

const IMAGE_VERIFICATION_PROPS: PropKeys<ImageVerificationProps> = {
  signedBy: true, workloadsIn: true, name: true, action: true, optedInNamespaces: true, vulnerabilityScan: true, engine: true,
};

/**
 * Only signed images run: a Sigstore policy-controller `ClusterImagePolicy` (policy.sigstore.dev/v1alpha1) that
 * requires the signature of `signedBy` on every image the workloads in scope use. Each image must be pinned by
 * digest (the policy names exactly these digests, and a tag could point elsewhere at the next pull); the
 * namespaces of the workloads must be opted in to policy-controller. Both are checked at synth, with the fix.
 *
 * With `vulnerabilityScan`, every image must also carry a recent vulnerability attestation signed by the scanner:
 * for policy-controller a second ClusterImagePolicy (policy-controller admits an image when *one* authority of a
 * policy passes and *every* matching policy passes, so the scan requirement gets its own policy) with a Rego policy;
 * for Kyverno an `attestations` entry with conditions in the same verifyImages rule.
 */
export class ImageVerification extends HardenedConstruct {
  /** The label with which a namespace opts in to policy-controller's verification. */
  public static readonly NAMESPACE_OPT_IN_LABEL = 'policy.sigstore.dev/include';

  /**
   * The ClusterImagePolicy that requires the signature (policy-controller).
   * @default - none with ImageVerificationEngine.KYVERNO
   */
  public readonly clusterImagePolicy?: ApiObject;

  /**
   * The ClusterImagePolicy that requires the vulnerability attestation (policy-controller, with `vulnerabilityScan`).
   * @default - none without `vulnerabilityScan`, or with ImageVerificationEngine.KYVERNO
   */
  public readonly vulnerabilityPolicy?: ApiObject;

  /**
   * The Kyverno ClusterPolicy (with ImageVerificationEngine.KYVERNO).
   * @default - none with ImageVerificationEngine.POLICY_CONTROLLER
   */
  public readonly kyvernoPolicy?: ApiObject;

  public constructor(scope: Construct, id: string, props: ImageVerificationProps) {
    super(scope, id, 'ImageVerification', props, Object.keys(IMAGE_VERIFICATION_PROPS));
    const { where, chartPartOf: partOf } = this;
    const signer = checkInstance<ImageSigner>(where, 'signedBy', props.signedBy, '_authority()', 'an ImageSigner (ImageSigner.keyless or ImageSigner.publicKey)');
    const engine = props.engine === undefined ? ImageVerificationEngine.POLICY_CONTROLLER
      : checkInstance<ImageVerificationEngine>(where, 'engine', props.engine, '_isKyverno()', 'an ImageVerificationEngine (POLICY_CONTROLLER or KYVERNO)');
    const kyverno = engine._isKyverno();
    const workloadsIn: IConstruct = props.workloadsIn === undefined ? Chart.of(this)
      : checkInstance<IConstruct>(where, 'workloadsIn', props.workloadsIn, 'node', 'a construct (a chart, or a construct holding workloads)');
    const action = kyverno
      ? checkAdmissionAction(where, props.action, [AdmissionAction.DENY, AdmissionAction.AUDIT],
        'pass AdmissionAction.DENY (Enforce) or AdmissionAction.AUDIT (Audit: admitted, reported in a PolicyReport): Kyverno\'s verifyImages rules return no warnings')
      : checkAdmissionAction(where, props.action, [AdmissionAction.DENY, AdmissionAction.WARN],
        'pass AdmissionAction.DENY (enforce) or AdmissionAction.WARN (warn): policy-controller has no audit-only mode');
    const optedInList = checkStringList(where, 'optedInNamespaces', props.optedInNamespaces ?? []);
    if (kyverno && optedInList.length > 0) {
      throw inputError(where, 'optedInNamespaces is a policy-controller setting: Kyverno verifies images in every namespace',
        'remove optedInNamespaces, or use ImageVerificationEngine.POLICY_CONTROLLER');
    }
    const optedIn = new Set(optedInList.map((ns, i) => validateDnsLabel(where, `optedInNamespaces[${i}]`, ns)));
    const name = validateDnsSubdomain(where, 'name', checkOptionalString(where, 'name', props.name) ?? this.defaultName(true));
    const scan = checkVulnerabilityScan(where, props.vulnerabilityScan);
    const annotations = scan === undefined || scan.acknowledged.length === 0 ? undefined
      : { [ACKNOWLEDGED_VULNERABILITIES_ANNOTATION]: JSON.stringify(scan.acknowledged) };

    const images = () => verifiedImages(where, this, workloadsIn, kyverno ? undefined : optedIn);
    const globs = () => firstProblemThrown(images()).images.map((ref) => imageGlob(ref)!);
    if (kyverno) {
      const verify = {
        type: 'Cosign',
        imageReferences: Lazy.any({ produce: () => firstProblemThrown(images()).images.map(kyvernoReference) }) as any,
        failureAction: action === AdmissionAction.DENY ? 'Enforce' : 'Audit',
        // The images are pinned by digest (checked at synth): nothing to mutate, and a missing digest fails.
        mutateDigest: false,
        verifyDigest: true,
        required: true,
        attestors: [{ count: 1, entries: [signer._kyvernoEntry(where)] }],
        ...(scan === undefined ? {} : { attestations: [kyvernoAttestation(where, scan)] }),
      };
      this.kyvernoPolicy = kyvernoClusterPolicy(this, 'Policy', {
        metadata: { name, labels: recommendedLabels(where, { name, instance: name, component: 'image-verification', partOf }), ...(annotations ? { annotations } : {}) },
        spec: {
          // At admission only: a background scan would re-verify running pods against registries on every cycle.
          background: false,
          // Verification calls registries and the transparency log: Kyverno's image-verification examples allow 30 s.
          webhookConfiguration: { failurePolicy: 'Fail', timeoutSeconds: 30 },
          rules: [{ name: scan === undefined ? 'signed' : 'signed-and-scanned', match: { any: [{ resources: { kinds: ['Pod'] } }] }, verifyImages: [verify] }],
        },
      });
      removeNamespace(this.kyvernoPolicy);
    } else {
      const authority = signer._authority(where);
      const mode = action === AdmissionAction.DENY ? 'enforce' : 'warn';
      const labels = recommendedLabels(where, { name, instance: name, component: 'image-verification', partOf });
      this.clusterImagePolicy = kube.clusterImagePolicy(this, 'Policy', {
        metadata: { name, labels },
        spec: { mode, images: Lazy.any({ produce: () => globs().map((glob) => ({ glob })) }) as any, authorities: [authority] },
      });
      removeNamespace(this.clusterImagePolicy);
      if (scan !== undefined) {
        const vulnName = validateDnsSubdomain(where, 'name (with "-vuln")', `${name}-vuln`);
        this.vulnerabilityPolicy = kube.clusterImagePolicy(this, 'VulnerabilityPolicy', {
          metadata: { name: vulnName, labels: { ...labels, 'app.kubernetes.io/instance': vulnName }, ...(annotations ? { annotations } : {}) },
          spec: {
            mode,
            images: Lazy.any({ produce: () => globs().map((glob) => ({ glob })) }) as any,
            authorities: [{
              name: 'scanner',
              ...scan.scanner._authority(where),
              attestations: [{ name: 'vuln', predicateType: 'vuln', policy: { type: 'rego', data: vulnerabilityRego(scan) } }],
            }],
          },
        });
        removeNamespace(this.vulnerabilityPolicy);
      }
    }
    this.node.addValidation({ validate: () => images().problems.map((p) => p.message) });
  }
}

function removeNamespace(object: ApiObject): void {
  if (object.metadata.namespace !== undefined) object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

function kyvernoAttestation(where: string, scan: VulnerabilityRequirement) {
  return {
    name: 'vulnerability-scan',
    type: VULN_PREDICATE_TYPE,
    attestors: [{ count: 1, entries: [scan.scanner._kyvernoEntry(where)] }],
    conditions: [{ all: vulnerabilityKyvernoConditions(scan) }],
  };
}

/** The images in scope (one per distinct reference), and what keeps them from being verified. */
interface VerifiedImages {
  readonly images: ImageReference[];
  readonly problems: Error[];
}

function firstProblemThrown(images: VerifiedImages): VerifiedImages {
  if (images.problems.length > 0) throw images.problems[0];
  return images;
}

/** The images in scope; `optedIn` (policy-controller only) are the namespaces the platform opts in. */
function verifiedImages(where: string, self: ImageVerification, workloadsIn: IConstruct, optedIn: Set<string> | undefined): VerifiedImages {
  const globs = new Map<string, ImageReference>();
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
      const ref = parseImage(image)!;
      const glob = imageGlob(ref);
      if (glob === undefined) {
        problems.push(inputError(where, `${what} ${pointer}/image ${quote(image)} names its registry by an IPv6 address, which a ClusterImagePolicy glob cannot spell`, 'use the registry\'s host name'));
      } else {
        globs.set(glob, ref);
      }
    }
  }
  if (namespaces.size === 0) {
    problems.push(inputError(where, `${workloadsIn.node.path || 'the app'} holds no workload, so there is no image to verify`, 'point workloadsIn at the construct (or chart) with the workloads'));
  }
  if (optedIn === undefined) return { images: [...globs.keys()].sort().map((g) => globs.get(g)!), problems };
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
  return { images: [...globs.keys()].sort().map((g) => globs.get(g)!), problems };
}

/**
 * The ApiObjects under a construct, except ClusterImagePolicies and Kyverno ClusterPolicies: they hold no pod, and serializing another
 * ImageVerification's policy would make it read these workloads in turn. Anything else counts, wherever it is.
 */
function apiObjects(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind !== 'ClusterImagePolicy'
    && !(c.kind === 'ClusterPolicy' && c.apiVersion.startsWith('kyverno.io/')));
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

/**
 * The Kyverno image reference that matches exactly the image's digest. Kyverno matches `imageReferences` against
 * its normalized reference, `registry/path@digest` with the tag dropped and Docker Hub spelled `docker.io/library/…`
 * (kyverno/kyverno pkg/utils/image ImageInfo.String and addDefaultRegistry).
 */
function kyvernoReference(ref: ImageReference): string {
  const registry = ref.registry === undefined || ref.registry === 'index.docker.io' ? 'docker.io' : ref.registry;
  const repository = registry === 'docker.io' && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  return `${registry}/${repository}@${ref.digest}`;
}

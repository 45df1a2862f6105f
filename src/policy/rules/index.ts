import { ImageDigestRule } from './bp/image-digest';
import { ImageTagRule } from './bp/image-tag';
import { PodDisruptionBudgetRule } from './bp/pod-disruption-budget';
import { ProbesRule } from './bp/probes';
import { CredentialsInConfigRule } from './nsa/credentials-in-config';
import { DefaultNamespaceRule } from './nsa/default-namespace';
import { MeshAuthorizationFromRule } from './nsa/mesh-authorization-from';
import { MeshMtlsStrictRule } from './nsa/mesh-mtls-strict';
import { MetadataEgressRule } from './nsa/metadata-egress';
import { NetworkPolicyCoverageRule } from './nsa/network-policy-coverage';
import { RbacDefaultServiceAccountRule } from './nsa/rbac-default-service-account';
import { RbacIsolationWritesRule } from './nsa/rbac-isolation-writes';
import { RbacPodExecRule } from './nsa/rbac-pod-exec';
import { RbacWildcardsRule } from './nsa/rbac-wildcards';
import { ReadOnlyRootFilesystemRule } from './nsa/read-only-root-filesystem';
import { ResourceLimitsRule } from './nsa/resource-limits';
import { ServiceAccountTokenRule } from './nsa/service-account-token';
import { ServiceExposureRule } from './nsa/service-exposure';

// Pod Security Standards: rules per level and version (src/policy/rules/pss/profiles.ts); PolicyPack builds the packs.
export { pssBaselineRules, pssRestrictedRules, pssPodRules } from './pss/profiles';
export { NamespaceLevelRule } from './pss/namespace-level';

/** NSA/CISA Kubernetes Hardening Guide. */
export const NSA_CISA_RULES = [
  new ReadOnlyRootFilesystemRule(), new ResourceLimitsRule(), new ServiceAccountTokenRule(), new DefaultNamespaceRule(),
  new CredentialsInConfigRule(), new NetworkPolicyCoverageRule(),
  new MetadataEgressRule(), new RbacWildcardsRule(), new RbacPodExecRule(), new RbacIsolationWritesRule(), new RbacDefaultServiceAccountRule(),
  new ServiceExposureRule(), new MeshMtlsStrictRule(), new MeshAuthorizationFromRule(),
];

/** Workload best practices. */
export const BEST_PRACTICE_RULES = [new ImageTagRule(), new ProbesRule(), new PodDisruptionBudgetRule()];

/** Rules in no default pack. */
export const IMAGE_DIGEST_RULES = [new ImageDigestRule()];

/** CIS Kubernetes Benchmark 5.1: RBAC and service accounts. */
export { CIS_RBAC_RULES } from './cis';

/** What the cluster will refuse or ignore, judged across the whole set of objects. */
export { CLUSTER_FIT_RULES } from './cluster';

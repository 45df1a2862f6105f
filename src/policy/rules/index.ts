import { ImageDigestRule } from './bp/image-digest';
import { ImageTagRule } from './bp/image-tag';
import { PodDisruptionBudgetRule } from './bp/pod-disruption-budget';
import { ProbesRule } from './bp/probes';
import { CredentialsInConfigRule } from './nsa/credentials-in-config';
import { DefaultNamespaceRule } from './nsa/default-namespace';
import { NetworkPolicyCoverageRule } from './nsa/network-policy-coverage';
import { RbacPodExecRule } from './nsa/rbac-pod-exec';
import { RbacWildcardsRule } from './nsa/rbac-wildcards';
import { ReadOnlyRootFilesystemRule } from './nsa/read-only-root-filesystem';
import { ResourceLimitsRule } from './nsa/resource-limits';
import { ServiceAccountTokenRule } from './nsa/service-account-token';
import { ServiceExposureRule } from './nsa/service-exposure';
import { AppArmorRule } from './pss/app-armor';
import { CapabilitiesBaselineRule } from './pss/capabilities-baseline';
import { CapabilitiesRestrictedRule } from './pss/capabilities-restricted';
import { HostNamespacesRule } from './pss/host-namespaces';
import { HostPathRule } from './pss/host-path';
import { HostPortsRule } from './pss/host-ports';
import { PrivilegeEscalationRule } from './pss/privilege-escalation';
import { PrivilegedRule } from './pss/privileged';
import { ProcMountRule } from './pss/proc-mount';
import { RunAsNonRootRule } from './pss/run-as-non-root';
import { RunAsUserRule } from './pss/run-as-user';
import { SeLinuxRule } from './pss/se-linux';
import { SeccompBaselineRule } from './pss/seccomp-baseline';
import { SeccompRestrictedRule } from './pss/seccomp-restricted';
import { SysctlsRule } from './pss/sysctls';
import { VolumeTypesRule } from './pss/volume-types';
import { WindowsHostProcessRule } from './pss/windows-host-process';

/** Pod Security Standards, baseline profile. */
export const PSS_BASELINE_RULES = [
  new HostNamespacesRule(), new PrivilegedRule(), new CapabilitiesBaselineRule(), new HostPathRule(), new HostPortsRule(),
  new AppArmorRule(), new SeLinuxRule(), new ProcMountRule(), new SeccompBaselineRule(), new SysctlsRule(), new WindowsHostProcessRule(),
];

/** Pod Security Standards, the controls restricted adds to baseline. */
export const PSS_RESTRICTED_RULES = [
  new VolumeTypesRule(), new PrivilegeEscalationRule(), new RunAsNonRootRule(), new RunAsUserRule(), new SeccompRestrictedRule(),
  new CapabilitiesRestrictedRule(),
];

/** NSA/CISA Kubernetes Hardening Guide. */
export const NSA_CISA_RULES = [
  new ReadOnlyRootFilesystemRule(), new ResourceLimitsRule(), new ServiceAccountTokenRule(), new DefaultNamespaceRule(),
  new CredentialsInConfigRule(), new NetworkPolicyCoverageRule(), new RbacWildcardsRule(), new RbacPodExecRule(), new ServiceExposureRule(),
];

/** Workload best practices. */
export const BEST_PRACTICE_RULES = [new ImageTagRule(), new ProbesRule(), new PodDisruptionBudgetRule()];

/** Rules in no default pack. */
export const IMAGE_DIGEST_RULES = [new ImageDigestRule()];

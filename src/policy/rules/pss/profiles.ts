import { AppArmorRule } from './app-armor';
import { CapabilitiesBaselineRule } from './capabilities-baseline';
import { CapabilitiesRestrictedRule } from './capabilities-restricted';
import { HostNamespacesRule } from './host-namespaces';
import { HostPathRule } from './host-path';
import { HostPortsRule } from './host-ports';
import { HostProbesRule } from './host-probes';
import { PrivilegeEscalationRule } from './privilege-escalation';
import { PrivilegedRule } from './privileged';
import { ProcMountRule } from './proc-mount';
import { ProcMountRestrictedRule } from './proc-mount-restricted';
import { RunAsNonRootRule } from './run-as-non-root';
import { RunAsUserRule } from './run-as-user';
import { SeLinuxRule } from './se-linux';
import { SeccompBaselineRule } from './seccomp-baseline';
import { SeccompRestrictedRule } from './seccomp-restricted';
import { SysctlsRule } from './sysctls';
import { VolumeTypesRule } from './volume-types';
import { WindowsHostProcessRule } from './windows-host-process';
import { PodSecurityLevel } from '../../../k8s/pod-security-level';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PolicyRule } from '../../rule-api/rule';

/** The pod checks of the Pod Security Standards baseline profile at a version (new rules each call). */
export function pssBaselineRules(version: PodSecurityVersion): PolicyRule[] {
  return [
    new HostNamespacesRule(version), new PrivilegedRule(version), new CapabilitiesBaselineRule(version), new HostPathRule(version),
    new HostPortsRule(version), new AppArmorRule(version), new SeLinuxRule(version), new ProcMountRule(version),
    new SeccompBaselineRule(version), new SysctlsRule(version), new WindowsHostProcessRule(version), new HostProbesRule(version),
  ];
}

/** The pod checks restricted adds to baseline at a version (new rules each call). */
export function pssRestrictedRules(version: PodSecurityVersion): PolicyRule[] {
  return [
    new VolumeTypesRule(version), new PrivilegeEscalationRule(version), new RunAsNonRootRule(version), new RunAsUserRule(version),
    new SeccompRestrictedRule(version), new CapabilitiesRestrictedRule(version), new ProcMountRestrictedRule(version),
  ];
}

/** Every pod check of a level at a version: baseline's, plus restricted's for restricted. */
export function pssPodRules(level: PodSecurityLevel, version: PodSecurityVersion): PolicyRule[] {
  return level === PodSecurityLevel.RESTRICTED ? [...pssBaselineRules(version), ...pssRestrictedRules(version)] : pssBaselineRules(version);
}

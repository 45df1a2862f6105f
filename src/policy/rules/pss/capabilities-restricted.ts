import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Containers drop ALL capabilities and add back at most NET_BIND_SERVICE. */
export class CapabilitiesRestrictedRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-CAPABILITIES',
      title: 'Containers drop ALL capabilities and add at most NET_BIND_SERVICE',
      rationale: 'Containers rarely need any capability; dropping ALL leaves nothing to abuse.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Capabilities',
      fix: 'Set securityContext.capabilities.drop to ["ALL"] (upper case) and add nothing but NET_BIND_SERVICE.',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.flatMap((c) => {
      const capabilities = c.container.securityContext?.capabilities ?? {};
      const problems = (capabilities.drop ?? []).includes('ALL') ? [] : [`${c.pointer} does not drop ALL capabilities`];
      for (const cap of capabilities.add ?? []) {
        if (cap !== 'NET_BIND_SERVICE') problems.push(`${c.pointer} adds capability ${cap}`);
      }
      return problems;
    });
  }
}

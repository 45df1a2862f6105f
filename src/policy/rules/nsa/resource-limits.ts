import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { everyContainer, INIT_AND_APP_CONTAINERS } from '../../rule-api/cel';
import { PodCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** Containers request and limit CPU and memory. */
export class ResourceLimitsRule extends PodCheck {
  public constructor() {
    super({
      id: 'NSA-RESOURCES',
      title: 'Containers set CPU and memory requests and limits',
      rationale: 'Without requests and limits one pod can starve its node (denial of service) and scheduling is blind.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Pod security — resource policies (denial of service)',
      fix: 'Set resources.requests and resources.limits for cpu and memory on every container.',
      constructFix: 'SecureDeployment sets them by default (resources overrides them field by field).',
      admission: AdmissionCheck.podSpec([everyContainer(INIT_AND_APP_CONTAINERS,
        ['requests', 'limits'].flatMap((kind) => ['cpu', 'memory'].map((resource) => `c.?resources.?${kind}.?${resource}.hasValue()`)).join(' && '),
        'lack a CPU or memory request or limit')]),
    });
  }

  protected checkPod(pod: PodView): string[] {
    const problems: string[] = [];
    for (const c of pod.containers) {
      if (c.pointer.includes('ephemeralContainers')) continue;
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (c.container.resources?.[kind]?.[resource] === undefined) problems.push(`${c.pointer} has no ${resource} ${kind.slice(0, -1)}`);
        }
      }
    }
    return problems;
  }
}

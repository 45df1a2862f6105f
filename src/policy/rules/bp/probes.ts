import { PodView } from '../../../k8s/pod-view';
import { PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { everyContainer, unless } from '../../rule-api/cel';
import { PodCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

/** Long-running containers have a liveness probe, and containers that serve a port a readiness probe. */
export class ProbesRule extends PodCheck {
  public constructor() {
    super({
      id: 'BP-PROBES',
      title: 'Long-running containers have liveness probes; serving containers have readiness probes',
      rationale: 'Without probes, hung containers are never restarted and Services send traffic to pods that are not ready.',
      severity: Severity.WARNING,
      standard: 'Best practice: workload health (also Polaris livenessProbeMissing / readinessProbeMissing)',
      fix: 'Add a livenessProbe to every long-running container and a readinessProbe to every container with ports.',
      constructFix: 'SecureDeployment sets both (from port, or its liveness and readiness props).',
      admission: AdmissionCheck.podSpec([unless(
        // Jobs run to completion, and so do the pods a Job creates.
        "request.resource.resource in ['jobs', 'cronjobs'] || object.metadata.?ownerReferences.orValue([]).exists(o, o.kind == 'Job')",
        everyContainer('variables.containers', 'has(c.livenessProbe) && (size(c.?ports.orValue([])) == 0 || has(c.readinessProbe))',
          'have no livenessProbe, or serve a port without a readinessProbe'),
      )]),
    });
  }

  protected checkPod(pod: PodView, object: PolicyObject): string[] {
    if (RUN_TO_COMPLETION.has(object.kind)) return [];
    const problems: string[] = [];
    for (const c of pod.containers) {
      if (!c.pointer.includes('/containers/')) continue;
      if (!c.container.livenessProbe) problems.push(`${c.pointer} has no livenessProbe`);
      if ((c.container.ports ?? []).length > 0 && !c.container.readinessProbe) problems.push(`${c.pointer} serves a port without a readinessProbe`);
    }
    return problems;
  }
}

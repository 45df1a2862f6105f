import { PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, everyContainer } from '../../rule-api/cel';
import { Severity } from '../../rule-api/severity';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const LIFECYCLE_HANDLERS = ['postStart', 'preStop'];
const ACTIONS = ['httpGet', 'tcpSocket'];

/**
 * Probes and lifecycle handlers do not name a host (upstream check `hostProbesAndHostLifecycle`, new in
 * v1.34: `host` of httpGet and tcpSocket in the liveness, readiness and startup probes and the postStart
 * and preStop handlers of every container, init and ephemeral ones included, must be empty). Applies to
 * nothing before v1.34.
 */
export class HostProbesRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-HOST-PROBES',
      title: 'Probes and lifecycle handlers do not set a host',
      rationale: 'The kubelet makes these requests from the node: a host there lets a pod make the node reach other addresses (SSRF).',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Host Probes / Lifecycle Hooks',
      fix: 'Remove host from httpGet and tcpSocket in probes and lifecycle handlers: the kubelet then targets the pod IP.',
      admission: AdmissionCheck.podSpec(version.since(34) ? [everyContainer(ALL_CONTAINERS, [
        ...PROBES.map((probe) => `c.?${probe}`), ...LIFECYCLE_HANDLERS.map((hook) => `c.?lifecycle.?${hook}`),
      ].flatMap((handler) => ACTIONS.map((action) => `${handler}.?${action}.?host.orValue('') == ''`)).join(' && '),
      'set a host in a probe or lifecycle handler')] : []),
    }, version);
  }

  protected judgesPods(): boolean {
    return this.version.since(34);
  }

  protected checkPod(pod: PodView): string[] {
    const problems: string[] = [];
    // Every rule runs on every pod: pointers are written only for a handler that sets a host.
    const judge = (handler: any, pointer: () => string) => {
      for (const action of ACTIONS) {
        const host = handler?.[action]?.host;
        if (host != null && host !== '') problems.push(`${pointer()}/${action}/host is ${JSON.stringify(host)}`);
      }
    };
    for (const c of pod.containers) {
      for (const probe of PROBES) judge(c.container?.[probe], () => `${c.pointer}/${probe}`);
      for (const hook of LIFECYCLE_HANDLERS) judge(c.container?.lifecycle?.[hook], () => `${c.pointer}/lifecycle/${hook}`);
    }
    return problems;
  }
}

import { PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { celString, profileTypeIn } from '../../rule-api/cel';
import { Severity } from '../../rule-api/severity';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/**
 * AppArmor is not turned off (upstream check `appArmorProfile`, one version at v1.0 that judges the
 * `appArmorProfile` fields and the beta annotations together, at every policy version):
 * - fields of the pod and of every container: RuntimeDefault or Localhost (a profile without a type is
 *   rejected too);
 * - annotations `container.apparmor.security.beta.kubernetes.io/*`: empty, `runtime/default` or `localhost/…`.
 */
export class AppArmorRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-APPARMOR',
      title: 'AppArmor is not set to unconfined',
      rationale: 'Turning AppArmor off removes a mandatory access control layer between the container and the kernel.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): AppArmor',
      fix: 'Use the RuntimeDefault or a Localhost AppArmor profile (or leave AppArmor unset).',
      admission: AdmissionCheck.podSpec([
        {
          expression: `variables.podAnnotations.all(k, !k.startsWith(${celString(ANNOTATION_PREFIX)}) || variables.podAnnotations[k] == '' || `
            + "variables.podAnnotations[k] == 'runtime/default' || variables.podAnnotations[k].startsWith('localhost/'))",
          message: `an annotation ${ANNOTATION_PREFIX}* is not runtime/default or localhost/…`,
        },
        {
          expression: `variables.securityContexts.all(s, ${profileTypeIn('s.?appArmorProfile', [...ALLOWED_TYPES])})`,
          message: 'an appArmorProfile type is not RuntimeDefault or Localhost',
        },
      ]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(pod.annotations ?? {})) {
      if (!key.startsWith(ANNOTATION_PREFIX) || allowedAnnotation(value)) continue;
      problems.push(`annotation ${key} is ${value}`);
    }
    const profiles = [
      { pointer: pod.pointer, profile: pod.spec.securityContext?.appArmorProfile },
      ...pod.containers.map((c) => ({ pointer: c.pointer, profile: c.container?.securityContext?.appArmorProfile })),
    ];
    for (const { pointer, profile } of profiles) {
      if (profile != null && !ALLOWED_TYPES.has(profile.type)) {
        problems.push(`${pointer}/securityContext/appArmorProfile/type is ${profile.type ?? 'unset'}`);
      }
    }
    return problems;
  }
}

function allowedAnnotation(value: unknown): boolean {
  return value == null || value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'));
}

import { PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { celString, profileTypeIn } from '../../rule-api/cel';
import { HARDENED_WORKLOAD_DEFAULT } from '../../rule-api/hardened-workload-default';
import { Severity } from '../../rule-api/severity';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/**
 * Seccomp is not turned off (upstream check `seccompProfile_baseline`: v1.0 judges the alpha annotations,
 * v1.19 the `seccompProfile` fields of the pod and every container: RuntimeDefault, Localhost or unset).
 * The annotations are judged at every version as well: the API server still copies a Pod's annotation
 * into an unset field (`applySeccompVersionSkew`), so `unconfined` there turns seccomp off all the same.
 */
export class SeccompBaselineRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-SECCOMP-BASELINE',
      title: 'Seccomp is not set to Unconfined',
      rationale: 'Unconfined seccomp opens the whole syscall surface of the kernel to the container.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Seccomp',
      fix: 'Set seccompProfile.type to RuntimeDefault (or Localhost with a profile).',
      constructFix: HARDENED_WORKLOAD_DEFAULT,
      admission: AdmissionCheck.podSpec([
        {
          expression: `variables.securityContexts.all(s, ${profileTypeIn('s.?seccompProfile', [...ALLOWED_TYPES])})`,
          message: 'a seccompProfile type is not RuntimeDefault or Localhost',
        },
        {
          expression: `(!(${celString(POD_ANNOTATION)} in variables.podAnnotations) || ${allowedAnnotationCel(`variables.podAnnotations[${celString(POD_ANNOTATION)}]`)})`
            + ` && variables.allContainers.all(c, !((${celString(CONTAINER_ANNOTATION_PREFIX)} + c.name) in variables.podAnnotations)`
            + ` || ${allowedAnnotationCel(`variables.podAnnotations[${celString(CONTAINER_ANNOTATION_PREFIX)} + c.name]`)})`,
          message: 'a seccomp annotation is not runtime/default, docker/default or localhost/…',
        },
      ]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    const problems: string[] = [];
    const profiles = [
      { pointer: pod.pointer, profile: pod.spec.securityContext?.seccompProfile },
      ...pod.containers.map((c) => ({ pointer: c.pointer, profile: c.container?.securityContext?.seccompProfile })),
    ];
    // v1.19: a profile that is set must be RuntimeDefault or Localhost (a profile without a type is rejected too).
    for (const { pointer, profile } of profiles) {
      if (profile != null && !ALLOWED_TYPES.has(profile.type)) problems.push(`${pointer}/securityContext/seccompProfile/type is ${profile.type ?? 'unset'}`);
    }
    // v1.0: the pod annotation and the annotation of each container by name.
    const annotations = pod.annotations ?? {};
    const keys = [POD_ANNOTATION, ...pod.containers.map((c) => CONTAINER_ANNOTATION_PREFIX + c.container?.name)];
    for (const key of keys) {
      const value = annotations[key];
      if (value != null && !allowedAnnotation(value)) problems.push(`annotation ${key} is ${value}`);
    }
    return problems;
  }
}

/** In CEL: the annotation value (a CEL string) turns no confinement off, as allowedAnnotation. */
function allowedAnnotationCel(value: string): string {
  return `(${value} == 'runtime/default' || ${value} == 'docker/default' || ${value}.startsWith('localhost/'))`;
}

function allowedAnnotation(value: unknown): boolean {
  return value === 'runtime/default' || value === 'docker/default' || (typeof value === 'string' && value.startsWith('localhost/'));
}

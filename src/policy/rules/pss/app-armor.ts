import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** AppArmor is not turned off. */
export class AppArmorRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-APPARMOR',
      title: 'AppArmor is not set to unconfined',
      rationale: 'Turning AppArmor off removes a mandatory access control layer between the container and the kernel.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): AppArmor',
      fix: 'Use the RuntimeDefault or a Localhost AppArmor profile (or leave AppArmor unset).',
    });
  }

  protected checkPod(pod: PodView): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(pod.annotations)) {
      if (key.startsWith(ANNOTATION_PREFIX) && value !== 'runtime/default' && !value.startsWith('localhost/')) {
        problems.push(`annotation ${key} is ${value}`);
      }
    }
    const profiles = [
      { pointer: pod.pointer, profile: pod.spec.securityContext?.appArmorProfile },
      ...pod.containers.map((c) => ({ pointer: c.pointer, profile: c.container.securityContext?.appArmorProfile })),
    ];
    for (const { pointer, profile } of profiles) {
      if (profile && profile.type !== 'RuntimeDefault' && profile.type !== 'Localhost') {
        problems.push(`${pointer}/securityContext/appArmorProfile/type is ${profile.type}`);
      }
    }
    return problems;
  }
}

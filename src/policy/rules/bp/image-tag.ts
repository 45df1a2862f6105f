import { PodView } from '../../../k8s/pod-view';
import { imagePinnedCel, imageProblem } from '../../../parsers/image';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, everyContainer } from '../../rule-api/cel';
import { PodCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** Images are pinned: a version tag or a digest, never `latest` or untagged. */
export class ImageTagRule extends PodCheck {
  public constructor() {
    super({
      id: 'BP-IMAGE-TAG',
      title: 'Images are pinned to a version tag or digest',
      rationale: 'A moving tag (latest, untagged) changes what runs without a change in the manifest; rollbacks and audits become guesses.',
      severity: Severity.ERROR,
      standard: 'Best practice: reproducible deployments (also Polaris tagNotSpecified)',
      fix: 'Pin a version or digest, e.g. nginx:1.27.3 or nginx@sha256:….',
      admission: AdmissionCheck.podSpec([everyContainer(ALL_CONTAINERS, imagePinnedCel("c.?image.orValue('')"), 'use an image that is not pinned by a version tag or digest')]),
    });
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.flatMap((c) => {
      const problem = imageProblem(String(c.container.image ?? ''));
      return problem ? [`${c.pointer}: ${problem.problem}`] : [];
    });
  }
}

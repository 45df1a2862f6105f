import { PodView } from '../../../k8s/pod-view';
import { imagePinnedCel, imageProblem } from '../../../parsers/image';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, everyContainer } from '../../rule-api/cel';
import { PodCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** Images are pinned by digest (only in the IMAGE_DIGESTS pack). */
export class ImageDigestRule extends PodCheck {
  public constructor() {
    super({
      id: 'BP-IMAGE-DIGEST',
      title: 'Images are pinned by sha256 digest',
      rationale: 'A digest is the only reference a registry cannot move: the image that was scanned is the image that runs.',
      severity: Severity.ERROR,
      standard: 'Best practice: supply-chain integrity (immutable image references)',
      fix: 'Append the digest the registry reports, e.g. ghcr.io/acme/web:1.4.2@sha256:….',
      admission: AdmissionCheck.podSpec([everyContainer(ALL_CONTAINERS, imagePinnedCel("c.?image.orValue('')", { requireDigest: true }), 'use an image not pinned by digest')]),
    });
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.flatMap((c) => {
      const problem = imageProblem(String(c.container.image ?? ''), { requireDigest: true });
      return problem ? [`${c.pointer}: ${problem.problem}`] : [];
    });
  }
}

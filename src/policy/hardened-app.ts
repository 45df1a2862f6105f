import { App, AppProps } from 'cdk8s';
import { SynthEvaluations } from './enforcement';
import { enforcePolicy, PolicyOptions } from './policy';

/** Props of {@link HardenedApp}: those of a cdk8s `App` and those of `Policy.enforce`. */
export interface HardenedAppProps extends AppProps, PolicyOptions {}

/**
 * A cdk8s `App` that enforces the policy on everything it holds, evaluating the packs once per
 * `synth()`/`synthYaml()` call. Synth fails with every error-level finding and prints warnings, with the
 * same text as `Policy.enforce(app)`.
 *
 * cdk8s validates the app at the start of synth and again inside each chart's `toJson()`: under a plain
 * `App`, `Policy.enforce` evaluates at each of those validations (N + 1 evaluations for N charts). A
 * HardenedApp evaluates at the first and hands the report to the others of the same call; so does every
 * `Policy.enforce` under it, and one with the same scope and packs as another shares its report.
 * Outside synth (`Testing.synth`, a chart's own `toJson()`) every validation evaluates afresh.
 */
export class HardenedApp extends App {
  /**
   * The evaluations of the synth call in progress (read by the policy validations of the app).
   * @internal
   */
  public _synthEvaluations: SynthEvaluations | undefined;

  constructor(props: HardenedAppProps = {}) {
    super(props);
    const { packs, failOnWarnings, printWarnings } = props;
    enforcePolicy('HardenedApp', this, { packs, failOnWarnings, printWarnings });
  }

  /** Evaluates the policy once, then synthesizes all manifests to the output directory. */
  public synth(): void {
    this.synthesizing(() => super.synth());
  }

  /** Evaluates the policy once, then synthesizes the app into a YAML string. */
  public synthYaml(): string {
    return this.synthesizing(() => super.synthYaml());
  }

  private synthesizing<T>(synth: () => T): T {
    this._synthEvaluations = new SynthEvaluations();
    try {
      return synth();
    } finally {
      this._synthEvaluations = undefined;
    }
  }
}

import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { prerequisitesIn } from './declared-prerequisites';
import { SynthEvaluations } from './enforcement';
import { ExpectedObject, writeExpectations } from './expectations';
import { enforcePolicy, PolicyOptions } from './policy';
import { stringifyKubernetesYaml } from '../parsers/kube-yaml-writer';

/** Props of {@link HardenedApp}: those of a cdk8s `App` and those of `Policy.enforce`. */
export interface HardenedAppProps extends AppProps, PolicyOptions {}

/** The charts of an app, serialized once for a synth call. */
interface SerializedCharts {
  /** The charts in the order cdk8s writes them (dependencies first). */
  readonly charts: Chart[];
  /** The manifests of a chart, in the order cdk8s writes them. */
  readonly manifests: Map<Chart, any[]>;
  /** The objects of a chart, in the order of its manifests. */
  readonly objects: Map<Chart, ApiObject[]>;
  /** Whether a chart depends on another (cdk8s then prefixes file and folder names with the chart's index). */
  readonly dependant: boolean;
}

/**
 * A cdk8s `App` that enforces the policy on everything it holds and serializes every object once per
 * `synth()`/`synthYaml()` call: it serializes each chart for its output (cdk8s validates the app meanwhile),
 * evaluates the packs over those manifests, fails with every error-level finding (the same text as
 * `Policy.enforce(app)`) and prints warnings, and only then writes what `App` writes, file for file.
 * Every `Policy.enforce` under it is evaluated over the same manifests, once per scope and packs.
 *
 * Outside its synth calls (`Testing.synth`, a chart's own `toJson()`) it behaves as `Policy.enforce(app)`:
 * the packs are evaluated at every validation.
 *
 * It writes YAML as cdk8s does, except where kubectl and the API server would read a string otherwise than cdk8s's
 * writer means it (`0o17`, `0X1F` and `1e1_0` are numbers to them; NEL, LS and PS are line breaks): such strings are
 * quoted or escaped, so the files read back as the objects that were checked.
 *
 * `synth()` also writes `cdk8s-hardened.expectations` into the output directory: what the app expects from the
 * cluster (its prerequisites) and each object's construct path, for the checks that read only the YAML (the cdk8s
 * CLI plugin, `cdk8s-hardened check`).
 */
export class HardenedApp extends App {
  /**
   * The policy validations of the synth call in progress (read by the policy validations of the app).
   * @internal
   */
  public _synthEvaluations: SynthEvaluations | undefined;
  private readonly recordsConstructMetadata: boolean;

  constructor(props: HardenedAppProps = {}) {
    super(props);
    const { packs, failOnWarnings, printWarnings, today } = props;
    enforcePolicy('HardenedApp', this, { packs, failOnWarnings, printWarnings, today });
    // App keeps this setting to itself; its default, as App documents it.
    this.recordsConstructMetadata = props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
  }

  /** Serializes and checks every chart, then writes the manifests to the output directory as `App.synth()` does. */
  public synth(): void {
    mkdirSync(this.outdir, { recursive: true });
    const serialized = this.serializeAndCheck();
    const { charts, manifests, dependant } = serialized;
    const chartName = (chart: Chart, index: number) => `${dependant ? `${index.toString().padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}`;
    const file = (folder: string, name: string) => path.join(folder, `${name}${this.outputFileExtension}`);
    switch (this.yamlOutputType) {
      case YamlOutputType.FILE_PER_APP:
        if (charts.length > 0) save(file(this.outdir, 'app'), charts.flatMap((chart) => manifests.get(chart)!));
        break;
      case YamlOutputType.FILE_PER_CHART:
        charts.forEach((chart, i) => save(file(this.outdir, chartName(chart, i)), manifests.get(chart)!));
        break;
      case YamlOutputType.FILE_PER_RESOURCE:
        charts.forEach((chart) => manifests.get(chart)!.forEach((m) => save(file(this.outdir, resourceName(m)), [m])));
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
        charts.forEach((chart, i) => {
          const folder = path.join(this.outdir, chartName(chart, i));
          mkdirSync(folder, { recursive: true });
          manifests.get(chart)!.forEach((m) => save(file(folder, resourceName(m)), [m]));
        });
        break;
      default:
        break;
    }
    if (this.recordsConstructMetadata) this.writeMetadata(serialized);
    this.writeExpectations(serialized);
  }

  /** Serializes and checks every chart, then returns the manifests as one YAML string, as `App.synthYaml()` does. */
  public synthYaml(): string {
    const { charts, manifests } = this.serializeAndCheck();
    return stringifyKubernetesYaml(charts.flatMap((chart) => manifests.get(chart)!));
  }

  /**
   * Serializes every chart once (each `Chart.toJson()` validates the app, and the policy validations met there
   * are deferred), then runs the policy validations over those manifests; throws their errors as cdk8s does.
   */
  private serializeAndCheck(): SerializedCharts {
    const evaluations = new SynthEvaluations();
    const manifests = new Map<Chart, any[]>();
    const objects = new Map<Chart, ApiObject[]>();
    const manifestOf = new Map<ApiObject, any>();
    this._synthEvaluations = evaluations;
    try {
      const all = this.node.findAll().filter((c): c is Chart => Chart.isChart(c));
      if (all.length === 0) this.validateAll(); // App.synth validates an app without charts too
      for (const chart of all) {
        const json: any[] = chart.toJson();
        const own = objectsOf(chart);
        own.forEach((object, i) => manifestOf.set(object, json[i]));
        manifests.set(chart, json);
        objects.set(chart, own);
      }
    } finally {
      this._synthEvaluations = undefined;
    }
    const errors = evaluations.run((object) => manifestOf.get(object) ?? object.toJson());
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    // Chart.toJson() has resolved the dependencies between charts: the order and the names follow from them.
    const charts = this.charts;
    const dependant = charts.some((chart) => chart.node.dependencies.some((d) => Chart.isChart(d)));
    return { charts, manifests, objects, dependant };
  }

  /** Runs every validation of the app, as cdk8s does before it synthesizes. */
  private validateAll(): void {
    const errors = this.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }

  /** The expectations file: the app's prerequisites, and the construct path of every object it wrote. */
  private writeExpectations({ charts, manifests, objects }: SerializedCharts): void {
    const written: ExpectedObject[] = charts.flatMap((chart) => objects.get(chart)!.flatMap((object, i) => {
      const { kind, metadata } = manifests.get(chart)![i] ?? {};
      if (typeof kind !== 'string' || typeof metadata?.name !== 'string') return [];
      const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
      return [{ kind, namespace, name: metadata.name, path: object.node.path }];
    }));
    const prerequisites = prerequisitesIn(this).map(({ kind, namespace, name, path: declaredAt }) => ({ kind, namespace, name, path: declaredAt }));
    writeExpectations(this.outdir, { prerequisites, objects: written });
  }

  /** construct-metadata.json, as `App` writes it with `recordConstructMetadata`. */
  private writeMetadata({ charts, objects }: SerializedCharts): void {
    const resources: { [name: string]: { path: string } } = {};
    for (const object of charts.flatMap((chart) => objects.get(chart)!)) resources[object.name] = { path: object.node.path };
    writeFileSync(path.join(this.outdir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources }));
  }
}

/** The objects of a chart in the order `Chart.toJson()` serializes them: by dependency, each in its closest chart. */
function objectsOf(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
}

/** The file name cdk8s gives an object's manifest when it writes one file per resource. */
function resourceName(manifest: any): string {
  return `${manifest.kind}.${manifest.metadata.name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
}

/** Writes manifests to a file as cdk8s's `Yaml.save` does, in YAML that kubectl reads back as these manifests. */
function save(file: string, manifests: readonly unknown[]): void {
  writeFileSync(file, stringifyKubernetesYaml(manifests), { encoding: 'utf8' });
}

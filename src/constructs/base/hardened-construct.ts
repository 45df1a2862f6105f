import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { readableName } from './derived-name';
import type { NamespaceMesh } from './namespace-mesh';
import { INamespaceRef } from './namespace-ref';
import { UniqueObjectsCheck } from './unique-objects-check';
import { suggestDnsLabel, validateDnsLabel } from '../../core/names';
import { checkInstance, checkPropsKeys } from '../../core/prop-checks';

/**
 * The base of the library's constructs (in the spirit of cdk8s-plus' `Resource`). Its constructor is the common
 * opening, once for all: it checks that the props are an object holding only the keys of their interface
 * (JavaScript callers, `cdk8s.yaml` and props passed through a variable bypass the types; a misspelt key is
 * refused with the nearest known one), resolves and checks the namespace (the `namespace` reference's, else the
 * chart's), makes the construct depend on a namespace defined in the app, derives the part-of label, and adds
 * the app's check that no two objects share a kind, namespace and name (a kind and name, cluster-scoped).
 *
 * Objects whose content can grow after construction (grants, egress rules) render it through `Lazy`, so that
 * methods called after the constructor reach the output.
 */
export abstract class HardenedConstruct extends Construct {
  /** The construct kind and path errors start with, e.g. `SecureDeployment shop/web`. */
  protected readonly where: string;
  /** The namespace of the construct's objects: the `namespace` reference's, else the chart's, else none. */
  protected readonly objectNamespace?: string;
  /** The mesh of the `namespace` reference (a DefaultDenyNamespace with `mesh`), if any. */
  protected readonly namespaceMesh?: NamespaceMesh;
  /** The `app.kubernetes.io/part-of` default: the chart id as a DNS label. */
  protected readonly chartPartOf: string;

  /**
   * Opens the construct.
   * @param kind the construct kind errors name, e.g. `SecureDeployment`
   * @param props the props, as given
   * @param knownProps the keys of the props interface (the keys of a `PropKeys<…Props>` constant, which the
   *   compiler keeps equal to the interface's)
   */
  protected constructor(scope: Construct, id: string, kind: string, props: any, knownProps: string[]) {
    super(scope, id);
    this.where = `${kind} ${this.node.path}`;
    // Props without a `namespace` key have none: the key check refuses it.
    const namespaceRef = checkPropsKeys<{ readonly namespace?: unknown }>(this.where, props, knownProps).namespace;
    const chart = Chart.of(this);
    if (namespaceRef !== undefined) {
      const ref = checkInstance<INamespaceRef>(this.where, 'namespace', namespaceRef, 'namespaceName', 'a namespace reference (e.g. a DefaultDenyNamespace)');
      this.objectNamespace = validateDnsLabel(this.where, 'namespace', ref.namespaceName);
      this.namespaceMesh = ref.mesh ?? undefined;
      if (Construct.isConstruct(ref)) this.node.addDependency(ref);
    } else if (chart.namespace !== undefined) {
      this.objectNamespace = validateDnsLabel(this.where, `the namespace of chart ${chart.node.path || chart.node.id}`, chart.namespace);
    }
    UniqueObjectsCheck.ensure(this);
    this.chartPartOf = suggestDnsLabel(chart.node.id);
  }

  /**
   * The readable default name of the construct's objects, when the props give none: the construct's path below its
   * chart, joined with `-` as a DNS label (`web` for `shop/web`, `orders-web` for `shop/orders/web`); for
   * cluster-scoped objects, which share one space across charts, the chart's id first (`shop-batch`). Shortened with
   * a hash only beyond 63 characters. Two constructs whose names meet are refused at synth by the app's
   * unique-objects check, which names both and the fix (give one a `name`).
   */
  protected defaultName(clusterScoped: boolean = false): string {
    return readableName(this, clusterScoped);
  }
}

import { selects } from './pod-view';

interface Entry<T> {
  readonly item: T;
  readonly namespace: string | undefined;
  readonly selector: any;
  /** The lookup that last tested this entry (an entry can sit in several buckets). */
  testedBy: number;
}

/** A bucket key: a label pair, or a label key alone (for `Exists`). Kept as parts, not joined strings. */
interface BucketKey {
  readonly key: string;
  /** The value, or undefined for "any value" (Exists). */
  readonly value?: string;
}

/** One way a selector can be looked up: the label pairs (or a label key, for `Exists`) a pod must carry. */
interface Term {
  /** A pod is a candidate when it has any of them. */
  readonly keys: BucketKey[];
}

/** The buckets of one namespace. */
class NamespaceBuckets<T> {
  /** Selectors with no indexable term (tested for every pod of the namespace). */
  public readonly unindexed: Entry<T>[] = [];
  /** Selectors found by a label key whatever its value (Exists). */
  public readonly byKey = new Map<string, Entry<T>[]>();
  /** Selectors found by a label pair: key → value → entries. */
  public readonly byPair = new Map<string, Map<string, Entry<T>[]>>();

  public add(bucket: BucketKey | undefined, entry: Entry<T>): void {
    if (bucket === undefined) {
      this.unindexed.push(entry);
    } else if (bucket.value === undefined) {
      push(this.byKey, bucket.key, entry);
    } else {
      let values = this.byPair.get(bucket.key);
      if (!values) this.byPair.set(bucket.key, values = new Map());
      push(values, bucket.value, entry);
    }
  }
}

/**
 * Finds the items whose label selector selects a set of labels without testing every item.
 *
 * Each selector is indexed under one of its terms — a `matchLabels` pair, an `In` expression (under each
 * of its values) or an `Exists` expression (under its key) — that every pod it selects must carry. Of
 * those terms it takes the one shared by the fewest selectors of the index, so selectors that share
 * their first labels (`part-of: shop`) or use only `matchExpressions` still land in small buckets. A
 * lookup tests only the selectors in the buckets of the pod's own labels (and the few selectors that
 * have no indexable term: only `NotIn`/`DoesNotExist`, or an empty selector). This keeps the
 * cross-object rules linear in the number of objects. The index is built on the first lookup; add every
 * item before looking up.
 */
export class SelectorIndex<T> {
  private readonly entries: Entry<T>[] = [];
  private namespaces: Map<string, NamespaceBuckets<T>> | undefined;
  private lookups = 0;

  public add(namespace: string | undefined, selector: any, item: T): void {
    if (this.namespaces) throw new Error('SelectorIndex: add every item before the first lookup');
    this.entries.push({ item, namespace, selector: selector ?? {}, testedBy: 0 });
  }

  /** The items in the namespace whose selector selects the labels. */
  public matching(namespace: string | undefined, labels: { [key: string]: string }): T[] {
    const buckets = (this.namespaces ?? (this.namespaces = this.build())).get(namespace ?? '');
    const found: T[] = [];
    if (buckets === undefined) return found;
    const lookup = ++this.lookups;
    this.test(buckets.unindexed, lookup, labels, found);
    for (const key in labels) {
      this.test(buckets.byKey.get(key), lookup, labels, found);
      this.test(buckets.byPair.get(key)?.get(labels[key]), lookup, labels, found);
    }
    return found;
  }

  private test(bucket: Entry<T>[] | undefined, lookup: number, labels: { [key: string]: string }, found: T[]): void {
    if (bucket === undefined) return;
    for (const entry of bucket) {
      if (entry.testedBy === lookup) continue;
      entry.testedBy = lookup;
      if (selects(entry.selector, labels)) found.push(entry.item);
    }
  }

  private build(): Map<string, NamespaceBuckets<T>> {
    const termsOf = this.entries.map((entry) => termsOfSelector(entry.selector));
    // How many selectors of the namespace could be found under each bucket: the cost of choosing it.
    const load = new BucketLoad();
    this.entries.forEach((entry, i) => {
      for (const term of termsOf[i]) for (const bucket of term.keys) load.add(entry.namespace, bucket);
    });
    const namespaces = new Map<string, NamespaceBuckets<T>>();
    this.entries.forEach((entry, i) => {
      let best: Term | undefined;
      let bestCost = Infinity;
      for (const term of termsOf[i]) {
        let cost = 0;
        for (const bucket of term.keys) cost += load.of(entry.namespace, bucket);
        if (cost < bestCost) {
          best = term;
          bestCost = cost;
        }
      }
      const namespace = entry.namespace ?? '';
      let buckets = namespaces.get(namespace);
      if (!buckets) namespaces.set(namespace, buckets = new NamespaceBuckets<T>());
      if (best === undefined) buckets.add(undefined, entry);
      else for (const bucket of best.keys) buckets.add(bucket, entry);
    });
    return namespaces;
  }
}

/** How many selectors each bucket of each namespace would hold (nested maps: no joined-string keys to build). */
class BucketLoad {
  private readonly counts = new Map<string, Map<string, Map<string | undefined, number>>>();

  public add(namespace: string | undefined, bucket: BucketKey): void {
    const values = this.valuesOf(namespace, bucket.key, true)!;
    values.set(bucket.value, (values.get(bucket.value) ?? 0) + 1);
  }

  public of(namespace: string | undefined, bucket: BucketKey): number {
    return this.valuesOf(namespace, bucket.key, false)?.get(bucket.value) ?? 0;
  }

  private valuesOf(namespace: string | undefined, key: string, create: boolean): Map<string | undefined, number> | undefined {
    let keys = this.counts.get(namespace ?? '');
    if (!keys) {
      if (!create) return undefined;
      this.counts.set(namespace ?? '', keys = new Map());
    }
    let values = keys.get(key);
    if (!values && create) keys.set(key, values = new Map());
    return values;
  }
}

/** The terms under which a selector can be found: each is necessary for a pod to be selected. */
function termsOfSelector(selector: any): Term[] {
  const terms: Term[] = [];
  const matchLabels = selector.matchLabels;
  for (const key in matchLabels) terms.push({ keys: [{ key, value: String(matchLabels[key]) }] });
  for (const expression of selector.matchExpressions ?? []) {
    if (expression?.operator === 'In' && Array.isArray(expression.values) && expression.values.length > 0) {
      const values = [...new Set<string>(expression.values.map(String))];
      terms.push({ keys: values.map((value) => ({ key: expression.key, value })) });
    } else if (expression?.operator === 'Exists') {
      terms.push({ keys: [{ key: expression.key }] });
    }
  }
  return terms;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

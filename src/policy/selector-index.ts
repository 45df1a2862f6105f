import { selects } from './pod-view';

interface Entry<T> {
  readonly item: T;
  readonly namespace: string | undefined;
  readonly selector: any;
  /** The lookup that last tested this entry (an entry can sit in several buckets). */
  testedBy: number;
}

/** One way a selector can be looked up: the label pairs (or a label key, for `Exists`) a pod must carry. */
interface Term {
  /** Bucket keys; a pod is a candidate when it has any of them. */
  readonly keys: string[];
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
  private buckets: Map<string, Entry<T>[]> | undefined;
  private lookups = 0;

  public add(namespace: string | undefined, selector: any, item: T): void {
    if (this.buckets) throw new Error('SelectorIndex: add every item before the first lookup');
    this.entries.push({ item, namespace, selector: selector ?? {}, testedBy: 0 });
  }

  /** The items in the namespace whose selector selects the labels. */
  public matching(namespace: string | undefined, labels: { [key: string]: string }): T[] {
    const buckets = this.buckets ?? (this.buckets = this.build());
    const lookup = ++this.lookups;
    const found: T[] = [];
    this.test(buckets.get(unindexedKey(namespace)), lookup, labels, found);
    for (const key in labels) {
      this.test(buckets.get(keyKey(namespace, key)), lookup, labels, found);
      this.test(buckets.get(pairKey(namespace, key, labels[key])), lookup, labels, found);
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

  private build(): Map<string, Entry<T>[]> {
    const termsOf = this.entries.map((entry) => termsOfSelector(entry.namespace, entry.selector));
    // How many selectors could be found under each bucket key: the cost of choosing it.
    const load = new Map<string, number>();
    for (const terms of termsOf) {
      for (const term of terms) for (const key of term.keys) load.set(key, (load.get(key) ?? 0) + 1);
    }
    const buckets = new Map<string, Entry<T>[]>();
    this.entries.forEach((entry, i) => {
      let best: Term | undefined;
      let bestCost = Infinity;
      for (const term of termsOf[i]) {
        const cost = term.keys.reduce((sum, key) => sum + load.get(key)!, 0);
        if (cost < bestCost) {
          best = term;
          bestCost = cost;
        }
      }
      for (const key of best?.keys ?? [unindexedKey(entry.namespace)]) {
        const bucket = buckets.get(key);
        if (bucket) bucket.push(entry);
        else buckets.set(key, [entry]);
      }
    });
    return buckets;
  }
}

/** The terms under which a selector can be found: each is necessary for a pod to be selected. */
function termsOfSelector(namespace: string | undefined, selector: any): Term[] {
  const terms: Term[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    terms.push({ keys: [pairKey(namespace, key, String(value))] });
  }
  for (const expression of selector.matchExpressions ?? []) {
    if (expression?.operator === 'In' && Array.isArray(expression.values) && expression.values.length > 0) {
      terms.push({ keys: [...new Set<string>(expression.values.map((v: any) => pairKey(namespace, expression.key, String(v))))] });
    } else if (expression?.operator === 'Exists') {
      terms.push({ keys: [keyKey(namespace, expression.key)] });
    }
  }
  return terms;
}

function pairKey(namespace: string | undefined, key: string, value: string): string {
  return `p\u0000${namespace ?? ''}\u0000${key}\u0000${value}`;
}

function keyKey(namespace: string | undefined, key: string): string {
  return `k\u0000${namespace ?? ''}\u0000${key}`;
}

function unindexedKey(namespace: string | undefined): string {
  return `u\u0000${namespace ?? ''}`;
}

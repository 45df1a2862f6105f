import { selects } from './pod-view';

interface Entry<T> {
  readonly item: T;
  readonly namespace: string | undefined;
  readonly selector: any;
}

/**
 * Finds the items whose label selector selects a set of labels without testing every item: each item
 * is indexed under one of its matchLabels pairs (items without matchLabels are tested on every lookup
 * in their namespace), so a lookup tests only the items sharing a label pair with the pod. This keeps
 * the cross-object rules linear in the number of objects.
 */
export class SelectorIndex<T> {
  private readonly byPair = new Map<string, Entry<T>[]>();
  private readonly unindexed = new Map<string, Entry<T>[]>();

  public add(namespace: string | undefined, selector: any, item: T): void {
    const entry = { item, namespace, selector: selector ?? {} };
    const first = Object.entries(entry.selector.matchLabels ?? {})[0];
    const key = first ? pairKey(namespace, first[0], String(first[1])) : pairKey(namespace);
    const bucket = first ? this.byPair : this.unindexed;
    const list = bucket.get(key);
    if (list) list.push(entry);
    else bucket.set(key, [entry]);
  }

  /** The items in the namespace whose selector selects the labels. */
  public matching(namespace: string | undefined, labels: { [key: string]: string }): T[] {
    const candidates = [
      ...(this.unindexed.get(pairKey(namespace)) ?? []),
      ...Object.entries(labels).flatMap(([key, value]) => this.byPair.get(pairKey(namespace, key, value)) ?? []),
    ];
    return candidates.filter((e) => selects(e.selector, labels)).map((e) => e.item);
  }
}

function pairKey(namespace: string | undefined, key: string = '', value: string = ''): string {
  return `${namespace ?? ''}\u0000${key}\u0000${value}`;
}

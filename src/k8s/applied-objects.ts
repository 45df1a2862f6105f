/** One object that `kubectl apply` applies from a document, and where in the document it is. */
export interface AppliedObject {
  /** The object (for an item of a typed list without kind and apiVersion, with the ones kubectl gives it). */
  readonly manifest: any;
  /** Where it is in its document: `''` for the document itself, `items[2]` or `items[0].items[1]` for a list's items. */
  readonly at: string;
}

/**
 * The objects kubectl applies from one decoded document: the document itself, or, when it has an `items` key, the
 * items instead (any kind: k8s.io/apimachinery's unstructured decoder takes every object with `items` for a list, and
 * `kind: List`, `PodList`, `DeploymentList`… are all read so). Nested lists (items with an `items` array) are expanded
 * too, as kubectl's FlattenListVisitor does; an item of the top list without kind and apiVersion gets the list's
 * apiVersion and its kind without the `List` suffix (a PodList's items are Pods). A document or item without a kind
 * is left out: kubectl refuses it.
 * @throws Error where kubectl refuses the list (items that are not a list of objects)
 */
export function appliedObjects(document: unknown): AppliedObject[] {
  if (!isObject(document) || typeof document.kind !== 'string' || document.kind === '') return [];
  if (!('items' in document)) return [{ manifest: document, at: '' }];
  const items = document.items ?? [];
  if (!Array.isArray(items) || !items.every(isObject)) {
    throw new Error(`a ${document.kind} (it has "items", so kubectl reads it as a list) needs "items" to be a list of objects; `
      + 'kubectl refuses it, fix the list');
  }
  const itemKind = document.kind.replace(/List$/, '');
  const pending: AppliedObject[] = items.map((item, i) => ({
    manifest: typeof item.kind === 'string' && item.kind !== '' || typeof item.apiVersion === 'string' && item.apiVersion !== ''
      ? item : { ...item, kind: itemKind, apiVersion: document.apiVersion },
    at: `items[${i}]`,
  }));
  const applied: AppliedObject[] = [];
  // Breadth first, as FlattenListVisitor expands: an item whose "items" is an array is a list in its turn.
  for (let i = 0; i < pending.length; i++) {
    const { manifest, at } = pending[i];
    if (!Array.isArray(manifest.items)) {
      if (typeof manifest.kind === 'string' && manifest.kind !== '') applied.push(pending[i]);
      continue;
    }
    manifest.items.forEach((item: unknown, j: number) => {
      if (!isObject(item)) throw new Error(`${at}.items[${j}] is not an object; kubectl refuses the list, fix it`);
      pending.push({ manifest: item, at: `${at}.items[${j}]` });
    });
  }
  return applied;
}

function isObject(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

import { inputError, quote } from '../core/errors';

const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

/** Checks a Kubernetes resource quantity such as `100m`, `0.5`, `128Mi` or `1G`. */
export function validateQuantity(where: string, what: string, quantity: string): string {
  if (!QUANTITY.test(quantity)) {
    throw inputError(
      where,
      `${what} ${quote(quantity)} is not a Kubernetes quantity`,
      'use a number with an optional suffix, e.g. "250m" (CPU), "256Mi" or "1Gi" (memory)',
    );
  }
  return quantity;
}

const SUFFIX_FACTORS: { [suffix: string]: number } = {
  '': 1,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** The numeric value of a valid quantity (e.g. `"100m"` → 0.1, `"1Ki"` → 1024). */
export function quantityValue(quantity: string): number {
  const match = /^([+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)([a-zA-Z]*)$/.exec(quantity);
  if (!match || !(match[2] in SUFFIX_FACTORS)) return NaN;
  return parseFloat(match[1]) * SUFFIX_FACTORS[match[2]];
}

// Exact quantity arithmetic for the cross-object rules. `quantityValue` (./quantity) returns a float,
// which cannot tell "300m" from "0.3" reliably (300 × 0.001 is not 0.3 in binary floating point) and
// loses precision on large byte counts. The API server compares quantities in thousandths, rounded
// up (`Quantity.MilliValue()`); these functions do the same, with BigInt.

const QUANTITY = /^([+-]?)([0-9]+)?(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E))?$/;

const DECIMAL_EXPONENT: { [suffix: string]: number } = { m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENT: { [suffix: string]: number } = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

// Exponents beyond these are not quantities a cluster accepts (the API server caps values at 2^63-1).
const MAX_EXPONENT = 40;

/**
 * The value of a Kubernetes quantity in thousandths, rounded up as the API server's `MilliValue()`
 * rounds (`"100m"` → 100n, `"0.3"` → 300n, `"1Ki"` → 1024000n, `"0.1m"` → 1n). A manifest may hold a
 * quantity as a number (`cpu: 2`): numbers are read like their decimal text.
 *
 * @returns undefined for anything that is not a quantity (wrong type, empty, bad suffix, absurd exponent)
 */
export function quantityMillis(quantity: unknown): bigint | undefined {
  let text: string;
  if (typeof quantity === 'number') {
    if (!Number.isFinite(quantity)) return undefined;
    text = String(quantity);
  } else if (typeof quantity === 'string') {
    text = quantity;
  } else {
    return undefined;
  }
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponent, suffix] = match;
  if (whole === '' && fraction === '') return undefined;
  let decimal = 3 - fraction.length;
  let binary = 0;
  if (exponent !== undefined) decimal += Number(exponent);
  if (suffix !== undefined) {
    if (suffix in BINARY_EXPONENT) binary = BINARY_EXPONENT[suffix];
    else decimal += DECIMAL_EXPONENT[suffix];
  }
  const digits = BigInt(`${whole}${fraction}` || '0');
  if (decimal > MAX_EXPONENT) return digits === 0n ? 0n : undefined;
  const magnitude = digits * 2n ** BigInt(binary);
  if (decimal >= 0) return (sign === '-' ? -1n : 1n) * magnitude * 10n ** BigInt(decimal);
  // Fractions of a thousandth round towards +infinity, as MilliValue() does.
  if (-decimal > magnitude.toString().length) return magnitude === 0n || sign === '-' ? 0n : 1n;
  const divisor = 10n ** BigInt(-decimal);
  return sign === '-' ? -(magnitude / divisor) : (magnitude + divisor - 1n) / divisor;
}

/**
 * A quantity in thousandths written back as a short quantity: whole binary multiples with their suffix
 * (`402653184000n` → `"384Mi"`), whole numbers plain (`2000n` → `"2"`), the rest in milli (`1500n` → `"1500m"`).
 */
export function formatMillis(millis: bigint): string {
  if (millis % 1000n !== 0n) return `${millis}m`;
  const whole = millis / 1000n;
  let shortest = `${whole}`;
  if (whole === 0n) return shortest;
  const units: Array<[string, bigint]> = [
    ...Object.entries(BINARY_EXPONENT).map(([suffix, exponent]): [string, bigint] => [suffix, 2n ** BigInt(exponent)]),
    ...Object.entries(DECIMAL_EXPONENT).filter(([, exponent]) => exponent > 0)
      .map(([suffix, exponent]): [string, bigint] => [suffix, 10n ** BigInt(exponent)]),
  ];
  for (const [suffix, unit] of units) {
    const text = `${whole / unit}${suffix}`;
    if (whole % unit === 0n && text.length < shortest.length) shortest = text;
  }
  return shortest;
}

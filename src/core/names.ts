import { inputError, quote } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Suggests a DNS-1123 label close to `value`: lower case, invalid characters replaced by `-`. */
export function suggestDnsLabel(value: string): string {
  const suggestion = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return suggestion || 'app';
}

/**
 * Checks a DNS-1123 label (names of Services, Namespaces, ports, containers …):
 * at most 63 characters, lower-case alphanumerics and `-`, starting and ending alphanumeric.
 */
export function validateDnsLabel(where: string, what: string, value: string): string {
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    throw inputError(
      where,
      `${what} ${quote(value)} is not a valid DNS-1123 label (at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit)`,
      `use a name like ${quote(suggestDnsLabel(value))}`,
    );
  }
  return value;
}

/** Whether a string is a DNS-1123 subdomain (at most 253 characters, each dot-separated label at most 63). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && !value.split('.').some((label) => label.length > 63) && DNS1123_SUBDOMAIN.test(value);
}

/**
 * Checks a DNS-1123 subdomain (names of most objects, hostnames):
 * at most 253 characters, dot-separated DNS-1123 labels.
 */
export function validateDnsSubdomain(where: string, what: string, value: string): string {
  if (!isDnsSubdomain(value)) {
    throw inputError(
      where,
      `${what} ${quote(value)} is not a valid DNS-1123 subdomain (lower-case letters, digits, "-" and ".", each dot-separated part at most 63 characters)`,
      `use a name like ${quote(value.split('.').map(suggestDnsLabel).join('.'))}`,
    );
  }
  return value;
}

/** Checks a label or annotation key: an optional DNS-1123 subdomain prefix and a name of at most 63 characters. */
export function validateMetadataKey(where: string, what: string, key: string): string {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    validateDnsSubdomain(where, `the prefix of ${what} ${quote(key)}`, prefix);
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    throw inputError(
      where,
      `${what} ${quote(key)} is not a valid key (name part: at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric)`,
      'rename the key, e.g. "example.com/my-key"',
    );
  }
  return key;
}

/** Whether a text is a valid label value (at most 63 letters, digits, `-`, `_` or `.`, alphanumeric at both ends, or empty). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** Checks a label value: at most 63 letters, digits, `-`, `_` or `.`, starting and ending alphanumeric (or empty). */
export function validateLabelValue(where: string, key: string, value: string): string {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw inputError(
      where,
      `label ${quote(key)} has the invalid value ${quote(value)} (at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric)`,
      'shorten the value or replace the other characters',
    );
  }
  return value;
}

/** Checks every key and value of a label map. */
export function validateLabels(where: string, labels: { [key: string]: string }): { [key: string]: string } {
  for (const [key, value] of Object.entries(labels)) {
    validateMetadataKey(where, 'label', key);
    validateLabelValue(where, key, value);
  }
  return labels;
}

/** Checks every key of an annotation map. */
export function validateAnnotations(where: string, annotations: { [key: string]: string }): { [key: string]: string } {
  for (const key of Object.keys(annotations)) {
    validateMetadataKey(where, 'annotation', key);
  }
  return annotations;
}

/** Checks a key of a Secret's or ConfigMap's data (the API server's rule): letters, digits, `-`, `_` and `.`, at most 253 characters, not `.` or `..`. */
export function validateDataKey(where: string, what: string, key: unknown): string {
  if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]{1,253}$/.test(key) || key === '.' || key === '..') {
    throw inputError(where, `${what} ${quote(key)} is not a valid key`, 'use letters, digits, "-", "_" and "." (at most 253 characters), e.g. "password"');
  }
  return key;
}

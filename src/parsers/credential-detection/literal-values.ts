// Literal values: what is a secret and what only stands for one (placeholders, references, masks, prose, paths).

import { CredentialName } from './credential-names';

/**
 * References to an environment variable, a template or a YAML anchor, not values: `$(DB_PASSWORD)`, `${VAR}`,
 * `$VAR`, `{{ .Values.x }}`, `<password>`, `%s`, `{password}`, `*default_password`.
 */
const PLACEHOLDER = /^(?:\$\(|\$\{|\$\$\(|\{\{|\{%|%\(|#\{|@\{|\[\[)|^\$[A-Z_][A-Z0-9_]*$|^%[sdv]$|^<[^<>]*>$|^\{[A-Za-z_][\w.]*\}$|^\*[A-Za-z_][\w-]*$/;
/** The placeholders that can stand for a password inside a URL: `$(DB_PASSWORD)`, `${VAR}`, `$VAR`, `{{ … }}`, `%s`, `{password}`. */
export const URL_PLACEHOLDER = /^(?:\$\(|\$\{|\$\$\(|\{\{|\{%|%\(|#\{|@\{|\[\[)|^\$[A-Z_][A-Z0-9_]*$|^%[sdv]$|^\{[A-Za-z_][\w.]*\}$/;
/** Masked or redacted values: `****`, `xxxx`, `...`. */
export const MASK = /^[*xX•#?._-]{3,}$/;
/** Words that are not secrets: booleans, nulls, markers. */
const NOT_A_VALUE = /^(?:true|false|yes|no|on|off|null|nil|none|undefined|~|n\/a|redacted|\[redacted\]|masked|hidden|tbd|todo|required|optional|auto|disabled?|enabled?)$/i;
/**
 * References to a secret manager, resolved at run time by an injector (`vault:secret/data/db#password`,
 * `arn:aws:secretsmanager:…`, `op://…`), and values encrypted by SOPS (`ENC[AES256_GCM,…]`) or Jasypt (`ENC(…)`).
 */
const REFERENCE = /^(?:ENC\[|ENC\(|vault:|ref\+[a-z0-9]+:\/\/|arn:aws[\w-]*:(?:secretsmanager|ssm|kms):|berglas:\/\/|sm:\/\/|gcp:secretmanager:|projects\/[^/\s]+\/secrets\/|azurekeyvault:|akv:\/\/|op:\/\/|secret:\/\/|secretkeyref|awssecretsmanager:|awsssm:)/i;
const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;
const DURATION = /^\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w)$/;
/** Two or more words of letters: prose (`Provide your token: see the docs`). */
const PROSE = /^[A-Za-z][A-Za-z'’,.!?()-]*(?:[ \t]+[A-Za-z][A-Za-z'’,.!?()-]*)+$/;
const PATH = /^(?:(?:~|\.{1,2})?\/|[A-Za-z]:[\\/]|file:)\S*$/;
/** A path segment mixing upper case, lower case and digits over 16 characters is base64, not a directory. */
const RANDOM_SEGMENT = /(?=[^/]*[A-Z])(?=[^/]*[a-z])(?=[^/]*\d)[^/]{16,}/;

/** Whether a value is a file path (`/run/secrets/db`, `./key.json`), as opposed to base64 that starts with `/`. */
function isPath(value: string): boolean {
  return PATH.test(value) && !value.endsWith('=') && !RANDOM_SEGMENT.test(value);
}

/** Whether a value looks like a generated key: long, no spaces, mixed case or hex or base64. */
function looksLikeKey(value: string): boolean {
  const body = value.replace(/^(?:base64|hex):/i, '');
  if (body.length < 16 || !/^[A-Za-z0-9+/=_.-]+$/.test(body) || !/\d/.test(body)) return false;
  const upper = /[A-Z]/.test(body);
  return (upper && /[a-z]/.test(body)) || /^[0-9a-f]{32,}$/i.test(body) || /[+/]/.test(body) || (upper && body.length >= 20);
}

/**
 * Whether the value of a credential name is a literal secret. Not secrets: empty values, placeholders
 * (`$(DB_PASSWORD)`, `${VAR}`, `{{ … }}`, `<password>`), masks (`****`), booleans and markers, references to
 * a secret manager, file paths (a mounted secret), numbers and durations (a number is a secret only for a
 * password name, from 4 digits), for a weak name (`CACHE_KEY`) anything that does not look like a key, and
 * inside a text (`inText`) words without digits (`token: see the docs`): prose, not a secret.
 */
export function isLiteralSecret(raw: string, name: CredentialName, inText = false): boolean {
  let value = raw.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) value = value.slice(1, -1).trim();
  if (value === '' || value[0] === '#') return false;
  if (PLACEHOLDER.test(value) || MASK.test(value) || NOT_A_VALUE.test(value) || REFERENCE.test(value) || isPath(value)) return false;
  if (inText && PROSE.test(value)) return false;
  if (NUMBER.test(value)) return name.noun === 'password' && value.replace(/\D/g, '').length >= 4;
  if (DURATION.test(value)) return false;
  return name.weak ? looksLikeKey(value) : true;
}

export const PASSWORD: CredentialName = { noun: 'password', weak: false, aws: false, words: [] };
const AWS_SECRET_SHAPE = /^[A-Za-z0-9/+=]{40}$/;

/** The kind for a credential name and its value (the AWS secret access key by its shape). */
export function nameKind(name: CredentialName, value: string, form: (noun: string) => string): string {
  return name.aws && AWS_SECRET_SHAPE.test(value.trim()) ? 'AWS secret access key' : form(name.noun);
}

// Credential detection: judges names (env variables, ConfigMap keys, annotation keys, header names) and
// values (env literals, command lines, annotations, whole configuration files). It reports what was found
// and where, never the value itself.
//
// How it stays fast: one case-insensitive "trigger" regex finds, in a single pass, which detectors can
// apply to a text (most values trigger none and are done after that pass); only those detectors run, each
// a precompiled global regex anchored on a literal or a word boundary, with bounded repetitions (no
// quadratic backtracking on hostile input). Module-level regexes are used with `lastIndex` reset before
// each scan and left at 0 after it; nothing else is kept between calls.

/** A credential found in a text: what it is and where it starts, never the value itself. */
export interface CredentialMatch {
  /**
   * What was found, for humans: e.g. `AWS access key id`, `JWT`, `PEM private key`, `password in URL`,
   * `JDBC password`, `password property`, `token argument`, `literal password`.
   */
  readonly kind: string;
  /** Offset (UTF-16 code units) of the first character of the secret in the text. */
  readonly offset: number;
  /**
   * 1-based line of the secret.
   * @default - none: the text is a single line
   */
  readonly line?: number;
}

/** A credential found in a command line (a container's `command` + `args`, or an exec probe's command). */
export interface ArgCredentialMatch extends CredentialMatch {
  /** Index of the argument holding the secret; `offset` and `line` are relative to that argument. */
  readonly index: number;
}

/** What is known about a text besides its content. */
export interface CredentialContext {
  /**
   * The name the text is stored under: an env variable, a ConfigMap key, an annotation key, a header name.
   * A credential name (`DB_PASSWORD`, `api-token`, `X-Api-Key`, …) with a literal single-line value is a
   * credential even when the value has no known shape.
   * @default - the value alone is judged
   */
  readonly name?: string;
}

// ---------------------------------------------------------------------------------------------------
// Names

/** The historical name check, kept so that `isCredentialName` stays a superset of what it was. */
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** A cheap filter before a name is split into words. */
const NAME_HINT = /pass|pwd|secret|token|credential|key|auth/i;

/** Trailing words that qualify a credential word without changing what it is (`SECRET_KEY_BASE`, `PASSWORD_HASH`). */
const QUALIFIERS = new Set(['base', 'value', 'val', 'plain', 'plaintext', 'raw', 'b', 'b64', 'base64', 'str', 'string', 'encoded', 'enc', 'hash', 'hashed', 'literal']);

/** `KEY` names that denote a secret key whatever the value looks like (`ENCRYPTION_KEY`, `APP_KEY`); other `*_KEY` need a key-like value. */
const STRONG_KEY_WORDS = new Set([
  'private', 'secret', 'access', 'api', 'auth', 'hmac', 'signing', 'encryption', 'master', 'account', 'shared', 'session', 'jwt', 'app',
  'cookie', 'storage', 'subscription', 'webhook',
]);

/** File extensions dropped from ConfigMap keys before they are judged as names (`db-password.txt`). */
const FILE_EXTENSIONS = new Set(['txt', 'json', 'yaml', 'yml', 'properties', 'props', 'conf', 'cfg', 'ini', 'env', 'toml', 'xml', 'sh']);

/** First words of flags that take no credential although they name one (`--no-password`, `--ask-pass`, `--password-stdin`). */
const FLAG_VERBS = new Set([
  'no', 'ask', 'prompt', 'skip', 'use', 'show', 'print', 'require', 'allow', 'enable', 'disable', 'generate', 'rotate', 'reset',
  'change', 'check', 'verify', 'validate', 'with', 'without', 'create', 'delete', 'remove', 'get', 'list', 'read', 'write',
]);

/** What a credential name denotes. */
interface CredentialName {
  /** `password`, `token`, `secret`, `credential`, `API key`, `private key`, `key`. */
  readonly noun: string;
  /** Whether only a key-like value makes it a credential (`CACHE_KEY=users` is not one). */
  readonly weak: boolean;
  /** `AWS_SECRET_ACCESS_KEY` and its spellings. */
  readonly aws: boolean;
  /** The name's words, lower case. */
  readonly words: string[];
}

/** Splits `spring.datasource.password`, `DB_PASSWORD`, `clientSecret`, `X-Api-Key` into lower-case words (trailing digits dropped). */
function words(name: string): string[] {
  const out: string[] = [];
  let current = '';
  const push = (): void => {
    const word = current.replace(/\d+$/, '');
    if (word !== '') out.push(word);
    current = '';
  };
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    if (!upper && !(c >= 97 && c <= 122) && !(c >= 48 && c <= 57)) {
      push();
      continue;
    }
    if (upper && current !== '') {
      // aB and a1B split before B; ABc splits before Bc (DBPassword: db, password).
      const previous = name.charCodeAt(i - 1);
      const next = name.charCodeAt(i + 1);
      if (!(previous >= 65 && previous <= 90) || (next >= 97 && next <= 122)) push();
    }
    current += upper ? String.fromCharCode(c + 32) : name[i];
  }
  push();
  return out;
}

/**
 * What a name denotes when it names a credential, judged by its head word (the last one, after qualifiers
 * such as `_BASE` or `_HASH`): `DB_PASSWORD`, `PGPASSWORD`, `MYSQL_PWD`, `DB_PASS`, `clientSecret`,
 * `GITHUB_TOKEN`, `api-key`, `AWS_SECRET_ACCESS_KEY`, `SECRET_KEY_BASE` do; `TOKEN_TTL`, `PASSWORD_FILE`,
 * `SECRET_NAME`, `passwordSecretRef`, `existingSecret`, `PROXY_BYPASS` do not.
 */
function credentialName(name: string): CredentialName | undefined {
  if (!NAME_HINT.test(name)) return undefined;
  const dot = name.lastIndexOf('.');
  const base = dot > 0 && FILE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase()) ? name.slice(0, dot) : name;
  const all = words(base);
  if (all.includes('existing')) return undefined;
  let end = all.length;
  while (end > 1 && QUALIFIERS.has(all[end - 1])) end--;
  const head = all[end - 1];
  const before = all[end - 2];
  if (head === undefined) return undefined;
  const found = (noun: string, weak = false): CredentialName => ({
    noun, weak, aws: head === 'key' && before === 'access' && all[end - 3] === 'secret', words: all,
  });
  if (/(?:password|passwd|passphrase)$/.test(head) || head === 'pass' || /^(?:src|dest|new)?(?:store|key)pass$/.test(head)) return found('password');
  // The shell's PWD holds a path, which is no credential; `Pwd=` of ODBC is a password.
  if (head === 'pwd') return found('password');
  if (head.endsWith('token')) return found('token');
  if (head.endsWith('secret')) return found('secret');
  if (head.endsWith('credential') || head.endsWith('credentials')) return found('credential');
  if (head === 'auth' && (before === 'basic' || before === 'http')) return found('credential');
  if (head === 'apikey' || (head === 'key' && before === 'api')) return found('API key');
  if (head === 'privatekey' || (head === 'key' && before === 'private')) return found('private key');
  if (head === 'key') return found('key', before === undefined || !STRONG_KEY_WORDS.has(before));
  if (head.endsWith('key') && STRONG_KEY_WORDS.has(head.slice(0, -3))) return found('key');
  return undefined;
}

/**
 * Whether a variable or key name denotes a credential: PASSWORD, PASSWD, PASS, PWD, PASSPHRASE, TOKEN,
 * SECRET, API_KEY, PRIVATE_KEY, CREDENTIALS, … (a key-like `*_KEY` needs its value to tell, see
 * `findCredentials`). Broad on purpose: a construct refusing a literal for such a name errs on the safe side.
 */
export function isCredentialName(name: string): boolean {
  if (CREDENTIAL_NAME.test(name)) return true;
  // The shell's working directory, not ODBC's `PWD=`: only its value can tell, see `findCredentials`.
  if (name === 'PWD') return false;
  const found = credentialName(name);
  return found !== undefined && !found.weak;
}

// ---------------------------------------------------------------------------------------------------
// Values

/**
 * References to an environment variable, a template or a YAML anchor, not values: `$(DB_PASSWORD)`, `${VAR}`,
 * `$VAR`, `{{ .Values.x }}`, `<password>`, `%s`, `{password}`, `*default_password`.
 */
const PLACEHOLDER = /^(?:\$\(|\$\{|\$\$\(|\{\{|\{%|%\(|#\{|@\{|\[\[)|^\$[A-Z_][A-Z0-9_]*$|^%[sdv]$|^<[^<>]*>$|^\{[A-Za-z_][\w.]*\}$|^\*[A-Za-z_][\w-]*$/;
/** The placeholders that can stand for a password inside a URL: `$(DB_PASSWORD)`, `${VAR}`, `$VAR`, `{{ … }}`, `%s`, `{password}`. */
const URL_PLACEHOLDER = /^(?:\$\(|\$\{|\$\$\(|\{\{|\{%|%\(|#\{|@\{|\[\[)|^\$[A-Z_][A-Z0-9_]*$|^%[sdv]$|^\{[A-Za-z_][\w.]*\}$/;
/** Masked or redacted values: `****`, `xxxx`, `...`. */
const MASK = /^[*xX•#?._-]{3,}$/;
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
function isLiteralSecret(raw: string, name: CredentialName, inText = false): boolean {
  let value = raw.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) value = value.slice(1, -1).trim();
  if (value === '' || value[0] === '#') return false;
  if (PLACEHOLDER.test(value) || MASK.test(value) || NOT_A_VALUE.test(value) || REFERENCE.test(value) || isPath(value)) return false;
  if (inText && PROSE.test(value)) return false;
  if (NUMBER.test(value)) return name.noun === 'password' && value.replace(/\D/g, '').length >= 4;
  if (DURATION.test(value)) return false;
  return name.weak ? looksLikeKey(value) : true;
}

const PASSWORD: CredentialName = { noun: 'password', weak: false, aws: false, words: [] };
const AWS_SECRET_SHAPE = /^[A-Za-z0-9/+=]{40}$/;

/** The kind for a credential name and its value (the AWS secret access key by its shape). */
function nameKind(name: CredentialName, value: string, form: (noun: string) => string): string {
  return name.aws && AWS_SECRET_SHAPE.test(value.trim()) ? 'AWS secret access key' : form(name.noun);
}

// ---------------------------------------------------------------------------------------------------
// Detectors

/** A candidate found by a detector: its kind and the span of the secret. */
interface Hit {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  readonly priority: number;
}

interface Detector {
  /** Case-insensitive regex source that must occur in a text for the detector to apply (no capture groups). */
  readonly trigger: string;
  /** Global regex finding candidates. */
  readonly pattern: RegExp;
  /** When two hits overlap, the higher priority wins: specific shapes over generic assignments over names. */
  readonly priority: number;
  /** The kind and span of the secret in a candidate, or undefined when it is not a credential. */
  judge(match: RegExpExecArray, text: string): { kind: string; start: number; end: number } | undefined;
}

const SHAPE = 100;
const PEM = 90;
const HEADER = 80;
const URL_PASSWORD = 70;
const TOOL = 60;
const ASSIGNMENT = 50;
const ENV_PAIR = 40;

/** A token with a known shape: the whole match is the secret. */
function shape(kind: string, trigger: string, pattern: RegExp, valid?: (token: string) => boolean, priority = SHAPE): Detector {
  return {
    trigger,
    pattern,
    priority,
    judge: (m) => (valid === undefined || valid(m[0]) ? { kind, start: m.index, end: m.index + m[0].length } : undefined),
  };
}

/** A password that is the last capture group of the match and ends it (`-psecret`, `user:secret@`). */
function trailing(kind: string, trigger: string, pattern: RegExp, priority: number, endOffset = 0,
  accept: (secret: string) => boolean = (secret) => isLiteralSecret(unquote(secret), PASSWORD)): Detector {
  return {
    trigger,
    pattern,
    priority,
    judge: (m) => {
      const secret = m[m.length - 1];
      if (secret === undefined || !accept(secret)) return undefined;
      const end = m.index + m[0].length - endOffset;
      return { kind, start: end - secret.length, end };
    },
  };
}

function unquote(value: string): string {
  return value.replace(/^["']|["']$/g, '');
}

/** Whether base64 decodes to `user:password` (printable, with a colon and a password). */
function isBase64UserPassword(encoded: string): boolean {
  const decoded = Buffer.from(encoded, 'base64').toString('latin1');
  return /^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded);
}

/** Letters of both cases and digits: a random token, not a word. */
function isRandom(token: string): boolean {
  return /[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token);
}

/** The longest value, line prefix or identifier looked at: keeps every scan linear on hostile input. */
const MAX_SCAN = 4096;
const MAX_NAME = 64;

/** Where the value after `name=` or `name:` ends, and how it is delimited. */
function valueSpan(text: string, start: number, separator: string, delimited: boolean): { start: number; end: number; value: string } {
  const lineEnd = lineEndAt(text, start);
  const first = text[start];
  if (first === '"' || first === "'") {
    let i = start + 1;
    while (i < lineEnd && text[i] !== first) i += text[i] === '\\' ? 2 : 1;
    const end = Math.min(i, lineEnd);
    return { start: start + 1, end, value: text.slice(start + 1, end) };
  }
  if (first === '{' && separator === '=' && text[start + 1] !== '{') {
    // ODBC quotes values in braces: PWD={p;ss}
    let end = start + 1;
    while (end < lineEnd && text[end] !== '}') end++;
    return { start: start + 1, end, value: text.slice(start + 1, end) };
  }
  if ((first === '|' || first === '>') && separator === ':' && /^[|>][-+]?\d*[ \t]*$/.test(text.slice(start, lineEnd))) {
    // A YAML block scalar: the value is on the next line, indented deeper than the key.
    const next = text[lineEnd] === '\r' ? lineEnd + 2 : lineEnd + 1;
    if (next >= text.length) return { start, end: start, value: '' };
    const indent = indentAt(text, next);
    if (indent <= indentAt(text, lineStartAt(text, start))) return { start, end: start, value: '' };
    const nextEnd = lineEndAt(text, next);
    return { start: next + indent, end: nextEnd, value: text.slice(next + indent, nextEnd) };
  }
  let end = start;
  if (delimited) {
    while (end < lineEnd && !/[\s;&)#,'"]/.test(text[end])) end++;
  } else {
    end = lineEnd;
    while (end > start && /[\s,]/.test(text[end - 1])) end--;
  }
  return { start, end, value: text.slice(start, end) };
}

function indentAt(text: string, lineStart: number): number {
  let i = lineStart;
  while (i < text.length && i - lineStart < MAX_SCAN && (text[i] === ' ' || text[i] === '\t')) i++;
  return i - lineStart;
}

/** The end of the line at `index` (before `\r\n`), at most MAX_SCAN characters on. */
function lineEndAt(text: string, index: number): number {
  const limit = Math.min(text.length, index + MAX_SCAN);
  let end = index;
  while (end < limit && text[end] !== '\n') end++;
  return end > index && text[end - 1] === '\r' ? end - 1 : end;
}

/** The start of the line at `index`, at most MAX_SCAN characters back. */
function lineStartAt(text: string, index: number): number {
  const limit = Math.max(0, index - MAX_SCAN);
  let start = index;
  while (start > limit && text[start - 1] !== '\n') start--;
  return start;
}

const IDENTIFIER = /[\w.-]/;
const CREDENTIAL_WORD = 'pass|pwd|secret|token|credential|key|auth';

/** A credential-ish identifier around a keyword match: its name, where it starts, its dashes. */
interface Identifier {
  /** The name, without leading dashes. */
  readonly name: string;
  /** Where the identifier starts, dashes included. */
  readonly start: number;
  /** Leading `-` or `--`. */
  readonly dashes: boolean;
}

/**
 * The identifier holding the keyword at `keyword` and ending at `end`, found by walking back over name
 * characters; undefined when it is too long, starts with no letter, or is part of a path or of a
 * placeholder (`${DB_PASSWORD:-…}`, `$(…)`).
 */
function identifierAt(text: string, keyword: number, end: number): Identifier | undefined {
  let start = keyword;
  while (start > 0 && IDENTIFIER.test(text[start - 1])) {
    start--;
    if (end - start > 2 * MAX_NAME) return undefined;
  }
  let nameStart = start;
  while (nameStart < keyword && text[nameStart] === '-') nameStart++;
  const dashCount = nameStart - start;
  if (dashCount > 2 || !/[A-Za-z_]/.test(text[nameStart])) return undefined;
  let before = start - 1;
  if (dashCount === 0 && (text[before] === '"' || text[before] === "'")) before--;
  const b = before >= 0 ? text[before] : '';
  if (b === '/' || ((b === '{' || b === '(') && text[before - 1] === '$') || (b === '(' && text[before - 1] === '%')) return undefined;
  return { name: text.slice(nameStart, end), start, dashes: dashCount > 0 };
}

/** `name=value` and `name: value` for credential names: property files, YAML, JSON, .env, URLs, connection strings, `--flag=value`. */
const assignment: Detector = {
  trigger: CREDENTIAL_WORD,
  pattern: new RegExp(`(?:${CREDENTIAL_WORD})[\\w.-]{0,${MAX_NAME}}(?![\\w.-])["']?[ \\t]*([:=])[ \\t]*`, 'gi'),
  priority: ASSIGNMENT,
  judge: (m, text) => {
    const id = identifierAt(text, m.index, m.index + m[0].search(/["' \t:=]/));
    if (id === undefined) return undefined;
    const valueStart = m.index + m[0].length;
    if (m[1] === ':') {
      // YAML and JSON put a blank or a quote after the colon (`secret:shop/db` in an ARN is no property),
      // and `{` or `[` there opens a structure, not a value.
      const after = text[m.index + m[0].lastIndexOf(':') + 1];
      if (after !== undefined && !/[\s"']/.test(after)) return undefined;
      if (text[valueStart] === '{' || text[valueStart] === '[') return undefined;
    }
    const name = credentialName(id.name);
    if (name === undefined || (id.dashes && FLAG_VERBS.has(name.words[0]))) return undefined;
    const before = id.start > 0 ? text[id.start - 1] : '';
    const prefix = text.slice(lineStartAt(text, id.start), id.start);
    const jdbc = /jdbc:/i.test(prefix);
    const url = !jdbc && (before === '?' || before === '&') && prefix.includes('://');
    const connection = !jdbc && !url && (before === ';' || before === '(');
    const value = valueSpan(text, valueStart, m[1], id.dashes || jdbc || url || connection);
    if (!isLiteralSecret(value.value, name, true)) return undefined;
    const kind = nameKind(name, value.value, (noun) => {
      if (jdbc) return `JDBC ${noun}`;
      if (url) return `${noun} in URL`;
      if (connection) return `connection-string ${noun}`;
      return id.dashes ? `${noun} argument` : `${noun} property`;
    });
    return { kind, start: value.start, end: value.end };
  },
};

/** `--password secret`: a credential flag followed by its value as the next word or argument. */
const nextArgument: Detector = {
  trigger: CREDENTIAL_WORD,
  pattern: new RegExp(`(?:${CREDENTIAL_WORD})[\\w.-]{0,${MAX_NAME}}(?![\\w.-])[ \\t]+(?=[^\\s-])`, 'gi'),
  priority: ASSIGNMENT,
  judge: (m, text) => {
    const id = identifierAt(text, m.index, m.index + m[0].search(/[ \t]/));
    if (id === undefined || !id.dashes) return undefined;
    const name = credentialName(id.name);
    if (name === undefined || FLAG_VERBS.has(name.words[0])) return undefined;
    const start = m.index + m[0].length;
    let end = start;
    while (end < text.length && end - start < MAX_SCAN && !/\s/.test(text[end])) end++;
    const value = unquote(text.slice(start, end));
    if (!isLiteralSecret(value, name, true)) return undefined;
    return { kind: nameKind(name, value, (noun) => `${noun} argument`), start, end };
  },
};

/** `{"name": "DB_PASSWORD", "value": "…"}` and `- name: DB_PASSWORD\n  value: …`: env lists inside a text (manifests, last-applied-configuration). */
function envPair(trigger: string, pattern: RegExp, quoted: boolean): Detector {
  return {
    trigger,
    pattern,
    priority: ENV_PAIR,
    judge: (m, text) => {
      const name = credentialName(m[1]);
      if (name === undefined) return undefined;
      const value = valueSpan(text, m.index + m[0].length - (quoted ? 1 : 0), ':', false);
      if (!isLiteralSecret(value.value, name, true)) return undefined;
      return { kind: nameKind(name, value.value, (noun) => `literal ${noun}`), start: value.start, end: value.end };
    },
  };
}

/** `<password>…</password>` (Maven settings.xml, …). */
const xmlElement: Detector = {
  trigger: 'pass|pwd|secret|token|credential|key|auth',
  pattern: /<((?=[A-Za-z_])[\w.:-]{0,64}?(?:pass|pwd|secret|token|credential|key|auth)[\w.-]{0,64})>([^<\n]{0,1024})<\/\1>/gi,
  priority: ASSIGNMENT,
  judge: (m) => {
    const name = credentialName(m[1]);
    if (name === undefined || !isLiteralSecret(m[2], name, true)) return undefined;
    const start = m.index + m[1].length + 2;
    return { kind: nameKind(name, m[2], (noun) => `${noun} property`), start, end: start + m[2].length };
  },
};

/** A GCP service account key file: the `private_key` of a JSON whose `type` is `service_account`. */
const gcpServiceAccount: Detector = {
  trigger: 'service_account',
  pattern: /"private_key"\s*:\s*"/g,
  priority: SHAPE,
  judge: (m, text) => {
    if (!/"type"\s*:\s*"service_account"/.test(text)) return undefined;
    const value = valueSpan(text, m.index + m[0].length - 1, ':', false);
    return value.value === '' ? undefined : { kind: 'GCP service account key', start: value.start, end: value.end };
  },
};

const DETECTORS: Detector[] = [
  shape('AWS access key id', 'akia|asia', /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g),
  shape('GitHub token', 'gh[pousr]_|github_pat_', /(?<![\w])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_\w{22,255})(?![\w])/g),
  shape('GitLab token', 'glpat-', /(?<![\w-])glpat-[\w-]{20,255}(?![\w-])/g),
  shape('Slack token', 'xox[baprs]-', /(?<![\w-])xox[baprs]-[A-Za-z0-9-]{10,255}/g),
  shape('Slack webhook URL', 'hooks\\.slack\\.com', /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/]{20,255}/g),
  shape('Stripe secret key', '[sr]k_live_', /(?<![\w])[sr]k_live_[A-Za-z0-9]{20,255}(?![A-Za-z0-9])/g),
  shape('Google API key', 'aiza', /(?<![\w-])AIza[\w-]{35}(?![\w-])/g),
  shape('npm token', 'npm_', /(?<![\w])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g),
  shape('SendGrid API key', 'sg\\.', /(?<![\w.])SG\.[\w-]{22}\.[\w-]{43}(?![\w-])/g),
  shape('Twilio API key', 'sk[0-9a-f]{32}', /(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])/g),
  shape('OpenAI-style API key', 'sk-', /(?<![\w-])sk-(?:proj-|ant-api\d\d-|svcacct-|admin-)?[\w-]{32,255}(?![\w-])/g, isRandom),
  shape('JWT', 'eyj', /(?<![\w-])eyJ[\w-]{5,4096}\.eyJ[\w-]{5,8192}\.[\w-]{8,4096}(?![\w-])/g),
  shape('PEM private key', '-----begin', /-----BEGIN [A-Z0-9 ]{0,32}PRIVATE KEY(?: BLOCK)?-----/g, undefined, PEM),
  shape('Docker registry credential', 'eyjhdxrocyi6', /(?<![\w+/])eyJhdXRocyI6[A-Za-z0-9+/]{16,}={0,2}/g),
  {
    trigger: '"auth"',
    pattern: /"auth"\s*:\s*"([A-Za-z0-9+/]{8,4096}={0,2})"/g,
    priority: SHAPE,
    judge: (m) => {
      if (!isBase64UserPassword(m[1])) return undefined;
      const start = m.index + m[0].length - 1 - m[1].length;
      return { kind: 'Docker registry credential', start, end: start + m[1].length };
    },
  },
  gcpServiceAccount,
  {
    trigger: 'accountkey|sharedaccesskey',
    pattern: /(?<![\w])(Account|SharedAccess)Key[ \t]*=[ \t]*([A-Za-z0-9+/]{20,1024}={0,2})/gi,
    priority: SHAPE,
    judge: (m) => {
      const start = m.index + m[0].length - m[2].length;
      const kind = m[1].toLowerCase() === 'account' ? 'Azure storage account key' : 'Azure shared access key';
      return { kind, start, end: start + m[2].length };
    },
  },
  {
    trigger: 'bearer',
    pattern: /(?<![\w])[Bb]earer[ \t]+([\w~+/.-]{16,4096}=*)/g,
    priority: HEADER,
    judge: (m) => {
      const token = m[1];
      if (!/\d/.test(token) || !/[A-Za-z]/.test(token)) return undefined;
      const start = m.index + m[0].length - token.length;
      return { kind: 'bearer token', start, end: start + token.length };
    },
  },
  {
    trigger: 'basic',
    pattern: /(?<![\w])[Bb]asic[ \t]+([A-Za-z0-9+/]{8,4096}={0,2})(?![\w+/=])/g,
    priority: HEADER,
    judge: (m) => {
      if (!isBase64UserPassword(m[1])) return undefined;
      const start = m.index + m[0].length - m[1].length;
      return { kind: 'Basic auth credential', start, end: start + m[1].length };
    },
  },
  // Any password in a URL's user info is one (even `80`), unless it is a placeholder or a mask.
  trailing('password in URL', '://', /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^/?#\s:@"<>]{0,256}:([^/?#\s@"<>]{1,256})@/gi, URL_PASSWORD, 1,
    (secret) => !URL_PLACEHOLDER.test(secret) && !MASK.test(secret)),
  // Well-known command-line forms; a generic `-p` is not one (`-p 8080`).
  trailing('password argument', 'mysql|mariadb', /\b(?:mysql\w*|mariadb[\w-]*)\b[^\n|;&]{0,512}?[ \t]-p((?!-)\S+)/g, TOOL),
  trailing('password argument', 'mongo', /\bmongo(?:sh|dump|restore|import|export|stat|top)?\b[^\n|;&]{0,512}?[ \t]-p[ \t]+((?!-)\S+)/g, TOOL),
  trailing('password argument', 'sshpass', /\bsshpass\b[^\n|;&]{0,512}?[ \t]-p[ \t]*((?!-)\S+)/g, TOOL),
  trailing('password argument', 'redis-cli', /\bredis-cli\b[^\n|;&]{0,512}?[ \t]-a[ \t]+((?!-)\S+)/g, TOOL),
  trailing('password argument', 'login',
    /\b(?:docker|podman|buildah|skopeo|nerdctl|oras|helm(?:[ \t]+registry)?)[ \t]+login\b[^\n|;&]{0,512}?[ \t]-p[ \t]+((?!-)\S+)/g, TOOL),
  trailing('password argument', 'curl|wget', /\b(?:curl|wget)\b[^\n|;&]{0,512}?[ \t](?:-u[ \t]*|--user[ \t=]+)["']?[^\s:"']{1,256}:([^\s"']+)/g, TOOL),
  trailing('password argument', 'pass:', /(?<![\w-])-pass(?:in|out)?[ \t]+["']?pass:(\S+)/g, TOOL),
  trailing('password property', 'requirepass|masterauth', /(?<![\w-])(?:requirepass|masterauth)[ \t]+(\S+)/g, TOOL),
  trailing('netrc password', 'machine', /\bmachine[ \t]+\S+(?:\s+(?:login|account)[ \t]+\S+){0,4}\s+password[ \t]+(\S+)/g, TOOL),
  assignment,
  nextArgument,
  xmlElement,
  envPair('"name"', /"name"\s*:\s*"([^"\\\n]{1,256})"\s*,\s*"value"\s*:\s*"/g, true),
  envPair('name:', /(?<![\w-])name:[ \t]*["']?([\w.-]{1,256})["']?[ \t]*\r?\n[ \t]*value:[ \t]*/g, false),
];

/** Detectors grouped by trigger; ANY_TRIGGER tells whether any applies, TRIGGERS[i] whether group i does. */
const TRIGGER_SOURCES: string[] = [];
const TRIGGER_GROUPS: Detector[][] = [];
for (const detector of DETECTORS) {
  const i = TRIGGER_SOURCES.indexOf(detector.trigger);
  if (i >= 0) {
    TRIGGER_GROUPS[i].push(detector);
  } else {
    TRIGGER_SOURCES.push(detector.trigger);
    TRIGGER_GROUPS.push([detector]);
  }
}
const ANY_TRIGGER = new RegExp(TRIGGER_SOURCES.join('|'), 'i');
const TRIGGERS = TRIGGER_SOURCES.map((source) => new RegExp(source, 'i'));

/** Shorter texts are judged by their name only. */
const MIN_LENGTH = 6;
/** At most this many credentials are reported per text (a hostile text could hold a million). */
const MAX_MATCHES = 256;

/** The detectors whose trigger occurs in the text. */
function triggered(text: string): Detector[] {
  // Most values trigger nothing: one test answers them. The others test each trigger on its own (one
  // alternation cannot tell all of them: `pass:` would hide `pass` at the same position).
  if (!ANY_TRIGGER.test(text)) return [];
  const detectors: Detector[] = [];
  TRIGGERS.forEach((trigger, i) => { if (trigger.test(text)) detectors.push(...TRIGGER_GROUPS[i]); });
  return detectors;
}

/** Runs the detectors; overlapping hits are resolved in favour of the more specific one. */
function detect(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const detector of triggered(text)) {
    const pattern = detector.pattern;
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (hits.length < 4 * MAX_MATCHES && (m = pattern.exec(text)) !== null) {
      const found = detector.judge(m, text);
      if (found !== undefined) hits.push({ ...found, priority: detector.priority });
      if (m[0].length === 0) pattern.lastIndex++;
    }
    pattern.lastIndex = 0;
  }
  if (hits.length < 2) return hits;
  hits.sort((a, b) => b.priority - a.priority || a.start - b.start);
  const kept: Hit[] = [];
  for (const hit of hits) {
    if (kept.length === MAX_MATCHES) break;
    if (!kept.some((k) => hit.start < Math.max(k.end, k.start + 1) && k.start < Math.max(hit.end, hit.start + 1))) kept.push(hit);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Finds the credentials in a text: an env literal, an annotation, an argument, a whole configuration file
 * (property files, YAML, JSON, .env, XML, scripts, connection strings), line by line. Reports each
 * credential's kind and position, never its value.
 *
 * Detected: tokens of known shape (AWS access key ids, GitHub, GitLab, Slack, Stripe, Google API, npm,
 * SendGrid, Twilio and `sk-…` API keys, JWTs, PEM private keys, GCP service account keys, Azure account
 * keys, Docker registry auths, Slack webhooks), `Bearer`/`Basic` credentials, passwords in URLs
 * (`scheme://user:pass@`, `?password=`), JDBC/ODBC/ADO passwords, credential properties (`db.password=…`,
 * `password: …`, `"token": "…"`, `<password>…</password>`, `aws_secret_access_key = …`), credential flags
 * (`--password=…`, `--token …`, `mysql -p…`, `curl -u user:pass`, `sshpass -p`, `redis-cli -a`,
 * `docker login -p`), env entries inside manifests, and — when `context.name` names a credential — the
 * literal single-line value itself.
 *
 * Not credentials: placeholders (`$(VAR)`, `${VAR}`, `{{ … }}`, `<password>`), masks, booleans, numbers
 * and durations (except a password of 4+ digits), file paths (a mounted secret), secret-manager references,
 * and names whose head word is not a credential (`TOKEN_TTL`, `PASSWORD_FILE`, `SECRET_NAME`).
 */
export function findCredentials(text: string, context?: CredentialContext): CredentialMatch[] {
  if (typeof text !== 'string') return [];
  const hits = text.length >= MIN_LENGTH ? detect(text) : [];
  const multiline = text.includes('\n');
  if (hits.length === 0) {
    const name = typeof context?.name === 'string' ? credentialName(context.name) : undefined;
    const value = text.trim();
    if (name === undefined || value.includes('\n') || !isLiteralSecret(value, name)) return [];
    const offset = text.length - text.trimStart().length;
    const kind = nameKind(name, value, (noun) => `literal ${noun}`);
    return [multiline ? { kind, offset, line: lineAt(text, offset) } : { kind, offset }];
  }
  if (!multiline) return hits.map((hit) => ({ kind: hit.kind, offset: hit.start }));
  let line = 1;
  let scanned = 0;
  return hits.map((hit) => {
    for (let i = text.indexOf('\n', scanned); i >= 0 && i < hit.start; i = text.indexOf('\n', i + 1)) line++;
    scanned = hit.start;
    return { kind: hit.kind, offset: hit.start, line };
  });
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Finds the credentials in a command line (`command` + `args`, or an exec probe's command), with flags and
 * their values in separate arguments (`["--password", "…"]`) as well as whole shell scripts (`sh -c "…"`).
 * Offsets and lines are relative to the argument holding the secret. Non-string arguments are ignored.
 */
export function findCredentialsInArgs(args: readonly unknown[]): ArgCredentialMatch[] {
  if (!Array.isArray(args) || args.length === 0) return [];
  const parts = args.map((arg) => (typeof arg === 'string' ? arg : typeof arg === 'number' ? String(arg) : ''));
  const starts: number[] = [];
  let position = 0;
  for (const part of parts) {
    starts.push(position);
    position += part.length + 1;
  }
  return findCredentials(parts.join(' ')).map((match) => {
    let index = starts.length - 1;
    while (index > 0 && starts[index] > match.offset) index--;
    const part = parts[index];
    const offset = match.offset - starts[index];
    return part.includes('\n') ? { kind: match.kind, offset, line: lineAt(part, offset), index } : { kind: match.kind, offset, index };
  });
}

/** Whether a literal value carries a credential that must live in a Secret (by its content alone; see `findCredentials`). */
export function isCredentialValue(value: string): boolean {
  return findCredentials(value).length > 0;
}

/** The kind with its article: `an AWS access key id`, `a JWT`, `an npm token`. */
export function describeCredentialKind(kind: string): string {
  return `${/^(?:[aeio]|AWS\b|API\b|npm\b|SSH\b|HTTP|LDAP\b|RSA\b)/i.test(kind) ? 'an' : 'a'} ${kind}`;
}

/** A match for messages, never with the value: `an AWS access key id at offset 12`, `a JDBC password on line 3`. */
export function describeCredential(match: CredentialMatch): string {
  const where = match.line !== undefined ? `on line ${match.line}` : `at offset ${match.offset}`;
  return `${describeCredentialKind(match.kind)} ${where}`;
}

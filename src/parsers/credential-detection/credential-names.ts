// Credential names: which variable, key, header and flag names denote a credential, and what kind.


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
export const FLAG_VERBS = new Set([
  'no', 'ask', 'prompt', 'skip', 'use', 'show', 'print', 'require', 'allow', 'enable', 'disable', 'generate', 'rotate', 'reset',
  'change', 'check', 'verify', 'validate', 'with', 'without', 'create', 'delete', 'remove', 'get', 'list', 'read', 'write',
]);

/** What a credential name denotes. */
export interface CredentialName {
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
export function credentialName(name: string): CredentialName | undefined {
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

/** Names that denote a credential: PASSWORD, PASSWD, TOKEN, SECRET, API_KEY, PRIVATE_KEY, CREDENTIALS, … */
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** A URL with a password in its user-info part, e.g. `mongodb://user:pass@host`. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

/** Whether a variable or key name denotes a credential. */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

/** Whether a literal value carries a credential that must live in a Secret. */
export function isCredentialValue(value: string): boolean {
  return URL_WITH_PASSWORD.test(value);
}

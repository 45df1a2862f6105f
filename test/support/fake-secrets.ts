// Realistic but fake secrets for the credential detector's tests. Token-shaped ones are assembled from
// parts so that secret scanners reading the sources do not take them for leaks; AWS's documented example
// key is used as it is.

const join = (...parts: string[]) => parts.join('');
const ALNUM36 = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

/** One fake secret of every shape the detector knows. */
export const FAKE = {
  awsKeyId: 'AKIAIOSFODNN7EXAMPLE',
  awsTempKeyId: join('AS', 'IA', 'Y34FZKBOKMUTVV7A'),
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  github: join('gh', 'p_', ALNUM36),
  githubOauth: join('gh', 'o_', ALNUM36),
  githubApp: join('gh', 's_', ALNUM36),
  githubPat: join('github', '_pat_', '11ABCDEFG0', 'abcdefghijkl_', 'mnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefgh'),
  gitlab: join('gl', 'pat-', 'xY3zAb9Cd8Ef7Gh6Ij5K'),
  slack: join('xo', 'xb-', '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'),
  slackWebhook: join('https://hooks.', 'slack.com/services/', 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'),
  stripe: join('sk', '_live_', '4eC39HqLyjWDarjtT1zdp7dc'),
  stripeRestricted: join('rk', '_live_', '4eC39HqLyjWDarjtT1zdp7dc'),
  google: join('AI', 'za', 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'),
  npm: join('np', 'm_', ALNUM36),
  sendgrid: join('SG', '.', 'ngeVfQFYQlKU0ufo8x5d1A', '.', 'TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr'),
  twilio: join('S', 'K', '0123456789abcdef0123456789abcdef'),
  openai: join('sk', '-proj-', 'Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7j'),
  jwt: join('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0', '.',
    'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'),
  password: 'Tr0ub4dor&3x',
  basic: Buffer.from('admin:Tr0ub4dor&3x').toString('base64'),
  bearer: 'b7f3c2a1d4e5f60718293a4b5c6d7e8f',
  azureKey: join('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq', '/K1SZFPTOtr/KBHBeksoGMGw=='),
};

/** The body of a fake PEM block. */
export const PEM_BODY = 'MIIEowIBAAKCAQEAz1bCd4fGh7jAb3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jA';

/** A fake PEM block with the label, e.g. `RSA PRIVATE KEY` or `CERTIFICATE`. */
export function pem(label: string): string {
  return `-----BEGIN ${label}-----\n${PEM_BODY}\n-----END ${label}-----\n`;
}

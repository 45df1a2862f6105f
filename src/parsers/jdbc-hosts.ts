// The hosts and ports of a JDBC URL, read leniently, for judging manifests that are already written (the policy rules):
// a URL this does not understand gives no hosts, never an error. (FlywayMigrationJob's own reading of the URL it is
// given, which refuses credentials and odd forms, is constructs/data/jdbc-url.ts.)

/** The ports drivers use when the URL names none. */
const DEFAULT_PORTS: { readonly [subprotocol: string]: number } = { postgresql: 5432, mysql: 3306, mariadb: 3306, sqlserver: 1433, oracle: 1521 };

/** One host of a JDBC URL. */
export interface JdbcEndpoint {
  /** The host as written, without IPv6 brackets, lower case. */
  readonly host: string;
  /** The port (the driver's default when the URL names none). */
  readonly port: number;
}

/**
 * The hosts of `jdbc:<driver>://[user@]host[:port][,host[:port]…][/…]` (MySQL's `[h1:3306,h2:3306]` list and
 * `[IPv6]:port` too; SQL Server's `host\instance` and `;` parameters) and of Oracle's thin `@host:port:SID` and
 * `@//host:port/service`; undefined for anything else (connect descriptors, a port out of range, a host with odd
 * characters, a driver without a default port and a host without one).
 */
export function jdbcEndpoints(url: unknown): JdbcEndpoint[] | undefined {
  if (typeof url !== 'string') return undefined;
  const match = /^jdbc:([a-z][a-z0-9]*)(?::[a-z][a-z0-9-]*)*:(.*)$/i.exec(url.trim());
  if (!match) return undefined;
  const subprotocol = match[1].toLowerCase();
  let rest = match[2];
  if (subprotocol === 'oracle') {
    const at = rest.indexOf('@');
    if (at < 0) return undefined;
    rest = rest.slice(at + 1);
    const service = rest.startsWith('//');
    if (service) rest = rest.slice(2);
    // host:port:SID — the third part is the SID; //host:port/service — the path is the service.
    const hostPort = service ? rest.split(/[/?]/)[0] : rest.replace(/^(\[[^\]]*\]|[^:]*)(:[^:]*)?(:.*)?$/, '$1$2');
    const endpoint = endpointOf(hostPort, DEFAULT_PORTS.oracle);
    return endpoint ? [endpoint] : undefined;
  }
  if (!rest.startsWith('//')) return undefined;
  let authority = rest.slice(2);
  const end = authorityEnd(authority);
  authority = authority.slice(0, end);
  authority = authority.slice(authority.lastIndexOf('@') + 1);
  if (/^\[.*\]$/.test(authority) && authority.includes(',')) authority = authority.slice(1, -1);
  const endpoints: JdbcEndpoint[] = [];
  for (const part of authority.split(',')) {
    const endpoint = endpointOf(subprotocol === 'sqlserver' ? part.replace(/\\[^:]*/, '') : part, DEFAULT_PORTS[subprotocol]);
    if (!endpoint) return undefined;
    endpoints.push(endpoint);
  }
  return endpoints.length ? endpoints : undefined;
}

/** Where the authority ends: the first `/`, `?`, `;` or `#` outside brackets. */
function authorityEnd(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 0 && '/?;#'.includes(c)) return i;
  }
  return text.length;
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`. */
function endpointOf(text: string, defaultPort: number | undefined): JdbcEndpoint | undefined {
  const m = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_.-]+))(?::([0-9]{1,5}))?$/i.exec(text.trim());
  if (!m) return undefined;
  const port = m[3] !== undefined ? Number(m[3]) : defaultPort;
  if (port === undefined || port < 1 || port > 65535) return undefined;
  return { host: (m[1] ?? m[2]).toLowerCase().replace(/\.$/, ''), port };
}

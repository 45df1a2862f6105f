import { k8s } from 'cdk8s-plus-27';
import { inputError, quote } from '../../core/errors';
import { namespaceNamed } from '../../core/labels';
import { validateDnsLabel, validateDnsSubdomain } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkString } from '../../core/prop-checks';
import { hostCidr, validateExternalAddress } from '../../k8s/addresses';
import { parseIp } from '../../k8s/cidr';
import { canonicalHostname, specialHostname } from '../../k8s/hostnames';
import { validatePort } from '../../k8s/ports';
import { describeCredential, findCredentials } from '../../parsers/credentials';

/** The ports drivers use when the URL names none. */
const DEFAULT_PORTS: { [subprotocol: string]: number } = { postgresql: 5432, mysql: 3306, mariadb: 3306, sqlserver: 1433, oracle: 1521 };

/** The fix of every credential refusal. */
const CREDENTIAL_FIX = 'keep user and password in the credentials Secret (FLYWAY_USER and FLYWAY_PASSWORD come from it) and remove them from the URL';

/**
 * Parameter names that carry a secret, judged on the lower-case name: `password`, `sslpassword`,
 * `keyStorePassword`, `passwd`, `pwd`, `pass`, `passphrase`, `accessToken`, `clientSecret`, … — by how the
 * name ends, so `passwordCharacterEncoding` (MySQL) is none.
 */
const CREDENTIAL_PARAMETER = /(?:password|passwd|passphrase|secret|token|credentials?|apikey|api_key|accesskey|privatekey|private_key)$|^(?:pwd|pass)$/;

/**
 * Parameters that choose the destination in place of, or besides, the host of the URL (SQL Server's
 * `serverName`/`portNumber`/`instanceName`/`failoverPartner`, pgJDBC's `PGHOST`/`PGPORT`, MySQL's `host`):
 * the NetworkPolicy is built from the URL's hosts, so these are refused rather than half-honoured.
 */
const DESTINATION_PARAMETERS = new Set(['servername', 'server', 'portnumber', 'port', 'instancename', 'failoverpartner', 'pghost', 'pgport', 'host', 'hostname']);

/** One database endpoint of a JDBC URL. */
export interface JdbcHost {
  /** The host as written. */
  readonly written: string;
  /** The canonical host: an address in canonical text, or a lower-case name without a trailing dot. */
  readonly host: string;
  /** The port (the driver's default when the URL names none). */
  readonly port: number;
  /** The address, when the host is an IP literal. */
  readonly ip?: ReturnType<typeof validateExternalAddress>;
  /**
   * The Service, when the host names one: `name` (the job's namespace) or `name.ns.svc[.cluster.local]`.
   */
  readonly service?: { readonly name: string; readonly namespace?: string };
}

/** What a JDBC URL connects to, once it is known to carry no credentials. */
export interface JdbcTarget {
  /** The driver, e.g. `postgresql`. */
  readonly subprotocol: string;
  /** Every host of the URL (several for failover and load-balancing URLs). */
  readonly hosts: JdbcHost[];
}

/**
 * Reads a JDBC URL: refuses credentials in any syntax (without echoing them), then finds every host and
 * port and judges each host as DNS and the network would (canonical form; loopback, metadata services,
 * the API server and addresses in disguise refused).
 *
 * @param where the construct, for errors
 * @param url the URL (checked to be a string)
 * @param external whether hosts outside the cluster are allowed (the user passed a database egress target)
 */
export function parseJdbcUrl(where: string, url: unknown, external: boolean): JdbcTarget {
  const text = checkString(where, 'jdbcUrl', url);
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(text)) {
    throw inputError(where, 'jdbcUrl contains a blank, a line break or a control character', 'write the URL on one line without blanks (percent-encode a blank as %20)');
  }
  refuseCredentials(where, text);
  const match = /^jdbc:([a-z][a-z0-9]*)((?::[a-z][a-z0-9-]*)*):(.*)$/i.exec(text);
  if (!match) throw malformed(where, 'it does not start with jdbc:<driver>:');
  const subprotocol = match[1].toLowerCase();
  const rest = match[3];
  const hosts = subprotocol === 'oracle' ? oracleHosts(where, rest) : authorityHosts(where, subprotocol, rest);
  refuseDestinationParameters(where, text);
  return { subprotocol, hosts: hosts.map((h) => judgeHost(where, subprotocol, h.host, h.port, external)) };
}

/** The NetworkPolicy egress rules to the hosts of a JDBC URL: an address as /32 or /128, a Service as the pods of its namespace. */
export function jdbcEgressRules(where: string, target: JdbcTarget): Plain<k8s.NetworkPolicyEgressRule>[] {
  const rules = new Map<string, Plain<k8s.NetworkPolicyEgressRule>>();
  for (const host of target.hosts) {
    const ports = [{ protocol: 'TCP', port: host.port }];
    let rule: Plain<k8s.NetworkPolicyEgressRule>;
    if (host.ip) {
      rule = { to: [{ ipBlock: { cidr: hostCidr(host.ip).text } }], ports };
    } else if (host.service) {
      const namespace = host.service.namespace;
      rule = { to: [namespace ? { namespaceSelector: namespaceNamed(namespace), podSelector: {} } : { podSelector: {} }], ports };
    } else {
      throw inputError(
        where,
        `the database host ${quote(host.written)} is not an IP address or a Service name, and a NetworkPolicy cannot match DNS names`,
        `pass databaseEgress: EgressTarget.cidr('<database address>/32', { tcp: [${host.port}] })`,
      );
    }
    // One rule per host and port: a rule with several peers and ports would allow every pairing of them.
    rules.set(JSON.stringify(rule), rule);
  }
  return [...rules.values()];
}

// ---------------------------------------------------------------------------------------------------
// Credentials

/** Percent-decodes what decodes (drivers decode names and values; a stray `%` stays). */
function percentDecode(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Refuses a URL that carries a credential: a `user:password@` user-info part, Oracle's `user/password@`,
 * a credential parameter in any syntax (`?password=`, `&password=`, `;password=`, `;PWD=`,
 * `(host=…,password=…)`, `sslpassword=`, …), also percent-encoded, and whatever the shared credential
 * detector finds (tokens, keys, PEM blocks). Names the position and kind, never the value.
 */
function refuseCredentials(where: string, url: string): void {
  // Drivers decode percent-encoding once; decoding twice also catches `%2570assword`.
  const once = percentDecode(url);
  const twice = percentDecode(once);
  const variants: Array<[string, string]> = [[url, ''], [once, ' (percent-encoded)'], [twice, ' (percent-encoded twice)']];
  for (const [text, encoded] of variants) {
    if (encoded !== '' && text === url) continue;
    const found = credentialIn(text);
    if (found) {
      throw inputError(where, `jdbcUrl carries ${found}${encoded}, which would be written into the manifest in clear text`, CREDENTIAL_FIX);
    }
  }
  for (const [text, encoded] of variants) {
    const matches = findCredentials(text, { name: 'FLYWAY_URL' });
    if (matches.length) {
      throw inputError(where, `jdbcUrl holds ${describeCredential(matches[0])}${encoded}, which would be written into the manifest in clear text`, CREDENTIAL_FIX);
    }
  }
}

/** The description of a `user:password@` part. */
const USER_INFO = 'a password in its user-info part (user:password@; percent-encode an "@" in the path as %40)';
/** What ends a `user:password` run before an `@`, looking back: path, list, bracket and parameter separators. */
const USER_INFO_SEPARATORS = new Set(['/', ',', '(', ')', '[', ']', '=', '@']);

/** Where a (decoded) URL carries a credential, described without its value; undefined when it carries none. */
function credentialIn(url: string): string | undefined {
  const oracle = /^jdbc:oracle:[a-z0-9]+:([^@]*)@/i.exec(url);
  if (oracle && oracle[1].includes('/')) return 'a password in Oracle\'s user/password@ prefix';
  // The user-info of an authority: between `//` and the last `@` before the parameters.
  const slashes = url.indexOf('//');
  if (slashes >= 0) {
    const end = firstIndex(url, ['?', ';', '#'], slashes + 2);
    const at = url.lastIndexOf('@', end - 1);
    if (at > slashes) {
      const userInfo = url.slice(slashes + 2, at);
      if (userInfo.includes(':') || userInfo.includes('/')) return USER_INFO;
    }
  }
  // `user:password@` anywhere after the driver name, with or without `//` (jdbc:postgresql:/admin:pw@db,
  // jdbc:postgresql:admin:pw@db, a password holding `?` or `#`, …): the text before each `@`, back to the
  // driver name or a separator, holding a colon with something after it. Oracle's `thin:@` is its syntax.
  const start = (/^jdbc:oracle:[a-z0-9]+:/i.exec(url) ?? /^jdbc:[^:]*:/i.exec(url))?.[0].length ?? 0;
  for (let at = url.indexOf('@', start); at >= 0; at = url.indexOf('@', at + 1)) {
    let from = at;
    while (from > start && !USER_INFO_SEPARATORS.has(url[from - 1])) from--;
    const run = url.slice(from, at);
    const colon = run.indexOf(':');
    if (colon >= 0 && run.slice(colon + 1).replace(/:/g, '') !== '') return USER_INFO;
  }
  // `:` too: DB2 and Informix write properties after the database (jdbc:db2://h:50000/db:password=…;).
  const parameter = /(?:^|[?&;(,:])[ \t]*([A-Za-z0-9_.-]{1,128})[ \t]*=/g;
  let m: RegExpExecArray | null;
  while ((m = parameter.exec(url)) !== null) {
    if (CREDENTIAL_PARAMETER.test(m[1].toLowerCase())) return `the ${quote(m[1])} parameter`;
  }
  return undefined;
}

function firstIndex(text: string, characters: string[], from: number): number {
  let end = text.length;
  for (const c of characters) {
    const i = text.indexOf(c, from);
    if (i >= 0 && i < end) end = i;
  }
  return end;
}

function refuseDestinationParameters(where: string, url: string): void {
  const parameter = /(?:[?&;])[ \t]*([A-Za-z0-9_.-]{1,128})[ \t]*=/g;
  let m: RegExpExecArray | null;
  const decoded = percentDecode(url);
  while ((m = parameter.exec(decoded)) !== null) {
    if (DESTINATION_PARAMETERS.has(m[1].toLowerCase())) {
      throw inputError(
        where,
        `jdbcUrl sets the ${quote(m[1])} parameter, which chooses the database host or port besides the one in the URL, and the NetworkPolicy would not match it`,
        'write the host and port in the URL itself (e.g. jdbc:sqlserver://mssql:1433;databaseName=mydb) and remove the parameter',
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Hosts

interface HostSpec {
  readonly host: string;
  readonly port?: number;
}

/**
 * A URL that does not parse. No error of this file quotes the URL (an unparsed URL may hold a credential
 * in a syntax nobody foresaw): each names the part that is wrong, and quotes at most a host it has read.
 */
function malformed(where: string, reason: string) {
  return inputError(where, `jdbcUrl is not of the form jdbc:<driver>://<host>[:<port>]/<database>: ${reason}`, 'e.g. jdbc:postgresql://postgresql:5432/mydb');
}

/** `jdbc:oracle:thin:@host:port:SID`, `@host:port/service`, `@//host:port/service`; descriptors are refused. */
function oracleHosts(where: string, rest: string): HostSpec[] {
  const at = rest.indexOf('@');
  if (at < 0) throw inputError(where, 'jdbcUrl names no Oracle host after "@"', 'e.g. jdbc:oracle:thin:@//oracle:1521/ORCLPDB1');
  let address = rest.slice(at + 1);
  if (address.startsWith('(')) {
    throw inputError(
      where,
      'jdbcUrl is an Oracle connect descriptor (DESCRIPTION=(ADDRESS=…)), whose hosts the NetworkPolicy cannot be derived from',
      'write the EZConnect form jdbc:oracle:thin:@//<host>:<port>/<service>',
    );
  }
  if (address.startsWith('//')) address = address.slice(2);
  const end = firstIndex(address, ['/', '?'], 0);
  const hostPort = address.slice(0, end);
  // host:port:SID — the third part is the SID, not a host.
  const bracket = /^(\[[^\]]*\])(?::([^:]*))?(?::[^:]*)?$/.exec(hostPort);
  const plain = /^([^:[\]]*)(?::([^:]*))?(?::[^:]*)?$/.exec(hostPort);
  const parts = bracket ?? plain;
  if (!parts || parts[1] === '') throw malformed(where, 'the Oracle address after "@" is not host[:port][:SID] or //host[:port]/service');
  return [{ host: parts[1], port: port(where, parts[1], parts[2]) }];
}

/** `jdbc:<driver>://<hosts>[/…][?…]` (and SQL Server's `jdbc:sqlserver://host[\instance][:port][;…]`). */
function authorityHosts(where: string, subprotocol: string, rest: string): HostSpec[] {
  if (!rest.startsWith('//')) throw malformed(where, 'no "//" follows the driver name');
  const body = rest.slice(2);
  const end = authorityEnd(body);
  let authority = body.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority === '') {
    throw inputError(where, 'jdbcUrl names no host', 'write the host in the URL, e.g. jdbc:postgresql://postgresql:5432/mydb');
  }
  // MySQL writes a list of hosts in brackets: jdbc:mysql://[h1:3306,h2:3306]/db.
  if (/^\[.*\]$/.test(authority) && (authority.includes(',') || !parseIp(authority.slice(1, -1)))) authority = authority.slice(1, -1);
  return splitTopLevel(authority).map((spec) => hostSpec(where, subprotocol, spec));
}

/** Where the authority ends: the first `/`, `?`, `;` or `#` outside brackets and parentheses. */
function authorityEnd(body: string): number {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === '/' || c === '?' || c === ';' || c === '#')) return i;
  }
  return body.length;
}

/** Splits a host list at the commas outside brackets and parentheses. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '[' || c === '(') {depth++;} else if (c === ']' || c === ')') {depth = Math.max(0, depth - 1);} else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts;
}

function hostSpec(where: string, subprotocol: string, spec: string): HostSpec {
  if (spec === '') throw inputError(where, 'jdbcUrl has an empty host in its host list', 'remove the extra comma');
  if (spec.startsWith('(') || /^address=/i.test(spec)) {
    throw inputError(
      where,
      'jdbcUrl names a host in MySQL\'s key-value form (host=…,port=…), which this construct does not read',
      'write each host as host:port, e.g. jdbc:mysql://mysql-0.mysql:3306,mysql-1.mysql:3306/mydb',
    );
  }
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(spec);
  if (bracket) return { host: `[${bracket[1]}]`, port: port(where, `[${bracket[1]}]`, bracket[2]) };
  const colon = spec.indexOf(':');
  const host = colon >= 0 ? spec.slice(0, colon) : spec;
  const portText = colon >= 0 ? spec.slice(colon + 1) : undefined;
  if (subprotocol === 'sqlserver' && host.includes('\\')) {
    if (portText === undefined) {
      throw inputError(
        where,
        `jdbcUrl names a SQL Server instance on ${quote(host.slice(0, host.indexOf('\\')))} without a port: the driver asks the SQL Server Browser (UDP 1434) for it, which the NetworkPolicy does not allow`,
        'write the instance\'s port, e.g. jdbc:sqlserver://mssql\\\\INST1:1433;databaseName=mydb',
      );
    }
    return { host: host.slice(0, host.indexOf('\\')), port: port(where, host, portText) };
  }
  return { host, port: port(where, host, portText) };
}

/** The port after a host; what is written there is not quoted (after `user:` it would be a password). */
function port(where: string, host: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^[0-9]{1,5}$/.test(text)) {
    throw inputError(where, `jdbcUrl has a port after the host ${quote(host)} that is not a number`, 'write the port as digits, e.g. :5432');
  }
  return validatePort(where, 'the JDBC port', Number(text));
}

/** Judges one host: an address, a Service of the cluster, or (with a database egress target) a name outside it. */
function judgeHost(where: string, subprotocol: string, written: string, given: number | undefined, external: boolean): JdbcHost {
  // Errors below quote the host: only once it is made of what hosts are made of (a password never reaches here
  // through a syntax this file reads, but one it does not read could put one in the host's place).
  if (!/^[A-Za-z0-9._%:[\]-]*$/.test(written)) {
    throw inputError(
      where,
      'jdbcUrl has a host with characters no host name or address has (value not shown)',
      'write each host as a name of letters, digits, "-" and ".", an IPv4 address or an IPv6 address in brackets',
    );
  }
  const defaultPort = DEFAULT_PORTS[subprotocol];
  if (given === undefined && defaultPort === undefined) {
    throw inputError(where, `jdbcUrl names no port for ${quote(written)}, and ${subprotocol} has no known default`, 'write the port, e.g. jdbc:<driver>://host:<port>/db');
  }
  const portNumber = given ?? defaultPort;
  if (written.includes('%')) {
    throw inputError(where, `the JDBC host ${quote(written)} is percent-encoded`, 'write the host name or address itself');
  }
  if (written.startsWith('[')) {
    const inner = written.slice(1, -1);
    if (!inner.includes(':') || !parseIp(inner)) {
      throw inputError(where, `the JDBC host ${quote(written)} is not an IPv6 address in brackets`, 'write an IPv6 address as [fd00::5] or a host name without brackets');
    }
    const ip = validateExternalAddress(where, inner);
    return { written, host: ip.text, port: portNumber, ip };
  }
  if (parseIp(written)) {
    const ip = validateExternalAddress(where, written);
    return { written, host: ip.text, port: portNumber, ip };
  }
  if (written === '' || /\.\./.test(written) || written.startsWith('.')) {
    throw inputError(where, `the JDBC host ${quote(written)} has an empty label`, 'remove the extra dots, e.g. postgresql.data.svc');
  }
  const canonical = canonicalHostname(written);
  validateDnsSubdomain(where, 'the JDBC host', canonical);
  const special = specialHostname(canonical);
  if (special && !special.inCluster) {
    throw inputError(where, `the JDBC host ${quote(written)} is ${special.what}, not a database`, 'point jdbcUrl at the database\'s Service name or address');
  }
  const absolute = written.endsWith('.');
  const labels = canonical.split('.');
  if (labels.length === 1 && !absolute) {
    return { written, host: canonical, port: portNumber, service: { name: validateDnsLabel(where, 'the JDBC host (a Service name)', canonical) } };
  }
  const service = /^([^.]+)\.([^.]+)\.svc(\.cluster\.local)?$/.exec(canonical);
  if (service && (!absolute || service[3])) {
    return {
      written,
      host: canonical,
      port: portNumber,
      service: { name: validateDnsLabel(where, 'the JDBC host\'s Service name', service[1]), namespace: validateDnsLabel(where, 'the JDBC host\'s namespace', service[2]) },
    };
  }
  if (special?.inCluster || (absolute && (labels.length === 1 || service))) {
    throw inputError(
      where,
      absolute
        ? `the JDBC host ${quote(written)} ends in a dot: an absolute name is not looked up in the cluster's search domains, so it does not reach a Service`
        : `the JDBC host ${quote(written)} is inside the cluster but not a Service name of the form <name>.<namespace>.svc`,
      'write <service> (same namespace), <service>.<namespace>.svc or <service>.<namespace>.svc.cluster.local',
    );
  }
  if (!external) {
    const twoLabels = labels.length === 2;
    throw inputError(
      where,
      twoLabels
        ? `the database host ${quote(written)} may be a Service (<name>.<namespace>) or a host outside the cluster, and a NetworkPolicy cannot match DNS names`
        : `the database host ${quote(written)} is not an IP address or a Service name, and a NetworkPolicy cannot match DNS names`,
      twoLabels
        ? `write ${canonical}.svc for a Service, or pass databaseEgress: EgressTarget.cidr('<database address>/32', { tcp: [${portNumber}] }) for a host outside the cluster`
        : `pass databaseEgress: EgressTarget.cidr('<database address>/32', { tcp: [${portNumber}] })`,
    );
  }
  return { written, host: canonical, port: portNumber };
}

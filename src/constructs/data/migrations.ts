import { createHash } from 'crypto';
import { Dirent, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'fs';
import * as path from 'path';
import { inputError, quote } from '../../core/errors';
import { checkString } from '../../core/prop-checks';
import { validateImage } from '../../parsers/image';

/** The most a ConfigMap can hold (1 MiB), less room for its metadata. */
export const CONFIG_MAP_BUDGET_BYTES = 1024 * 1024 - 16 * 1024;

/** The longest ConfigMap key the API server accepts. */
const MAX_KEY_LENGTH = 253;

const VERSIONED = /^V([0-9]+(?:[._][0-9]+)*)__([A-Za-z0-9][A-Za-z0-9_.-]*)\.sql$/;
const REPEATABLE = /^R__([A-Za-z0-9][A-Za-z0-9_.-]*)\.sql$/;
/** A per-script configuration Flyway reads beside a migration (`V1__x.sql.conf`: encoding, executeInTransaction, …). */
const SCRIPT_CONFIG = /^(.+\.sql)\.conf$/;
const DIRECTORY_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

const NAMING_FIX = 'rename it, e.g. V1__add_table_car.sql or V1.1__add_index.sql (a capital V, the version, two underscores, a description, .sql)';

/** One file of a migrations tree. */
interface MigrationFile {
  /** The path below the migrations directory, with `/` between segments. */
  readonly rel: string;
  /** The file name. */
  readonly name: string;
  /** The directory below the migrations directory ('' for the top level). */
  readonly dir: string;
  /** The content, exactly as the file holds it (a UTF-8 byte order mark included). */
  readonly content: string;
}

/** What a Flyway job mounts or runs for its migrations. */
type LoadedMigrations = {
  /** The image that carries the migrations (image migrations). */
  readonly image?: string;
  /** The ConfigMap data: key → SQL (directory migrations). */
  readonly files: { [key: string]: string };
  /** Where each key is mounted, when some files live in subdirectories (a ConfigMap key cannot hold `/`). */
  readonly items?: Array<{ key: string; path: string }>;
  /** A digest of everything that makes up the migrations. */
  readonly digest: string;
};

/** Where a Flyway job finds its migrations. */
export class Migrations {
  /**
   * The SQL files of a directory and its subdirectories (Flyway scans `filesystem:` locations recursively),
   * read and checked at synth: names `V<version>__<description>.sql` or `R__<description>.sql` (a
   * `<migration>.sql.conf` script configuration beside its migration is kept too), no duplicate versions
   * (compared as Flyway compares them) or repeatable descriptions, UTF-8 content (kept byte for byte), no
   * literal role passwords, no hidden files, links only to files inside the directory, and a total size a
   * ConfigMap can hold. Files in subdirectories are mounted at the same relative paths.
   */
  public static fromDirectory(directory: string): Migrations {
    const absolute = typeof directory === 'string' ? path.resolve(directory) : undefined;
    return new Migrations((where) => loadDirectory(where, absolute ?? checkString(where, 'migrations directory (Migrations.fromDirectory)', directory)));
  }

  /** A Flyway image with the migrations baked in under /flyway/sql, pinned like any image. */
  public static fromImage(image: string): Migrations {
    return new Migrations((where) => {
      const reference = checkString(where, 'the migrations image (Migrations.fromImage)', image);
      validateImage(where, reference);
      return { image: reference, files: {}, digest: createHash('sha256').update(reference).digest('hex') };
    });
  }

  private constructor(private readonly load: (where: string) => LoadedMigrations) {}

  /**
   * Reads and checks the migration files (directory migrations); checks the image (image migrations).
   * @internal
   */
  public _load(where: string): LoadedMigrations {
    return this.load(where);
  }
}

function loadDirectory(where: string, directory: string): LoadedMigrations {
  let root: string;
  try {
    root = realpathSync(directory);
    if (!statSync(root).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error: any) {
    throw inputError(where, `migrations directory ${quote(directory)} cannot be read (${error.code ?? error.message})`, 'pass the folder that holds the V<version>__<description>.sql files');
  }
  const found: MigrationFile[] = [];
  walk(where, root, '', found);
  found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  if (!found.some((f) => !SCRIPT_CONFIG.test(f.name))) {
    throw inputError(where, `migrations directory ${quote(directory)} has no migrations`, 'add V1__<description>.sql, or point at the right folder');
  }
  checkNames(where, found);

  const nested = found.some((f) => f.dir !== '');
  const files: { [key: string]: string } = {};
  const items: Array<{ key: string; path: string }> = [];
  let total = 0;
  for (const file of found) {
    // Top-level files keep their name as the key; a file in a subdirectory gets a key that starts with a
    // lower-case hex digest of its directory, which no top-level name (V…, R…) can start with.
    const key = file.dir === '' ? file.name : `${createHash('sha256').update(file.dir).digest('hex').slice(0, 12)}.${file.name}`;
    if (key.length > MAX_KEY_LENGTH) {
      throw inputError(where, `migration file ${quote(file.rel)} has a name too long for a ConfigMap key (${key.length} > ${MAX_KEY_LENGTH} characters)`, 'shorten its description');
    }
    if (files[key] !== undefined) {
      throw inputError(where, `migration files in ${quote(file.dir)} and another directory map to the same ConfigMap key`, 'rename one of the directories');
    }
    files[key] = file.content;
    items.push({ key, path: file.rel });
    total += Buffer.byteLength(file.content) + key.length + (nested ? file.rel.length : 0);
  }
  if (total > CONFIG_MAP_BUDGET_BYTES) {
    throw inputError(
      where,
      `the migrations in ${quote(directory)} total ${total} bytes, more than a ConfigMap holds (${CONFIG_MAP_BUDGET_BYTES})`,
      'bake them into an image FROM flyway/flyway and use Migrations.fromImage(...)',
    );
  }
  const digest = createHash('sha256');
  for (const file of found) digest.update(file.rel).update('\0').update(file.content).update('\0');
  return { files, items: nested ? items : undefined, digest: digest.digest('hex') };
}

/** Reads a directory tree: every entry is a migration (or its script configuration), a directory, or refused. */
function walk(where: string, root: string, dir: string, found: MigrationFile[]): void {
  const absolute = dir === '' ? root : path.join(root, ...dir.split('/'));
  let entries: Dirent[];
  try {
    entries = readdirSync(absolute, { withFileTypes: true });
  } catch (error: any) {
    throw inputError(where, `migrations directory ${quote(dir || '.')} cannot be read (${error.code ?? error.message})`, 'make it readable');
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    const full = path.join(absolute, entry.name);
    if (entry.name.startsWith('.')) {
      throw inputError(
        where,
        `migrations entry ${quote(rel)} is hidden (Flyway skips hidden directories but reads hidden files, so its fate would depend on what it is)`,
        'remove it, or move it out of the migrations directory',
      );
    }
    let stat = lstatSync(full);
    let source = full;
    if (stat.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(full);
      } catch (error: any) {
        throw inputError(where, `migrations entry ${quote(rel)} is a link that leads nowhere (${error.code ?? error.message})`, 'remove the link or restore its target');
      }
      if (target !== root && !target.startsWith(root + path.sep)) {
        throw inputError(
          where,
          `migrations entry ${quote(rel)} is a link out of the migrations directory`,
          'copy the file into the migrations directory (a link out of it would mount whatever it points at)',
        );
      }
      stat = statSync(target);
      if (stat.isDirectory()) {
        throw inputError(where, `migrations entry ${quote(rel)} is a link to a directory`, 'move the files into a real subdirectory (a linked directory would be read twice, or loop)');
      }
      source = target;
    }
    if (stat.isDirectory()) {
      if (!DIRECTORY_NAME.test(entry.name)) {
        throw inputError(where, `migrations subdirectory ${quote(rel)} has a name other than letters, digits, "_", "-" and "."`, 'rename it, e.g. "2024" or "tables"');
      }
      walk(where, root, rel, found);
      continue;
    }
    if (!stat.isFile()) {
      throw inputError(where, `migrations entry ${quote(rel)} is not a regular file`, 'keep only the SQL files in the migrations directory');
    }
    found.push({ rel, name: entry.name, dir, content: readUtf8(where, rel, source) });
  }
}

/** The text of a file that must be UTF-8 (what Flyway reads by default and all a ConfigMap holds); never rewritten. */
function readUtf8(where: string, rel: string, file: string): string {
  const bytes = readFileSync(file);
  try {
    // ignoreBOM keeps a byte order mark in the text: the mounted file is byte for byte the one on disk
    // (Flyway skips the mark when it reads a migration and when it computes its checksum).
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw inputError(
      where,
      `migration file ${quote(rel)} is not valid UTF-8 (Flyway reads migrations as UTF-8, and a ConfigMap holds UTF-8 text only)`,
      'convert it to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8); it is never converted for you, because that would change its checksum',
    );
  }
}

/** Checks the names of the files: migrations Flyway runs, versions and descriptions unique, no literal credentials. */
function checkNames(where: string, files: MigrationFile[]): void {
  const versions = new Map<string, string>();
  const descriptions = new Map<string, string>();
  const present = new Set(files.map((f) => f.rel));
  for (const file of files) {
    const config = SCRIPT_CONFIG.exec(file.name);
    if (config) {
      const migration = file.dir === '' ? config[1] : `${file.dir}/${config[1]}`;
      if (!present.has(migration) || !(VERSIONED.test(config[1]) || REPEATABLE.test(config[1]))) {
        throw inputError(where, `script configuration ${quote(file.rel)} has no migration ${quote(migration)} beside it`, 'remove it, or add the migration it configures');
      }
      continue;
    }
    const versioned = VERSIONED.exec(file.name);
    const repeatable = REPEATABLE.exec(file.name);
    if (!versioned && !repeatable) {
      throw inputError(where, `migration file ${quote(file.rel)} is not named V<version>__<description>.sql or R__<description>.sql${namingHint(file.name)}`, NAMING_FIX);
    }
    if (versioned) {
      const version = normalizeVersion(versioned[1]);
      const other = versions.get(version);
      if (other !== undefined) {
        throw inputError(where, `migration files ${quote(other)} and ${quote(file.rel)} have the same version ${version}`, 'give each versioned migration its own version');
      }
      versions.set(version, file.rel);
    } else {
      // Flyway names a repeatable migration by its description, with `_` read as a blank.
      const description = repeatable![1].replace(/_/g, ' ');
      const other = descriptions.get(description);
      if (other !== undefined) {
        throw inputError(where, `repeatable migrations ${quote(other)} and ${quote(file.rel)} have the same description`, 'give each repeatable migration its own description');
      }
      descriptions.set(description, file.rel);
    }
    const line = literalPasswordLine(file.content);
    if (line !== undefined) {
      throw inputError(
        where,
        `migration file ${quote(file.rel)} sets a literal password (or password hash) on line ${line}, which would be written into the ConfigMap in clear text`,
        'set role passwords outside the migrations (e.g. by whatever creates the role from a Secret), or use a Flyway placeholder such as \'${app_password}\'',
      );
    }
  }
}

/**
 * SQL that sets a password: `[ENCRYPTED] PASSWORD '…'` (PostgreSQL `CREATE/ALTER ROLE|USER`), `WITH PASSWORD
 * = '…'` (SQL Server `CREATE/ALTER LOGIN|USER`) and `IDENTIFIED BY [PASSWORD] '…'` (MySQL, MariaDB, Oracle;
 * Oracle's also unquoted). A hash is refused too: PostgreSQL md5 and MySQL native hashes authenticate as well
 * as the password. Flyway placeholders (`${…}`) and empty passwords are not literals. The generic credential
 * detector reads `password = NULL` in an UPDATE as a credential and misses these forms, so SQL gets its own
 * check, which looks at role statements only (an application's `password` column is none of its business).
 */
const SQL_PASSWORD = /\bPASSWORD[ \t]+N?'([^'\n]*)'|\bWITH[ \t]+PASSWORD[ \t]*=[ \t]*N?'([^'\n]*)'|\bIDENTIFIED[ \t]+BY(?:[ \t]+PASSWORD)?[ \t]+(?:'([^'\n]*)'|"([^"\n]*)"|([A-Za-z][\w$#]*))/gi;

/** The 1-based line of the first literal password the SQL sets, if any. */
function literalPasswordLine(sql: string): number | undefined {
  SQL_PASSWORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SQL_PASSWORD.exec(sql)) !== null) {
    const value = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5];
    // (Oracle's `IDENTIFIED BY VALUES '…'` sets a hash, which is refused like a password.)
    if (value !== '' && !value.includes('${')) {
      SQL_PASSWORD.lastIndex = 0;
      return sql.slice(0, m.index).split('\n').length;
    }
  }
  return undefined;
}

/** Why a name that looks like a migration is not one Flyway runs (prefixes and suffixes are case-sensitive). */
function namingHint(name: string): string {
  if (/\.sql$/i.test(name) && !name.endsWith('.sql')) return ': Flyway matches the suffix .sql case-sensitively and would skip it';
  if (/^[vr][0-9_]/.test(name)) return ': Flyway matches the prefixes V and R case-sensitively and would skip it';
  if (/^V[0-9]+(?:[._][0-9]+)*_(?!_)/.test(name)) return ': the version and the description are separated by two underscores';
  if (/^U[0-9]/.test(name)) return ': undo migrations need Flyway Teams, and this job only migrates';
  if (/^V[^0-9]/.test(name) || /^V[0-9._]*__$/.test(name.replace(/\.sql$/, ''))) return ': the version is digits separated by "." or "_", and a description follows';
  return '';
}

/**
 * A version as Flyway compares it (MigrationVersion: `_` read as `.`, each part a BigInteger, trailing zero
 * parts dropped): `1`, `1.0`, `1_0` and `01` are the same version; parts of any length compare exactly.
 */
function normalizeVersion(version: string): string {
  const parts = version.split(/[._]/).map((p) => p.replace(/^0+(?=[0-9])/, ''));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}

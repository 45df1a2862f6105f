import { createHash } from 'crypto';
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { inputError, quote, validateImage } from '../baseline';

/** The most a ConfigMap can hold (1 MiB), less room for its metadata. */
export const CONFIG_MAP_BUDGET_BYTES = 1024 * 1024 - 16 * 1024;

const VERSIONED = /^V([0-9]+(?:[._][0-9]+)*)__([A-Za-z0-9][A-Za-z0-9_.-]*)\.sql$/;
const REPEATABLE = /^R__([A-Za-z0-9][A-Za-z0-9_.-]*)\.sql$/;

/** Kinds of migration sources. */
export enum MigrationsKind {
  /** SQL files read at synth and mounted from a ConfigMap. */
  DIRECTORY = 'directory',
  /** SQL files baked into a Flyway image. */
  IMAGE = 'image',
}

/** Where a Flyway job finds its migrations. */
export class Migrations {
  /**
   * The SQL files of a directory, read and checked at synth: names `V<version>__<description>.sql` or
   * `R__<description>.sql`, no duplicate versions, and a total size a ConfigMap can hold.
   */
  public static fromDirectory(directory: string): Migrations {
    return new Migrations(MigrationsKind.DIRECTORY, path.resolve(directory));
  }

  /** A Flyway image with the migrations baked in under /flyway/sql, pinned like any image. */
  public static fromImage(image: string): Migrations {
    return new Migrations(MigrationsKind.IMAGE, image);
  }

  private constructor(
    /** Directory or image. */
    public readonly kind: MigrationsKind,
    /** The absolute directory, or the image reference. */
    public readonly source: string,
  ) {}

  /**
   * Reads and checks the migration files (directory migrations); checks the image (image migrations).
   * @internal
   */
  public _load(where: string): { files: { [name: string]: string }; digest: string } {
    if (this.kind === MigrationsKind.IMAGE) {
      validateImage(where, this.source);
      return { files: {}, digest: createHash('sha256').update(this.source).digest('hex') };
    }
    let names: string[];
    try {
      names = readdirSync(this.source).filter((name) => statSync(path.join(this.source, name)).isFile()).sort();
    } catch (error: any) {
      throw inputError(where, `migrations directory ${quote(this.source)} cannot be read (${error.code ?? error.message})`, 'pass the folder that holds the V<version>__<description>.sql files');
    }
    if (names.length === 0) {
      throw inputError(where, `migrations directory ${quote(this.source)} has no files`, 'add V1__<description>.sql, or point at the right folder');
    }
    const versions = new Map<string, string>();
    const files: { [name: string]: string } = {};
    let total = 0;
    for (const name of names) {
      const versioned = VERSIONED.exec(name);
      if (!versioned && !REPEATABLE.test(name)) {
        throw inputError(
          where,
          `migration file ${quote(name)} is not named V<version>__<description>.sql or R__<description>.sql`,
          'rename it, e.g. V1__add_table_car.sql or V1.1__add_index.sql (two underscores after the version)',
        );
      }
      if (versioned) {
        const version = normalizeVersion(versioned[1]);
        const other = versions.get(version);
        if (other) {
          throw inputError(where, `migration files ${quote(other)} and ${quote(name)} have the same version ${version}`, 'give each versioned migration its own version');
        }
        versions.set(version, name);
      }
      files[name] = readFileSync(path.join(this.source, name), 'utf8');
      total += Buffer.byteLength(files[name]) + name.length;
    }
    if (total > CONFIG_MAP_BUDGET_BYTES) {
      throw inputError(
        where,
        `the migrations in ${quote(this.source)} total ${total} bytes, more than a ConfigMap holds (${CONFIG_MAP_BUDGET_BYTES})`,
        'bake them into an image FROM flyway/flyway and use Migrations.fromImage(...)',
      );
    }
    const digest = createHash('sha256');
    for (const name of names) digest.update(name).update('\0').update(files[name]).update('\0');
    return { files, digest: digest.digest('hex') };
  }
}

/** Flyway compares versions numerically and ignores trailing zeros: 1, 1.0 and 1_0 are the same version. */
function normalizeVersion(version: string): string {
  const parts = version.split(/[._]/).map((p) => String(Number(p)));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}

import { PostgresDatabase } from "./postgres-database";
import { SqliteDatabase } from "./sqlite-database";
import type { Database, DialectName } from "./types";

// DATABASE_URL chooses the database: `file:` → SQLite (the embedded default), `postgres://` or
// `postgresql://` → PostgreSQL. Anything else is a configuration error, said plainly at start-up.

export function dialectOf(url: string): DialectName {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL), got ${JSON.stringify(url.slice(0, 24))}`);
}

export interface OpenOptions {
  /** PostgreSQL connections in this process's pool. */
  poolSize?: number;
  /** SQLite: run WAL checkpoints on a thread of their own (default on for files). */
  checkpointThread?: boolean;
}

export function openDatabase(url: string, opts: OpenOptions = {}): Database {
  return dialectOf(url) === "sqlite" ? new SqliteDatabase(url, { checkpointThread: opts.checkpointThread }) : new PostgresDatabase(url, { poolSize: opts.poolSize });
}

import BetterSqlite3 from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { startCheckpointer, type Checkpointer } from "./checkpointer";
import { isNamedValues, isoTime } from "./sql-dialect";
import { SqliteGroupCommitter } from "./sqlite-group-commit";
import { RetryableConflict, type Database, type Params, type Queryable, type RunResult, type TransactionOptions, type Tx } from "./types";

// SQLite, the embedded default: one writer connection whose transactions are group-committed, and one
// reader connection for reads outside a transaction that arrive while a group is open (in WAL mode it sees
// only committed data and never waits for the writer). Prepared statements are cached per connection.

export function sqliteFilePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}

/** Bytes of WAL after which a commit checkpoints inline: only when the checkpoint thread is behind. */
const SAFETY_NET_AUTOCHECKPOINT_BYTES = 256 * 1024 * 1024;
/** Bytes of WAL after which a commit checkpoints inline when no checkpoint thread runs. */
const AUTOCHECKPOINT_BYTES = 16 * 1024 * 1024;

/**
 * Page size of a database this app creates (ADR 0039). A commit appends every page it dirtied to the WAL, two
 * writes each; an import's orders land at random places in the external-id and name indexes, so each batch dirties
 * about as many index pages as it has orders. 16 KiB pages make a quarter of the pages (and write calls) for the
 * same rows: a 100k-line Amazon import's commits took 0.78 s instead of 1.45 s. An existing file keeps its size.
 */
export const SQLITE_PAGE_SIZE = 16_384;

export function openSqliteConnection(file: string, opts: { walAutocheckpointBytes?: number } = {}): BetterSqlite3.Database {
  // A short busy wait: it blocks the event loop, so longer waits happen in the committer's async retries.
  const conn = new BetterSqlite3(file, { timeout: 50 });
  conn.pragma(`page_size = ${SQLITE_PAGE_SIZE}`); // before anything is written; a no-op on an existing database
  conn.pragma("journal_mode = WAL");
  conn.pragma("synchronous = NORMAL");
  conn.pragma("foreign_keys = ON");
  conn.pragma("cache_size = -65536"); // 64 MiB of pages: the hot indexes stay in memory
  conn.pragma("mmap_size = 268435456"); // reads straight from the page cache of the OS
  conn.pragma("temp_store = MEMORY");
  const pageSize = conn.pragma("page_size", { simple: true }) as number;
  conn.pragma(`wal_autocheckpoint = ${Math.ceil((opts.walAutocheckpointBytes ?? AUTOCHECKPOINT_BYTES) / pageSize)}`); // unless a checkpoint thread runs
  return conn;
}

/** Values SQLite cannot bind, made bindable: booleans as 1/0, dates as ISO text. Copies only when one needs it. */
function bindable(params: Params): Params {
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (needsConversion(v) || (i === 0 && isNamedValues(v) && namedNeedConversion(v))) return params.map(convert);
  }
  return params;
}

const needsConversion = (v: unknown) => typeof v === "boolean" || v instanceof Date;

function namedNeedConversion(named: Record<string, unknown>): boolean {
  for (const key in named) if (needsConversion(named[key])) return true;
  return false;
}

function convertValue(v: unknown): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return isoTime(v);
  return v;
}

function convert(v: unknown, i: number): unknown {
  if (i === 0 && isNamedValues(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convertValue(x)]));
  return convertValue(v);
}

class Statements implements Queryable {
  readonly dialect = "sqlite" as const;
  private readonly cache = new Map<string, BetterSqlite3.Statement>();
  constructor(readonly conn: BetterSqlite3.Database) {}

  prepared(text: string): BetterSqlite3.Statement {
    let s = this.cache.get(text);
    if (!s) this.cache.set(text, (s = this.conn.prepare(text)));
    return s;
  }

  all<T>(text: string, ...params: Params): Promise<T[]> {
    try {
      return Promise.resolve(this.prepared(text).all(...bindable(params)) as T[]);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  get<T>(text: string, ...params: Params): Promise<T | undefined> {
    try {
      return Promise.resolve(this.prepared(text).get(...bindable(params)) as T | undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  run(text: string, ...params: Params): Promise<RunResult> {
    try {
      return Promise.resolve({ changes: this.prepared(text).run(...bindable(params)).changes });
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

export class SqliteDatabase implements Database {
  readonly dialect = "sqlite" as const;
  private readonly writer: Statements;
  private readonly reader: Statements;
  private readonly committer: SqliteGroupCommitter;
  private readonly checkpointer: Checkpointer | undefined;
  private retries = 0;

  constructor(
    readonly url: string,
    opts: { checkpointThread?: boolean; groupBudgetMs?: number } = {},
  ) {
    const file = sqliteFilePath(url);
    const memory = file === ":memory:" || file === "";
    const threaded = opts.checkpointThread ?? !memory;
    if (!memory) mkdirSync(path.dirname(path.resolve(file)), { recursive: true }); // a fresh deployment: the folder may not exist yet
    this.writer = new Statements(openSqliteConnection(file, { walAutocheckpointBytes: threaded ? SAFETY_NET_AUTOCHECKPOINT_BYTES : undefined }));
    this.reader = memory ? this.writer : new Statements(openSqliteConnection(file));
    this.reader.conn.pragma("query_only = ON");
    if (memory) this.writer.conn.pragma("query_only = OFF");
    this.committer = new SqliteGroupCommitter(this.writer.conn, this.writer as Tx, undefined, opts.groupBudgetMs);
    this.checkpointer = threaded ? startCheckpointer(file) : undefined;
  }

  /** The writer's better-sqlite3 connection: for migrations and tests that inspect SQLite itself. */
  get connection(): BetterSqlite3.Database {
    return this.writer.conn;
  }

  all<T>(text: string, ...params: Params): Promise<T[]> {
    return this.readConnection().all<T>(text, ...params);
  }

  get<T>(text: string, ...params: Params): Promise<T | undefined> {
    return this.readConnection().get<T>(text, ...params);
  }

  /**
   * Reads outside a transaction: on the writer connection while no group is open (its page cache stays warm:
   * a second connection drops its whole cache whenever the writer commits, and re-reads every page it
   * touches), on the reader connection while one is (so a read never sees a group half-done). A statement
   * here completes synchronously, so it cannot straddle the start of a group.
   */
  private readConnection(): Statements {
    return this.writer.conn.inTransaction ? this.reader : this.writer;
  }

  run(text: string, ...params: Params): Promise<RunResult> {
    return this.transaction((tx) => tx.run(text, ...params));
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.committer.run(fn, opts.urgent);
      } catch (error) {
        // One writer: a conflict means something outside this connection (another process) moved the data.
        if (!(error instanceof RetryableConflict) || Date.now() - started > (opts.timeoutMs ?? 10_000)) throw error;
        this.retries += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
      }
    }
  }

  async readSnapshot<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    if (this.reader === this.writer) return this.transaction(fn); // one in-memory connection: the writer's lock gives the snapshot
    const snapshot = new Statements(openSqliteConnection(sqliteFilePath(this.url)));
    try {
      snapshot.conn.exec("BEGIN");
      return await fn(snapshot);
    } finally {
      if (snapshot.conn.inTransaction) snapshot.conn.exec("COMMIT");
      snapshot.conn.close();
    }
  }

  async exec(script: string): Promise<void> {
    await this.committer.drain();
    const conn = this.writer.conn;
    conn.exec("BEGIN IMMEDIATE");
    try {
      conn.exec(script);
      conn.exec("COMMIT");
    } catch (error) {
      if (conn.inTransaction) conn.exec("ROLLBACK");
      throw error;
    }
  }

  stats(): Record<string, number> {
    return { ...this.committer.stats, retries: this.retries };
  }

  async close(): Promise<void> {
    await this.committer.drain();
    await this.checkpointer?.stop();
    if (this.reader !== this.writer) this.reader.conn.close();
    this.writer.conn.close();
  }
}

import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { env } from "../env";
import { startCheckpointer, type Checkpointer } from "./checkpointer";
import { sqliteFilePath } from "./client";

// The hot-path SQL connection (webhook inbox, order intake, reservations, backorders). Prisma's client
// engine costs ~1 ms a statement here (measured: 173 reservations/s); prepared statements on
// better-sqlite3 cost microseconds. The SQL is portable (quoted identifiers, ON CONFLICT), so a
// PostgreSQL driver can implement the same repository functions. See docs/decisions/0004-hot-path-sql.md.
//
// Rule that keeps the two connections safe in one process: Prisma never holds a write transaction open
// across an await (no interactive $transaction that writes). Transactions here are synchronous, so the
// event loop never sees one half-done.

export type Sql = Database.Database;

let conn: Sql | undefined;
let connUrl: string | undefined;
let checkpointer: Checkpointer | undefined;
const statements = new WeakMap<Sql, Map<string, Database.Statement>>();

export function sql(): Sql {
  const url = env().DATABASE_URL;
  if (!conn || connUrl !== url) {
    void checkpointer?.stop();
    conn?.close();
    conn = openSql(url, { walAutocheckpoint: SAFETY_NET_AUTOCHECKPOINT });
    connUrl = url;
    checkpointer = startCheckpointer(sqliteFilePath(url));
  }
  return conn;
}

/** Pages of WAL after which a commit checkpoints inline: only when the checkpoint thread is behind. */
const SAFETY_NET_AUTOCHECKPOINT = 16_000;

export function openSql(url: string, opts: { walAutocheckpoint?: number } = {}): Sql {
  // A short busy wait: it blocks the event loop, so longer waits happen in `immediate`'s async retries.
  const db = new Database(sqliteFilePath(url), { timeout: 50 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("cache_size = -65536"); // 64 MiB of pages: the hot indexes stay in memory
  db.pragma("mmap_size = 268435456"); // reads straight from the page cache of the OS
  db.pragma("temp_store = MEMORY");
  db.pragma(`wal_autocheckpoint = ${opts.walAutocheckpoint ?? 4000}`); // ~16 MiB of WAL unless a checkpoint thread runs
  return db;
}

export function closeSql(): void {
  void checkpointer?.stop();
  checkpointer = undefined;
  conn?.close();
  conn = undefined;
  connUrl = undefined;
}

/** A cached prepared statement for this connection (statements with IN lists are cached once per list length). */
export function stmt(db: Sql, text: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let prepared = cache.get(text);
  if (!prepared) cache.set(text, (prepared = db.prepare(text)));
  return prepared;
}

/**
 * Run `fn` in a BEGIN IMMEDIATE transaction (the write lock is taken before the first read). When the
 * database is busy (another process, or a Prisma statement of this one mid-await), yield to the event
 * loop and try again — for up to `timeoutMs` — instead of blocking it.
 */
export async function immediate<T>(db: Sql, fn: () => T, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return db.transaction(fn).immediate();
    } catch (error) {
      const busy = (error as { code?: string }).code === "SQLITE_BUSY";
      if (!busy || Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
    }
  }
}

/** Time as Prisma's SQLite adapter stores it, so string comparisons stay ordered across both. */
export function sqlTime(date: Date = new Date()): string {
  return date.toISOString().replace("Z", "+00:00");
}

export function fromSqlTime(value: string | null): Date | null {
  return value ? new Date(value) : null;
}

// Row ids: time-ordered, then a per-process random part and a counter (unique across processes
// without paying for fresh randomness on every row).
const PROCESS_PART = randomBytes(6).toString("hex");
let counter = 0;

export function newId(): string {
  counter = (counter + 1) % 0x1000000;
  return `c${Date.now().toString(36)}${PROCESS_PART}${counter.toString(36).padStart(5, "0")}`;
}

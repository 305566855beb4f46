import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { env } from "../env";
import { startCheckpointer, type Checkpointer } from "./engine/checkpointer";
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
 * A statement whose text depends only on how many rows it carries (a multi-row INSERT … VALUES): prepared
 * once per connection and row count, and found again without building or hashing its text on each call.
 */
export class MultiRowStatement {
  private readonly byConnection = new WeakMap<Sql, Database.Statement[]>();
  constructor(private readonly text: (rows: number) => string) {}

  for(db: Sql, rows: number): Database.Statement {
    let prepared = this.byConnection.get(db);
    if (!prepared) this.byConnection.set(db, (prepared = []));
    return (prepared[rows] ??= db.prepare(this.text(rows)));
  }
}

/** `row` repeated `rows` times, comma-separated: the VALUES list of a multi-row statement. */
export function repeatRow(row: string, rows: number): string {
  return Array.from({ length: rows }, () => row).join(",");
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
export function sqlTime(date?: Date): string {
  const ms = date ? date.getTime() : Date.now();
  if (ms !== lastTime.ms) lastTime = { ms, text: new Date(ms).toISOString().replace("Z", "+00:00") }; // formatted once per millisecond
  return lastTime.text;
}

let lastTime = { ms: NaN, text: "" };

/** The UTC calendar day of `date` as YYYY-MM-DD (a location's daily load is counted per day). */
export function utcDay(date: Date): string {
  const day = Math.floor(date.getTime() / 86_400_000);
  if (day !== lastDay.day) lastDay = { day, text: date.toISOString().slice(0, 10) };
  return lastDay.text;
}

let lastDay = { day: NaN, text: "" };

export function fromSqlTime(value: string | null): Date | null {
  return value ? new Date(value) : null;
}

// Row ids: time-ordered, then a per-process random part and a counter (unique across processes
// without paying for fresh randomness on every row).
const PROCESS_PART = randomBytes(6).toString("hex");
const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
let counter = 0;
let idTime = { ms: NaN, prefix: "" };

export function newId(): string {
  counter = (counter + 1) % 0x1000000; // < 36^5: five base-36 digits
  const ms = Date.now();
  if (ms !== idTime.ms) idTime = { ms, prefix: `c${ms.toString(36)}${PROCESS_PART}` };
  let n = counter;
  let digits = "";
  for (let i = 0; i < 5; i++, n = Math.floor(n / 36)) digits = BASE36[n % 36] + digits;
  return idTime.prefix + digits;
}

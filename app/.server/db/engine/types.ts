// The data-access port: one interface over SQLite (embedded default) and PostgreSQL (scale). SQL is written
// once, in the portable subset both run (ADR 0007): quoted identifiers, `?` placeholders (plus `@name` for a
// value a multi-row statement shares), ON CONFLICT upserts, RETURNING, CASE instead of scalar MAX/MIN.
// The few real differences are fragments on `Dialect` (sql-dialect.ts).

export type DialectName = "sqlite" | "postgres";

/**
 * Statement parameters: positional values, optionally preceded by one object of named values (`@name` in
 * the text). Dates are written as UTC ISO text, booleans as the dialect's truth values.
 */
export type Params = unknown[];

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/** Anything statements can run on: a transaction, or the database outside one (reads only). */
export interface Queryable {
  readonly dialect: DialectName;
  all<T = Record<string, unknown>>(text: string, ...params: Params): Promise<T[]>;
  get<T = Record<string, unknown>>(text: string, ...params: Params): Promise<T | undefined>;
  run(text: string, ...params: Params): Promise<RunResult>;
}

/**
 * A write transaction. Its function must be a database function: its only effects are its statements and
 * its return value, because it may run again (after a serialization failure or deadlock on PostgreSQL, or
 * a group-commit replay on SQLite). Enqueues, HTTP calls and cache writes happen after it resolves.
 */
export type Tx = Queryable;

export interface TransactionOptions {
  /** How long to keep retrying a busy database, a serialization failure or a deadlock. Default 10 s. */
  timeoutMs?: number;
  /**
   * Someone is waiting on the other end (a webhook's 200): on SQLite the unit goes into the next group ahead
   * of background work (jobs), so acks stay fast while jobs fill the groups. No effect on PostgreSQL.
   */
  urgent?: boolean;
}

export interface Database extends Queryable {
  readonly url: string;
  /**
   * Run `fn` atomically. On SQLite units arriving in the same tick share one commit (group commit); on
   * PostgreSQL each runs on a pooled connection in its own transaction, retried on conflicts.
   * Outside a transaction, `run` is a one-statement transaction and `all`/`get` read committed data.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * Reads that must agree with each other (one consistent snapshot), without holding up writers: an audit or
   * a report. SQLite: a read transaction on a connection of its own; PostgreSQL: REPEATABLE READ, READ ONLY.
   */
  readSnapshot<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Run a script of several statements (DDL) in one transaction: migrations and test set-up only. */
  exec(script: string): Promise<void>;
  /** Numbers for tests and benchmarks (commits, units, retries). */
  stats(): Record<string, number>;
  close(): Promise<void>;
}

/**
 * Thrown inside a transaction when what it read changed before it wrote (a guarded update found less
 * stock than the read said): the transaction is rolled back and run again from the start.
 */
export class RetryableConflict extends Error {
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = "RetryableConflict";
  }
}

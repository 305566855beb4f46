import pg from "pg";
import { isNamedValues, isoTime, toPostgresText, type PostgresText } from "./sql-dialect";
import { RetryableConflict, type Database, type Params, type Queryable, type RunResult, type TransactionOptions, type Tx } from "./types";

// PostgreSQL, for several app and worker processes: a connection pool; each transaction on one pooled
// connection at READ COMMITTED, rolled back and run again on a serialization failure, a deadlock, a
// unique-key race, or a RetryableConflict its function throws. Statements are prepared once per connection
// (named by their text). Values read back look as they do on SQLite: 64-bit integers and numerics as JS
// numbers, timestamps as ISO text.

const OID = { int8: 20, numeric: 1700, timestamptz: 1184, timestamp: 1114 } as const;
const parseTimestamptz = pg.types.getTypeParser(OID.timestamptz) as (text: string) => Date;

const PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: (text) => Number(text), // counts, sums and ledger ids stay far below 2^53
  [OID.numeric]: (text) => Number(text),
  [OID.timestamptz]: (text) => isoTime(parseTimestamptz(text)),
};

const TYPES = {
  getTypeParser: ((oid: number, format?: string) => PARSERS[oid] ?? pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/** Error codes after which the whole transaction is run again. */
const RETRYABLE_CODES = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "23505", // unique_violation: two transactions inserted the same natural key at once; the rerun sees the winner
]);
const MAX_UNIQUE_RETRIES = 3;

/**
 * A write transaction plans each prepared statement once per connection (ADR 0007). PostgreSQL otherwise
 * re-plans a statement whose generic plan it estimates dearer than a custom one on every execution: the
 * multi-row writes (`unnest` of array parameters, estimated at 10 rows each without their values) were
 * planned afresh each time, 0.4 ms of planning for a 0.15 ms reservation. Sent with BEGIN in one message:
 * no round trip more. Reads outside transactions (pages, reports) keep PostgreSQL's own choice.
 */
const BEGIN_WRITE = "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan";

interface Translated extends PostgresText {
  name: string;
}

const translated = new Map<string, Translated>();
let statementCount = 0;

function translate(text: string): Translated {
  let t = translated.get(text);
  if (!t) translated.set(text, (t = { ...toPostgresText(text), name: `oms_${++statementCount}` }));
  return t;
}

function values(t: Translated, params: Params): unknown[] {
  let positional = params;
  let named: Record<string, unknown> | undefined;
  if (t.names.length > 0) {
    if (!isNamedValues(params[0])) throw new Error(`Statement expects named values (${t.names.join(", ")}) first`);
    named = params[0];
    positional = params.slice(1);
  }
  if (positional.length !== t.positional) throw new RangeError(`Statement expects ${t.positional} positional values, got ${positional.length}`);
  const out = positional.map(pgValue);
  if (named) for (const name of t.names) out.push(pgValue(named[name]));
  return out;
}

function pgValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return isoTime(v);
  if (Buffer.isBuffer(v)) return v.toString("utf8"); // request bodies kept as text (no bytea columns)
  if (typeof v === "bigint") return v.toString();
  return v;
}

type Runner = Pick<pg.PoolClient, "query">;

class PgQueries implements Queryable {
  readonly dialect = "postgres" as const;
  constructor(private readonly runner: Runner) {}

  private async query(text: string, params: Params): Promise<pg.QueryResult> {
    const t = translate(text);
    return this.runner.query({ name: t.name, text: t.text, values: values(t, params) });
  }

  async all<T>(text: string, ...params: Params): Promise<T[]> {
    return (await this.query(text, params)).rows as T[];
  }

  async get<T>(text: string, ...params: Params): Promise<T | undefined> {
    return (await this.query(text, params)).rows[0] as T | undefined;
  }

  async run(text: string, ...params: Params): Promise<RunResult> {
    return { changes: (await this.query(text, params)).rowCount ?? 0 };
  }
}

export interface PostgresOptions {
  /** Connections in this process's pool (DATABASE_POOL_SIZE). */
  poolSize?: number;
}

export class PostgresDatabase implements Database {
  readonly dialect = "postgres" as const;
  readonly pool: pg.Pool;
  private readonly direct: PgQueries;
  private readonly counters = { transactions: 0, retries: 0, deadlocks: 0, serialization: 0, unique: 0, conflicts: 0 };

  constructor(
    readonly url: string,
    opts: PostgresOptions = {},
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, types: TYPES, options: "-c TimeZone=UTC" });
    this.pool.on("error", (error) => console.warn(`[db] idle PostgreSQL connection failed: ${error.message}`));
    this.direct = new PgQueries(this.pool);
  }

  all<T>(text: string, ...params: Params): Promise<T[]> {
    return this.direct.all<T>(text, ...params);
  }

  get<T>(text: string, ...params: Params): Promise<T | undefined> {
    return this.direct.get<T>(text, ...params);
  }

  run(text: string, ...params: Params): Promise<RunResult> {
    return this.direct.run(text, ...params);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const started = Date.now();
    let uniqueRetries = 0;
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(BEGIN_WRITE);
        const result = await fn(new PgQueries(client));
        await client.query("COMMIT");
        this.counters.transactions += 1;
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          broken = rollbackError as Error; // the connection is unusable: the pool drops it
        }
        const reason = retryReason(error);
        if (reason === "unique" && ++uniqueRetries > MAX_UNIQUE_RETRIES) throw error;
        if (!reason || Date.now() - started > (opts.timeoutMs ?? 10_000)) throw error;
        this.counters.retries += 1;
        this.counters[reason] += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
      } finally {
        client.release(broken);
      }
    }
  }

  async readSnapshot<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const result = await fn(new PgQueries(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(script: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query(`BEGIN;\n${script}\n;COMMIT;`);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  stats(): Record<string, number> {
    return { ...this.counters, poolTotal: this.pool.totalCount, poolIdle: this.pool.idleCount, poolWaiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function retryReason(error: unknown): "deadlocks" | "serialization" | "unique" | "conflicts" | undefined {
  if (error instanceof RetryableConflict) return "conflicts";
  const code = (error as { code?: string }).code;
  if (!code || !RETRYABLE_CODES.has(code)) return undefined;
  return code === "40P01" ? "deadlocks" : code === "40001" ? "serialization" : "unique";
}

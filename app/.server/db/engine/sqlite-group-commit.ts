import type BetterSqlite3 from "better-sqlite3";
import type { Tx } from "./types";

// Group commit on SQLite: units of work that arrive in the same tick share one BEGIN IMMEDIATE … COMMIT.
// A unit that throws rolls back alone and rejects only its own caller; the rest commit together. Under
// load this turns N commits into one without making anyone wait longer than the tick they arrived in.
//
// Units are async functions over a `Tx`, but every statement on this connection completes synchronously:
// awaiting it costs a microtask, never an event-loop turn. So a group runs start to finish within one
// macrotask and nothing else reaches the connection meanwhile (other code reads through a separate
// connection, and other writes queue for the next group).
//
// Optimistic: a group first runs its units one after another with no savepoint between them. A savepoint
// per unit made SQLite copy every page a unit touched into the sub-journal (~10 % of a reservation's time;
// ADR 0004, session 5). If a unit throws, that run is rolled back whole and the units up to and including
// the failed one run again, each in its own SAVEPOINT, so the failure undoes only its own writes.
//
// The contract on a unit (types.ts, Tx): its only effects are its statements and its return value, so
// running it again after a rollback is the same as running it once.

interface Outcome {
  ok: boolean;
  value?: unknown;
  error?: unknown;
}

interface Pending {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  urgent: boolean;
}

/** Thrown out of an optimistic run to roll it back whole: unit `index` failed. */
class UnitFailed {
  constructor(readonly index: number) {}
}

const MAX_GROUP = 256;
/** Longest a group keeps the event loop (after its first unit); measured against ack latency, ADR 0004. */
const GROUP_BUDGET_MS = 8;

export interface GroupCommitStats {
  commits: number;
  units: number;
  /** Groups run again unit by unit after a failure. */
  replays: number;
  /** Groups during which a unit waited for real I/O (an event-loop turn): a unit breaking the contract. */
  yielded: number;
}

export class SqliteGroupCommitter {
  private pending: Pending[] = [];
  /** How many units at the head of `pending` are urgent. */
  private urgentQueued = 0;
  private scheduled = false;
  private flushing = false;
  readonly stats: GroupCommitStats = { commits: 0, units: 0, replays: 0, yielded: 0 };

  private readonly begin: BetterSqlite3.Statement;
  private readonly commitStmt: BetterSqlite3.Statement;
  private readonly rollback: BetterSqlite3.Statement;
  private readonly savepoint: BetterSqlite3.Statement;
  private readonly release: BetterSqlite3.Statement;
  private readonly rollbackTo: BetterSqlite3.Statement;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly tx: Tx,
    private readonly busyTimeoutMs = 10_000,
    /** Tests that count commits set it high: a preempted CPU must not split their group. */
    private readonly budgetMs = GROUP_BUDGET_MS,
  ) {
    this.begin = db.prepare("BEGIN IMMEDIATE");
    this.commitStmt = db.prepare("COMMIT");
    this.rollback = db.prepare("ROLLBACK");
    this.savepoint = db.prepare(`SAVEPOINT "group_unit"`);
    this.release = db.prepare(`RELEASE "group_unit"`);
    this.rollbackTo = db.prepare(`ROLLBACK TO "group_unit"`);
  }

  /** Queue a unit for the next group; an urgent one goes ahead of everything not urgent (in arrival order among the urgent). */
  run<T>(fn: (tx: Tx) => Promise<T>, urgent = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const unit: Pending = { fn, resolve: resolve as (v: unknown) => void, reject, urgent };
      if (urgent) this.pending.splice(this.urgentQueued++, 0, unit);
      else this.pending.push(unit);
      this.schedule();
    });
  }

  /** Resolves when nothing is queued or running (for a clean close). */
  async drain(): Promise<void> {
    while (this.flushing || this.scheduled || this.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  /** One flush at a time (units commit in arrival order); the next is scheduled when it ends. */
  private schedule(): void {
    if (this.scheduled || this.flushing || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    const group = this.pending.splice(0, MAX_GROUP);
    this.urgentQueued = Math.max(0, this.urgentQueued - group.length);
    try {
      const outcomes = await this.commitWithRetry(group);
      if (outcomes instanceof Error) {
        for (const p of group) p.reject(outcomes);
        return;
      }
      const left = group.slice(outcomes.length); // over the time budget: next group, first
      this.pending.unshift(...left);
      this.urgentQueued += left.filter((p) => p.urgent).length;
      this.stats.commits += 1;
      this.stats.units += outcomes.length;
      outcomes.forEach((outcome, i) => (outcome.ok ? group[i].resolve(outcome.value) : group[i].reject(outcome.error)));
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  private async commitWithRetry(group: Pending[]): Promise<Outcome[] | Error> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.runGroup(group);
      } catch (error) {
        const busy = (error as { code?: string }).code === "SQLITE_BUSY";
        if (!busy || Date.now() - started > this.busyTimeoutMs) return error instanceof Error ? error : new Error(String(error));
        await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
      }
    }
  }

  /** Optimistically first; when a unit fails, again with a savepoint per unit, up to the one that failed. */
  private async runGroup(group: Pending[]): Promise<Outcome[]> {
    try {
      return await this.transaction(group, false);
    } catch (error) {
      if (!(error instanceof UnitFailed)) throw error;
      this.stats.replays += 1;
      return this.transaction(group.slice(0, error.index + 1), true);
    }
  }

  private async transaction(group: Pending[], careful: boolean): Promise<Outcome[]> {
    let turned = false;
    const sentinel = setImmediate(() => (turned = true));
    this.begin.run();
    try {
      // A group holds the event loop while it runs: stop taking units once the budget is spent, so
      // webhook acks and other I/O get a turn between commits. The rest go first into the next group.
      const deadline = performance.now() + this.budgetMs;
      const outcomes: Outcome[] = [];
      for (let i = 0; i < group.length; i++) {
        outcomes.push(careful ? await this.runInSavepoint(group[i]) : await this.runOptimistically(group[i], i));
        if (performance.now() >= deadline) break;
      }
      this.commitStmt.run();
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      throw error;
    } finally {
      clearImmediate(sentinel);
      if (turned) this.stats.yielded += 1;
    }
  }

  private async runOptimistically(p: Pending, index: number): Promise<Outcome> {
    try {
      return { ok: true, value: await p.fn(this.tx) };
    } catch {
      throw new UnitFailed(index);
    }
  }

  /** One unit in its own savepoint: its failure undoes only its own writes. */
  private async runInSavepoint(p: Pending): Promise<Outcome> {
    this.savepoint.run();
    try {
      const value = await p.fn(this.tx);
      this.release.run();
      return { ok: true, value };
    } catch (error) {
      if (!this.db.inTransaction) throw error; // SQLite ended the whole transaction (e.g. I/O error): the group fails
      this.rollbackTo.run();
      this.release.run();
      return { ok: false, error };
    }
  }
}

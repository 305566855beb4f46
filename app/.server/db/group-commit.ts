import type { Statement, Transaction } from "better-sqlite3";
import type { Sql } from "./sql";

// Group commit: units of work that arrive in the same tick share one BEGIN IMMEDIATE … COMMIT. A unit
// that throws rolls back alone and rejects only its own caller; the rest commit together. Under load this
// turns N commits into one without making anyone wait longer than the tick they arrived in.
//
// Optimistic: a group first runs its units one after another with no savepoint between them. A savepoint
// per unit made SQLite copy every page a unit touched into the sub-journal (4 KiB memcpy + an allocation
// each), ~10 % of a reservation's time though under 2 % of its instructions (ADR 0004, session 5). If a unit
// throws, that run is rolled back whole and the units up to and including the failed one run again, each
// in its own SAVEPOINT, so the failure undoes only its own writes.
//
// The contract this puts on a unit: it is a database function. Its only effects are its SQL writes and its
// return value, so running it again after a rollback is the same as running it once (as with any
// transaction body that a database may retry).

interface Outcome {
  ok: boolean;
  value?: unknown;
  error?: unknown;
}

interface Pending {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Thrown out of an optimistic run to roll it back whole: unit `index` failed. */
class UnitFailed {
  constructor(readonly index: number) {}
}

function runOptimistically(p: Pending, index: number): Outcome {
  try {
    return { ok: true, value: p.fn() };
  } catch {
    throw new UnitFailed(index); // better-sqlite3 rolls the transaction back; see runGroup
  }
}

const MAX_GROUP = 256;
/** Longest a group keeps the event loop (after its first unit); measured against ack latency, ADR 0004. */
const GROUP_BUDGET_MS = 8;

export class GroupCommitter {
  private pending: Pending[] = [];
  private scheduled = false;
  private flushing = false;
  /** Commits made, units they carried, and groups run again unit by unit after a failure (for tests and benchmarks). */
  readonly stats = { commits: 0, units: 0, replays: 0 };

  private readonly savepoint: Statement;
  private readonly release: Statement;
  private readonly rollbackTo: Statement;
  private readonly groupTransaction: Transaction<(group: Pending[], careful: boolean) => Outcome[]>;

  constructor(
    private readonly db: Sql,
    private readonly busyTimeoutMs = 10_000,
  ) {
    // One transaction function for every group and three prepared savepoint statements: wrapping each
    // unit in a fresh `db.transaction()` cost ~5 % of webhook intake.
    this.savepoint = db.prepare(`SAVEPOINT "group_unit"`);
    this.release = db.prepare(`RELEASE "group_unit"`);
    this.rollbackTo = db.prepare(`ROLLBACK TO "group_unit"`);
    this.groupTransaction = db.transaction((group: Pending[], careful: boolean) => {
      // A group holds the event loop while it runs: stop taking units once the budget is spent, so
      // webhook acks and other I/O get a turn between commits. The rest go first into the next group.
      const deadline = performance.now() + GROUP_BUDGET_MS;
      const outcomes: Outcome[] = [];
      for (let i = 0; i < group.length; i++) {
        outcomes.push(careful ? this.runInSavepoint(group[i]) : runOptimistically(group[i], i));
        if (performance.now() >= deadline) break;
      }
      return outcomes;
    });
  }

  /** One unit in its own savepoint: its failure undoes only its own writes. */
  private runInSavepoint(p: Pending): Outcome {
    this.savepoint.run();
    try {
      const value = p.fn();
      this.release.run();
      return { ok: true, value };
    } catch (error) {
      if (!this.db.inTransaction) throw error; // SQLite ended the whole transaction (e.g. I/O error): the group fails
      this.rollbackTo.run();
      this.release.run();
      return { ok: false, error };
    }
  }

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
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
    try {
      const outcomes = await this.commit(group);
      if (outcomes instanceof Error) {
        for (const p of group) p.reject(outcomes);
        return;
      }
      this.pending.unshift(...group.slice(outcomes.length)); // over the time budget: next group, first
      this.stats.commits += 1;
      this.stats.units += outcomes.length;
      outcomes.forEach((outcome, i) => (outcome.ok ? group[i].resolve(outcome.value) : group[i].reject(outcome.error)));
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  private async commit(group: Pending[]): Promise<Outcome[] | Error> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return this.runGroup(group);
      } catch (error) {
        const busy = (error as { code?: string }).code === "SQLITE_BUSY";
        if (!busy || Date.now() - started > this.busyTimeoutMs) return error instanceof Error ? error : new Error(String(error));
        await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
      }
    }
  }

  /** Optimistically first; when a unit fails, again with a savepoint per unit, up to the one that failed. */
  private runGroup(group: Pending[]): Outcome[] {
    try {
      return this.groupTransaction.immediate(group, false);
    } catch (error) {
      if (!(error instanceof UnitFailed)) throw error;
      this.stats.replays += 1;
      return this.groupTransaction.immediate(group.slice(0, error.index + 1), true);
    }
  }
}

const committers = new WeakMap<Sql, GroupCommitter>();

function committerFor(db: Sql): GroupCommitter {
  let committer = committers.get(db);
  if (!committer) committers.set(db, (committer = new GroupCommitter(db)));
  return committer;
}

/** Run `fn` atomically, committed together with whatever else arrives in this tick. */
export function grouped<T>(db: Sql, fn: () => T): Promise<T> {
  return committerFor(db).run(fn);
}

export function groupCommitStats(db: Sql): { commits: number; units: number; replays: number } {
  return { ...committerFor(db).stats };
}

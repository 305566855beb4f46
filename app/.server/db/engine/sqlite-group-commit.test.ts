import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SqliteDatabase } from "./sqlite-database";
import type { Tx } from "./types";

// Group commit on SQLite (sqlite-group-commit.ts): units of one tick share a commit, each atomic alone.

const dir = mkdtempSync(path.join(tmpdir(), "oms-gc-"));
// A group's time budget is wall-clock: on a loaded machine a preempted unit can spend it. The tests that count
// commits exactly use a budget no preemption reaches; the budget test uses the real one (`timed`).
const db = new SqliteDatabase(`file:${path.join(dir, "gc.db")}`, { checkpointThread: false, groupBudgetMs: 60_000 });
const timed = new SqliteDatabase(`file:${path.join(dir, "gc-timed.db")}`, { checkpointThread: false });
timed.connection.exec(`CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)`);
const conn = db.connection;
conn.exec(`CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)`);
const count = (like = "%") => (conn.prepare("SELECT COUNT(*) AS n FROM t WHERE k LIKE ?").get(like) as { n: number }).n;
const stats = () => db.stats();
const insert = (tx: Tx, k: string, v: number) => tx.run("INSERT INTO t (k, v) VALUES (?, ?)", k, v);

describe("group commit", () => {
  afterAll(async () => {
    await db.close();
    await timed.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits units that arrive together in one transaction, each atomic on its own", async () => {
    const before = stats();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction(async (tx) => {
          await insert(tx, `a${i}`, i);
          if (i === 7) {
            await insert(tx, "a7-extra", 1);
            throw new Error("unit 7 fails after writing");
          }
          return i;
        }).then(
          (v) => ({ ok: true, v }),
          (e: Error) => ({ ok: false, v: e.message }),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(49);
    expect(results[7]).toEqual({ ok: false, v: "unit 7 fails after writing" });
    expect(count()).toBe(49); // unit 7's writes (both rows) rolled back, nobody else's
    expect(count("a7%")).toBe(0);
    // Units 0–7 ran again one by one and committed; 8–49 went first into the next group.
    const after = stats();
    expect({ commits: after.commits - before.commits, units: after.units - before.units, replays: after.replays - before.replays }).toEqual({ commits: 2, units: 50, replays: 1 });
    expect(after.yielded).toBe(0);
  });

  it("a group stops taking units when its time budget is spent; the rest commit next, in arrival order", async () => {
    const before = timed.stats();
    const order: number[] = [];
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        timed.transaction(async (tx) => {
          busy(3); // 12 × 3 ms does not fit one 8 ms budget
          await insert(tx, `slow${i}`, i);
          order.push(i);
        }),
      ),
    );
    const after = timed.stats();
    expect(after.units - before.units).toBe(12);
    expect(after.commits - before.commits).toBeGreaterThanOrEqual(3);
    expect(order).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect((timed.connection.prepare("SELECT COUNT(*) AS n FROM t WHERE k LIKE 'slow%'").get() as { n: number }).n).toBe(12);
  });

  it("a group without failures runs each unit once, with no savepoints and no replay", async () => {
    const before = stats();
    const runs = new Array(20).fill(0);
    const inSavepoint: boolean[] = [];
    const savepointOpen = () => {
      try {
        conn.prepare(`SAVEPOINT "probe"`).run();
        conn.prepare(`ROLLBACK TO "group_unit"`).run(); // fails unless the unit runs inside the committer's savepoint
        return true;
      } catch {
        return false;
      } finally {
        if (conn.inTransaction) conn.prepare(`RELEASE "probe"`).run();
      }
    };
    await Promise.all(runs.map((_, i) => db.transaction(async (tx) => {
      runs[i] += 1;
      inSavepoint.push(savepointOpen());
      await insert(tx, `ok${i}`, i);
    })));
    expect(runs).toEqual(new Array(20).fill(1));
    expect(inSavepoint).toEqual(new Array(20).fill(false));
    expect(stats().replays).toBe(before.replays);
    expect(count("ok%")).toBe(20);
  });

  it("after a failure, the units up to the failed one run again one by one, and every write lands once", async () => {
    const before = stats();
    const runs = new Array(12).fill(0);
    const outcomes = await Promise.allSettled(runs.map((_, i) => db.transaction(async (tx) => {
      runs[i] += 1; // a unit's contract: no effects but its SQL writes, so running it again is harmless; this count is the test's probe
      const seen = (await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM t WHERE k LIKE 'r%'"))!.n;
      await insert(tx, `r${i}`, seen);
      if (i === 4) throw new Error("unit 4 fails");
      return seen;
    })));
    expect(outcomes[4]).toMatchObject({ status: "rejected", reason: { message: "unit 4 fails" } });
    // Units 0–4 ran optimistically, were rolled back, and ran again in savepoints; 5–11 ran once.
    expect(runs).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]);
    expect(stats().replays - before.replays).toBe(1);
    // Each unit saw exactly the committed writes of the units before it: none of the rolled-back run.
    const rows = conn.prepare("SELECT k, v FROM t WHERE k LIKE 'r%' ORDER BY v").all();
    expect(rows).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11].map((unit, v) => ({ k: `r${unit}`, v })));
    expect(outcomes.filter((o) => o.status === "fulfilled").map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("a whole group runs within one event-loop turn; a unit that waits for real I/O is counted", async () => {
    const before = stats();
    await Promise.all(Array.from({ length: 5 }, (_, i) => db.transaction((tx) => insert(tx, `turn${i}`, i))));
    expect(stats().yielded).toBe(before.yielded);
    await db.transaction(async (tx) => {
      await new Promise((resolve) => setTimeout(resolve, 5)); // breaks the contract: holds the write lock across I/O
      await insert(tx, "io", 1);
    });
    expect(stats().yielded).toBe(before.yielded + 1);
  });

  it("reads outside a transaction never see a group half-done (they go to the second connection while one is open)", async () => {
    let inside: unknown = "unset";
    await db.transaction(async (tx) => {
      await insert(tx, "half", 1);
      inside = await db.get("SELECT k FROM t WHERE k = 'half'");
    });
    expect(inside).toBeUndefined();
    expect(await db.get("SELECT k FROM t WHERE k = 'half'")).toEqual({ k: "half" });
  });

  it("urgent units (a webhook's ack) run ahead of queued background work, in their own arrival order", async () => {
    const order: string[] = [];
    const unit = (name: string) => (tx: Tx) => {
      order.push(name);
      return insert(tx, `u-${name}`, 1);
    };
    await Promise.all([
      db.transaction(unit("job1")),
      db.transaction(unit("job2")),
      db.transaction(unit("ack1"), { urgent: true }),
      db.transaction(unit("job3")),
      db.transaction(unit("ack2"), { urgent: true }),
    ]);
    expect(order).toEqual(["ack1", "ack2", "job1", "job2", "job3"]);
    expect(count("u-%")).toBe(5);
  });
});

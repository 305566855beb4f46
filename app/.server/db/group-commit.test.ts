import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openSql } from "./sql";
import { groupCommitStats, grouped } from "./group-commit";

const dir = mkdtempSync(path.join(tmpdir(), "oms-gc-"));
const db = openSql(`file:${path.join(dir, "gc.db")}`);
db.exec(`CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)`);
const count = () => (db.prepare("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n;

describe("group commit", () => {
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits units that arrive together in one transaction, each atomic on its own", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        grouped(db, () => {
          db.prepare("INSERT INTO t (k, v) VALUES (?, ?)").run(`a${i}`, i);
          if (i === 7) {
            db.prepare("INSERT INTO t (k, v) VALUES (?, ?)").run(`a7-extra`, 1);
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
    expect(db.prepare("SELECT COUNT(*) AS n FROM t WHERE k LIKE 'a7%'").get()).toEqual({ n: 0 });
    // Units 0–7 ran again one by one and committed; 8–49 went first into the next group.
    expect(groupCommitStats(db)).toEqual({ commits: 2, units: 50, replays: 1 });
  });

  it("later calls still run after a group", async () => {
    await grouped(db, () => db.prepare("INSERT INTO t (k, v) VALUES ('late', 1)").run());
    expect(count()).toBe(50);
  });

  it("a group stops taking units when its time budget is spent; the rest commit next, in arrival order", async () => {
    const before = groupCommitStats(db);
    const order: number[] = [];
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        grouped(db, () => {
          busy(3); // 12 × 3 ms does not fit one 8 ms budget
          db.prepare("INSERT INTO t (k, v) VALUES (?, ?)").run(`slow${i}`, i);
          order.push(i);
        }),
      ),
    );
    const after = groupCommitStats(db);
    expect(after.units - before.units).toBe(12);
    expect(after.commits - before.commits).toBeGreaterThanOrEqual(3);
    expect(order).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(db.prepare("SELECT COUNT(*) AS n FROM t WHERE k LIKE 'slow%'").get()).toEqual({ n: 12 });
  });

  it("a unit may open its own nested transactions; an inner failure it catches keeps its other writes", async () => {
    const [kept, failed] = await Promise.allSettled([
      grouped(db, () => {
        db.prepare("INSERT INTO t (k, v) VALUES ('n1', 1)").run();
        try {
          db.transaction(() => {
            db.prepare("INSERT INTO t (k, v) VALUES ('n2', 1)").run();
            throw new Error("inner");
          })();
        } catch {
          // the unit carries on without n2
        }
        return db.transaction(() => db.prepare("INSERT INTO t (k, v) VALUES ('n3', 1)").run().changes)();
      }),
      grouped(db, () => {
        db.transaction(() => db.prepare("INSERT INTO t (k, v) VALUES ('n4', 1)").run())();
        throw new Error("outer");
      }),
    ]);
    expect(kept).toEqual({ status: "fulfilled", value: 1 });
    expect(failed).toMatchObject({ status: "rejected", reason: { message: "outer" } });
    expect(db.prepare("SELECT k FROM t WHERE k LIKE 'n%' ORDER BY k").all()).toEqual([{ k: "n1" }, { k: "n3" }]);
  });

  it("a group without failures runs each unit once, with no savepoints and no replay", async () => {
    const before = groupCommitStats(db);
    const runs = new Array(20).fill(0);
    const inSavepoint: boolean[] = [];
    const savepointOpen = () => {
      try {
        db.prepare(`SAVEPOINT "probe"`).run();
        db.prepare(`ROLLBACK TO "group_unit"`).run(); // fails unless the unit runs inside the committer's savepoint
        return true;
      } catch {
        return false;
      } finally {
        if (db.inTransaction) db.prepare(`RELEASE "probe"`).run();
      }
    };
    await Promise.all(runs.map((_, i) => grouped(db, () => {
      runs[i] += 1;
      inSavepoint.push(savepointOpen());
      db.prepare("INSERT INTO t (k, v) VALUES (?, ?)").run(`ok${i}`, i);
    })));
    expect(runs).toEqual(new Array(20).fill(1));
    expect(inSavepoint).toEqual(new Array(20).fill(false));
    expect(groupCommitStats(db).replays).toBe(before.replays);
    expect(db.prepare("SELECT COUNT(*) AS n FROM t WHERE k LIKE 'ok%'").get()).toEqual({ n: 20 });
  });

  it("after a failure, the units up to the failed one run again one by one, and every write lands once", async () => {
    const before = groupCommitStats(db);
    const runs = new Array(12).fill(0);
    const outcomes = await Promise.allSettled(runs.map((_, i) => grouped(db, () => {
      runs[i] += 1; // a unit's contract: no effects but its SQL writes, so running it again is harmless; this count is the test's probe
      const seen = (db.prepare("SELECT COUNT(*) AS n FROM t WHERE k LIKE 'r%'").get() as { n: number }).n;
      db.prepare("INSERT INTO t (k, v) VALUES (?, ?)").run(`r${i}`, seen);
      if (i === 4) throw new Error("unit 4 fails");
      return seen;
    })));
    expect(outcomes[4]).toMatchObject({ status: "rejected", reason: { message: "unit 4 fails" } });
    // Units 0–4 ran optimistically, were rolled back, and ran again in savepoints; 5–11 ran once.
    expect(runs).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]);
    expect(groupCommitStats(db).replays - before.replays).toBe(1);
    // Each unit saw exactly the committed writes of the units before it: none of the rolled-back run.
    const rows = db.prepare("SELECT k, v FROM t WHERE k LIKE 'r%' ORDER BY v").all();
    expect(rows).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11].map((unit, v) => ({ k: `r${unit}`, v })));
    expect(outcomes.filter((o) => o.status === "fulfilled").map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

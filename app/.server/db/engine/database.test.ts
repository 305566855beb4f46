import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "./open-database";
import { RetryableConflict, type Database } from "./types";

// The data-access port's contract, on the database of this run: SQLite under `npm test`, PostgreSQL under
// `npm run test:pg` (DATABASE_URL is a fresh database per test file either way).

let db: Database;

beforeAll(async () => {
  db = openDatabase(process.env.DATABASE_URL!, { poolSize: 8 });
  await db.exec(`CREATE TABLE "EngineT" ("k" TEXT PRIMARY KEY, "n" INTEGER NOT NULL, "flag" BOOLEAN, "at" ${db.dialect === "postgres" ? "TIMESTAMPTZ" : "TEXT"}, "note" TEXT);
    CREATE TABLE "EngineStock" ("sku" TEXT PRIMARY KEY, "onHand" INTEGER NOT NULL, "reserved" INTEGER NOT NULL);`);
});

afterAll(async () => {
  await db.exec(`DROP TABLE "EngineT"; DROP TABLE "EngineStock";`);
  await db.close();
});

describe(`data-access port`, () => {
  it("binds positional and named values; reads back the same JS values on both dialects", async () => {
    const at = new Date("2026-12-03T18:00:00.123Z");
    await db.transaction(async (tx) => {
      await tx.run(`INSERT INTO "EngineT" ("k","n","flag","at","note") VALUES (?,?,?,?,@note), (?,?,?,?,@note)`, { note: "shared" }, "a", 1, true, at, "b", 2, false, null);
    });
    const rows = await db.all<{ k: string; n: number; flag: unknown; at: string | null; note: string }>(`SELECT "k","n","flag","at","note" FROM "EngineT" ORDER BY "k"`);
    expect(rows.map((r) => ({ ...r, flag: Boolean(r.flag) }))).toEqual([
      { k: "a", n: 1, flag: true, at: "2026-12-03T18:00:00.123Z", note: "shared" },
      { k: "b", n: 2, flag: false, at: null, note: "shared" },
    ]);
    const agg = await db.get<{ c: unknown; s: unknown }>(`SELECT COUNT(*) AS "c", SUM("n") AS "s" FROM "EngineT"`);
    expect(agg).toEqual({ c: 2, s: 3 }); // numbers, not PostgreSQL's int8/numeric strings
    expect(await db.get(`SELECT "k" FROM "EngineT" WHERE "at" < ?`, new Date("2026-12-04T00:00:00Z"))).toEqual({ k: "a" });
  });

  it("question marks and at-signs inside quotes are text, not parameters", async () => {
    await db.run(`INSERT INTO "EngineT" ("k","n","note") VALUES ('q?@x', ?, 'it''s ? @here')`, 3);
    expect(await db.get(`SELECT "note" FROM "EngineT" WHERE "k" = 'q?@x'`)).toEqual({ note: "it's ? @here" });
  });

  it("rolls a failed transaction back whole and reports its error", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.run(`INSERT INTO "EngineT" ("k","n") VALUES ('rolled', 1)`);
        throw new Error("after a write");
      }),
    ).rejects.toThrow("after a write");
    expect(await db.get(`SELECT "k" FROM "EngineT" WHERE "k" = 'rolled'`)).toBeUndefined();
  });

  it("reads outside a transaction see only committed data", async () => {
    let seenInside: unknown;
    await db.transaction(async (tx) => {
      await tx.run(`INSERT INTO "EngineT" ("k","n") VALUES ('pending', 1)`);
      seenInside = await db.get(`SELECT "k" FROM "EngineT" WHERE "k" = 'pending'`);
    });
    expect(seenInside).toBeUndefined();
    expect(await db.get(`SELECT "k" FROM "EngineT" WHERE "k" = 'pending'`)).toEqual({ k: "pending" });
  });

  it("guarded decrements never oversell, however many transactions race (100 orders for 10 units)", async () => {
    await db.run(`INSERT INTO "EngineStock" ("sku","onHand","reserved") VALUES ('HOT', 10, 0)`);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        db.transaction(async (tx) => {
          const level = await tx.get<{ available: number }>(`SELECT "onHand" - "reserved" AS "available" FROM "EngineStock" WHERE "sku" = 'HOT'`);
          if (!level || level.available < 1) return false;
          const { changes } = await tx.run(`UPDATE "EngineStock" SET "reserved" = "reserved" + 1 WHERE "sku" = 'HOT' AND "onHand" - "reserved" >= 1`);
          if (changes !== 1) throw new RetryableConflict("stock moved under us"); // read said yes, guard said no: run again
          return true;
        }),
      ),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(10);
    expect(await db.get(`SELECT "reserved" FROM "EngineStock" WHERE "sku" = 'HOT'`)).toEqual({ reserved: 10 });
  });

  it("two transactions inserting the same natural key at once: one inserts, the other is run again and sees it", async () => {
    const attempts = { a: 0, b: 0 };
    const upsertOnce = (who: "a" | "b") =>
      db.transaction(async (tx) => {
        attempts[who] += 1;
        const found = await tx.get<{ n: number }>(`SELECT "n" FROM "EngineT" WHERE "k" = 'natural'`);
        if (found) return "found";
        await tx.run(`INSERT INTO "EngineT" ("k","n") VALUES ('natural', 1)`);
        return "inserted";
      });
    const results = await Promise.all([upsertOnce("a"), upsertOnce("b")]);
    expect(results.sort()).toEqual(["found", "inserted"]);
    expect(await db.get(`SELECT COUNT(*) AS "c" FROM "EngineT" WHERE "k" = 'natural'`)).toEqual({ c: 1 });
  });

  it("a statement error names the problem and leaves the database usable", async () => {
    await expect(db.run(`INSERT INTO "EngineT" ("k","n") VALUES ('dup', 1), ('dup', 2)`)).rejects.toThrow(/unique|UNIQUE|duplicate/);
    expect(await db.get(`SELECT COUNT(*) AS "c" FROM "EngineT" WHERE "k" = 'dup'`)).toEqual({ c: 0 });
    expect(await db.get(`SELECT 1 AS "one"`)).toEqual({ one: 1 });
  });
});

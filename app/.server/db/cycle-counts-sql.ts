import { marks, perDialect } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Cycle counts (migration 0026, ADR 0034): count tasks per bin, what opened them, and the submitted lines
// (counted and expected per SKU and lot). Every statement takes the shop.

export type CountStatus = "open" | "counted" | "approved" | "declined" | "recounted";

export interface CycleCountRow {
  id: string;
  locationId: string;
  binId: string;
  binCode: string;
  focusVariantId: string | null;
  focusSku: string | null;
  reason: string;
  status: CountStatus;
  assignedTo: string | null;
  countedBy: string | null;
  submissionId: string | null;
  countedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  recountOfId: string | null;
  createdAt: string;
}

const COUNT_COLUMNS = `c."id", c."locationId", c."binId", b."code" AS "binCode", c."focusVariantId", v."sku" AS "focusSku", c."reason", c."status", c."assignedTo", c."countedBy",
  c."submissionId", c."countedAt", c."decidedBy", c."decidedAt", c."recountOfId", c."createdAt"`;
const COUNT_FROM = `"CycleCount" c JOIN "WarehouseBin" b ON b."id" = c."binId" AND b."shopId" = c."shopId" LEFT JOIN "Variant" v ON v."id" = c."focusVariantId" AND v."shopId" = c."shopId"`;

/** A bin of the location by id or by code (case-insensitive), storage or receiving. */
export async function binOfLocation(q: Queryable, shopId: string, locationId: string, idOrCode: string): Promise<{ id: string; code: string; kind: string } | undefined> {
  return (
    (await q.get<{ id: string; code: string; kind: string }>(`SELECT "id","code","kind" FROM "WarehouseBin" WHERE "shopId" = ? AND "locationId" = ? AND "id" = ?`, shopId, locationId, idOrCode)) ??
    (await q.get<{ id: string; code: string; kind: string }>(`SELECT "id","code","kind" FROM "WarehouseBin" WHERE "shopId" = ? AND "locationId" = ? AND UPPER("code") = ?`, shopId, locationId, idOrCode.trim().toUpperCase()))
  );
}

/** The storage bins of the location that hold some of the variant (any lot), by code. */
export async function storageBinsHolding(q: Queryable, shopId: string, locationId: string, variantId: string): Promise<{ id: string; code: string }[]> {
  return q.all<{ id: string; code: string }>(
    `SELECT DISTINCT b."id", b."code" FROM "BinStock" s JOIN "WarehouseBin" b ON b."id" = s."binId" AND b."shopId" = s."shopId"
     WHERE s."shopId" = ? AND b."locationId" = ? AND b."kind" = 'storage' AND s."variantId" = ? AND s."quantity" > 0 ORDER BY b."code"`,
    shopId, locationId, variantId,
  );
}

/** The count a trigger (source key, bin) opened or joined, if it was seen already. */
export async function triggeredCount(q: Queryable, shopId: string, sourceKey: string, binId: string): Promise<string | undefined> {
  return (await q.get<{ id: string }>(`SELECT "cycleCountId" AS "id" FROM "CycleCountTrigger" WHERE "shopId" = ? AND "sourceKey" = ? AND "binId" = ?`, shopId, sourceKey, binId))?.id;
}

/** The bin's open count (one at most). */
export async function openCountOfBin(q: Queryable, shopId: string, binId: string): Promise<string | undefined> {
  return (await q.get<{ id: string }>(`SELECT "id" FROM "CycleCount" WHERE "shopId" = ? AND "binId" = ? AND "status" = 'open'`, shopId, binId))?.id;
}

export interface NewCount {
  locationId: string;
  binId: string;
  focusVariantId: string | null;
  reason: string;
  assignedTo: string | null;
  recountOfId?: string | null;
}

/** Opens a count for the bin; undefined when the bin has an open one already (the partial unique index). */
export async function insertCount(tx: Tx, shopId: string, c: NewCount, at = sqlTime()): Promise<string | undefined> {
  const id = newId();
  const { changes } = await tx.run(
    `INSERT INTO "CycleCount" ("id","shopId","locationId","binId","focusVariantId","reason","status","assignedTo","recountOfId","createdAt","updatedAt") VALUES (?,?,?,?,?,?,'open',?,?,?,?)
     ON CONFLICT DO NOTHING`,
    id, shopId, c.locationId, c.binId, c.focusVariantId, c.reason, c.assignedTo, c.recountOfId ?? null, at, at,
  );
  return changes === 1 ? id : undefined;
}

/** Records that (source key, bin) led to this count; false when it was recorded already. */
export async function insertTrigger(tx: Tx, shopId: string, sourceKey: string, binId: string, cycleCountId: string, at = sqlTime()): Promise<boolean> {
  const { changes } = await tx.run(
    `INSERT INTO "CycleCountTrigger" ("shopId","sourceKey","binId","cycleCountId","createdAt") VALUES (?,?,?,?,?) ON CONFLICT ("shopId","sourceKey","binId") DO NOTHING`,
    shopId, sourceKey, binId, cycleCountId, at,
  );
  return changes === 1;
}

const LOCK_COUNT = perDialect((d) => `SELECT "id" FROM "CycleCount" WHERE "shopId" = ? AND "id" = ?${d.forUpdate}`);

/** One count of the location (locked for this transaction on PostgreSQL when `lock`). */
export async function findCount(q: Queryable, shopId: string, locationId: string, id: string, lock = false): Promise<CycleCountRow | undefined> {
  if (lock) await q.get(LOCK_COUNT[q.dialect], shopId, id);
  return q.get<CycleCountRow>(`SELECT ${COUNT_COLUMNS} FROM ${COUNT_FROM} WHERE c."shopId" = ? AND c."locationId" = ? AND c."id" = ?`, shopId, locationId, id);
}

/** The location's counts in these statuses: open and counted oldest first, decided ones newest first. */
export async function listCounts(q: Queryable, shopId: string, locationId: string, statuses: readonly CountStatus[], limit = 500): Promise<CycleCountRow[]> {
  const decided = statuses.every((s) => s !== "open" && s !== "counted");
  return q.all<CycleCountRow>(
    `SELECT ${COUNT_COLUMNS} FROM ${COUNT_FROM} WHERE c."shopId" = ? AND c."locationId" = ? AND c."status" IN (${marks(statuses.length)})
     ORDER BY ${decided ? `c."decidedAt" DESC, c."id" DESC` : `c."createdAt", c."id"`} LIMIT ${Math.max(1, Math.floor(limit))}`,
    shopId, locationId, ...statuses,
  );
}

/** Moves a count from one status to another (guarded: false when it was not in `from` any more). */
export async function setCountStatus(tx: Tx, shopId: string, id: string, from: CountStatus, to: CountStatus, fields: { countedBy?: string | null; submissionId?: string; decidedBy?: string | null } = {}, at = sqlTime()): Promise<boolean> {
  const sets: string[] = [`"status" = ?`, `"updatedAt" = ?`];
  const values: unknown[] = [to, at];
  if (to === "counted") {
    sets.push(`"countedBy" = ?`, `"submissionId" = ?`, `"countedAt" = ?`);
    values.push(fields.countedBy ?? null, fields.submissionId ?? null, at);
  } else {
    sets.push(`"decidedBy" = ?`, `"decidedAt" = ?`);
    values.push(fields.decidedBy ?? null, at);
  }
  const { changes } = await tx.run(`UPDATE "CycleCount" SET ${sets.join(", ")} WHERE "shopId" = ? AND "id" = ? AND "status" = ?`, ...values, shopId, id, from);
  return changes === 1;
}

export interface CountLineRow {
  variantId: string;
  sku: string;
  lot: string;
  expected: number;
  counted: number;
}

export async function insertCountLines(tx: Tx, shopId: string, cycleCountId: string, lines: readonly { variantId: string; lot: string; expected: number; counted: number }[]): Promise<void> {
  for (const l of lines) {
    await tx.run(`INSERT INTO "CycleCountLine" ("id","shopId","cycleCountId","variantId","lot","expected","counted") VALUES (?,?,?,?,?,?,?)`, newId(), shopId, cycleCountId, l.variantId, l.lot, l.expected, l.counted);
  }
}

/** The submitted lines of these counts, by count id. */
export async function countLines(q: Queryable, shopId: string, ids: readonly string[]): Promise<Map<string, CountLineRow[]>> {
  const out = new Map<string, CountLineRow[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await q.all<CountLineRow & { cycleCountId: string }>(
      `SELECT l."cycleCountId", l."variantId", v."sku", l."lot", l."expected", l."counted" FROM "CycleCountLine" l JOIN "Variant" v ON v."id" = l."variantId" AND v."shopId" = l."shopId"
       WHERE l."shopId" = ? AND l."cycleCountId" IN (${marks(chunk.length)}) ORDER BY v."sku", l."lot"`,
      shopId, ...chunk,
    );
    for (const r of rows) {
      const list = out.get(r.cycleCountId) ?? [];
      list.push({ variantId: r.variantId, sku: r.sku, lot: r.lot, expected: Number(r.expected), counted: Number(r.counted) });
      out.set(r.cycleCountId, list);
    }
  }
  return out;
}

/** What one bin holds now, per SKU and lot (read inside the transaction that records a count). */
export async function binContents(q: Queryable, shopId: string, binId: string): Promise<{ variantId: string; sku: string; lot: string; quantity: number }[]> {
  const rows = await q.all<{ variantId: string; sku: string; lot: string; quantity: number }>(
    `SELECT s."variantId", v."sku", s."lot", s."quantity" FROM "BinStock" s JOIN "Variant" v ON v."id" = s."variantId" AND v."shopId" = s."shopId"
     WHERE s."shopId" = ? AND s."binId" = ? AND s."quantity" <> 0 ORDER BY v."sku", s."lot"`,
    shopId, binId,
  );
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
}

/** Per bin of the location: when it was last counted (a submitted count, whatever was decided after). */
export async function lastCountedByBin(q: Queryable, shopId: string, locationId: string): Promise<Map<string, string>> {
  const rows = await q.all<{ binId: string; at: string }>(
    `SELECT "binId", MAX("countedAt") AS "at" FROM "CycleCount" WHERE "shopId" = ? AND "locationId" = ? AND "countedAt" IS NOT NULL GROUP BY "binId"`,
    shopId, locationId,
  );
  return new Map(rows.map((r) => [r.binId, String(r.at)]));
}

/** Bins of the location with an open or counted (awaiting approval) count: the schedule leaves them alone. */
export async function binsWithPendingCount(q: Queryable, shopId: string, locationId: string): Promise<Set<string>> {
  const rows = await q.all<{ binId: string }>(`SELECT DISTINCT "binId" FROM "CycleCount" WHERE "shopId" = ? AND "locationId" = ? AND "status" IN ('open','counted')`, shopId, locationId);
  return new Set(rows.map((r) => r.binId));
}

import type { LabourEvent, LabourKind } from "~/domain/warehouse/labour";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Labour events (migration 0024): one row per warehouse scan that completes work, with its worker and time.
// Recorded inside the transaction that applies the scan, keyed by the effect's natural key, so a retried scan
// records nothing twice. Every statement takes the shop.

export interface LabourEventIn {
  locationId: string;
  worker: string | null;
  kind: LabourKind;
  /** The natural key of the work done, e.g. `pick:<pickLineId>`; a second event with the same key is ignored. */
  naturalKey: string;
  lines?: number;
  units?: number;
  durationMs?: number | null;
  at?: string;
}

/** Records the events; returns how many were new. */
export async function insertLabourEvents(tx: Tx, shopId: string, events: readonly LabourEventIn[]): Promise<number> {
  let added = 0;
  for (const e of events) {
    const { changes } = await tx.run(
      `INSERT INTO "LabourEvent" ("id","shopId","locationId","worker","kind","naturalKey","lines","units","durationMs","occurredAt") VALUES (?,?,?,?,?,?,?,?,?,?)
       ON CONFLICT ("shopId","naturalKey") DO NOTHING`,
      newId(), shopId, e.locationId, e.worker?.trim() || "unknown", e.kind, e.naturalKey, e.lines ?? 1, e.units ?? 0, e.durationMs ?? null, e.at ?? sqlTime(),
    );
    added += changes;
  }
  return added;
}

/** A labour event as the dashboard reads it: the domain's event, with the location it happened at. */
export type LabourEventRow = LabourEvent & { locationId: string };

/** The events of a location in [from, to), oldest first (the dashboard aggregates them in app/domain). */
export async function labourEventsBetween(q: Queryable, shopId: string, locationId: string, from: string, to: string): Promise<LabourEventRow[]> {
  const rows = await q.all<LabourEventRow>(
    `SELECT "locationId","worker","kind","lines","units","durationMs","occurredAt" AS "at" FROM "LabourEvent"
     WHERE "shopId" = ? AND "locationId" = ? AND "occurredAt" >= ? AND "occurredAt" < ? ORDER BY "occurredAt", "id"`,
    shopId, locationId, from, to,
  );
  return rows.map((r) => ({ ...r, lines: Number(r.lines), units: Number(r.units), durationMs: r.durationMs === null ? null : Number(r.durationMs), at: String(r.at) }));
}

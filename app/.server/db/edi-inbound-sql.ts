import { marks } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { sqlTime } from "./ids";

// Reads and writes of the inbound X12 import (ADR 0021): a kept EDI document by its natural key (the 997 of an
// interchange is answered again, never made twice), the partner's orders a cancellation names, and an order's
// cancellation time. Every statement takes the shop; lists are read 500 at a time.

const CHUNK = 500;

export interface KeptEdiDocument {
  id: string;
  content: string;
  interchangeControl: number | null;
  importId: string | null;
}

/** The document kept under (partner, direction, type, key), if any. */
export async function keptEdiDocument(q: Queryable, shopId: string, partnerId: string, direction: "in" | "out", type: string, documentKey: string): Promise<KeptEdiDocument | undefined> {
  const row = await q.get<{ id: string; content: string; interchangeControl: number | string | null; importId: string | null }>(
    `SELECT "id","content","interchangeControl","importId" FROM "EdiDocument" WHERE "shopId" = ? AND "partnerId" = ? AND "direction" = ? AND "type" = ? AND "documentKey" = ?`,
    shopId, partnerId, direction, type, documentKey,
  );
  return row && { id: row.id, content: row.content, importId: row.importId, interchangeControl: row.interchangeControl === null ? null : Number(row.interchangeControl) };
}

export interface PartnerOrderState {
  id: string;
  status: string;
  /** Units fulfilled and not returned. */
  unitsShipped: number;
}

/** The channel's orders under these external ids (PO numbers), with their status and units shipped. */
export async function partnerOrderStates(q: Queryable, shopId: string, channelId: string, externalIds: readonly string[]): Promise<Map<string, PartnerOrderState>> {
  const out = new Map<string, PartnerOrderState>();
  const unique = [...new Set(externalIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = await q.all<{ externalId: string; id: string; status: string; unitsShipped: number | string }>(
      `SELECT o."externalId", o."id", o."status",
              COALESCE((SELECT SUM(a."quantity") FROM "OrderLine" l JOIN "Allocation" a ON a."orderLineId" = l."id" WHERE l."shopId" = o."shopId" AND l."orderId" = o."id" AND a."status" = 'fulfilled'), 0) AS "unitsShipped"
       FROM "Order" o WHERE o."shopId" = ? AND o."channelId" = ? AND o."externalId" IN (${marks(chunk.length)})`,
      shopId, channelId, ...chunk,
    );
    for (const r of rows) out.set(r.externalId, { id: r.id, status: r.status, unitsShipped: Number(r.unitsShipped) });
  }
  return out;
}

/** Record when the order was cancelled (its status is set by the caller, in the same transaction). */
export async function setOrderCancelledAt(tx: Tx, shopId: string, orderId: string, at: Date): Promise<void> {
  await tx.run(`UPDATE "Order" SET "cancelledAt" = ? WHERE "shopId" = ? AND "id" = ?`, sqlTime(at), shopId, orderId);
}

/** Units of the order fulfilled and not returned, read in the caller's transaction. */
export async function unitsShipped(q: Queryable, shopId: string, orderId: string): Promise<number> {
  const row = await q.get<{ n: number | string | null }>(
    `SELECT SUM(a."quantity") AS "n" FROM "OrderLine" l JOIN "Allocation" a ON a."orderLineId" = l."id" WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" = 'fulfilled'`,
    shopId, orderId,
  );
  return Number(row?.n ?? 0);
}

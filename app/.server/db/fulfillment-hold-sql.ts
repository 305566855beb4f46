import type { Queryable, Tx } from "./engine/types";
import { sqlTime } from "./ids";

// An order's fulfillment hold (ADR 0037, migration 0029): set and cleared by compare-and-set, read by the order page.

/**
 * The condition the pick code adds to its order selection (alias "o" = "Order"): an order on hold is never released
 * into a pick wave. The same rule as `releasableToPick` (app/domain/integrations/fulfillment-hold.ts).
 */
export const NOT_ON_FULFILLMENT_HOLD_SQL = (alias = "o") => `${alias}."fulfillmentHoldAt" IS NULL`;

export interface FulfillmentHoldRow {
  id: string;
  status: string;
  externalId: string;
  channelKind: string;
  fulfillmentHoldAt: string | null;
  fulfillmentHoldReason: string | null;
}

export async function orderFulfillmentHold(q: Queryable, shopId: string, orderId: string): Promise<FulfillmentHoldRow | undefined> {
  const row = await q.get<FulfillmentHoldRow>(
    `SELECT o."id", o."status", o."externalId", c."kind" AS "channelKind", o."fulfillmentHoldAt", o."fulfillmentHoldReason"
     FROM "Order" o JOIN "Channel" c ON c."id" = o."channelId" WHERE o."shopId" = ? AND o."id" = ? AND o."redactedAt" IS NULL`,
    shopId, orderId,
  );
  return row && { ...row, fulfillmentHoldAt: row.fulfillmentHoldAt === null ? null : sqlTime(new Date(row.fulfillmentHoldAt)) };
}

/** Held (only if it was not): true for the call that held it. */
export async function setFulfillmentHold(tx: Tx, shopId: string, orderId: string, reason: string | null, at: Date): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "Order" SET "fulfillmentHoldAt" = ?, "fulfillmentHoldReason" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ? AND "fulfillmentHoldAt" IS NULL`,
    sqlTime(at), reason, sqlTime(at), shopId, orderId,
  );
  return changes === 1;
}

/** Released (only if it was held): true for the call that released it. */
export async function clearFulfillmentHold(tx: Tx, shopId: string, orderId: string, at: Date): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "Order" SET "fulfillmentHoldAt" = NULL, "fulfillmentHoldReason" = NULL, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ? AND "fulfillmentHoldAt" IS NOT NULL`,
    sqlTime(at), shopId, orderId,
  );
  return changes === 1;
}

import type { Queryable, Tx } from "./engine/types";
import { sqlTime } from "./ids";

// Receipt documents (InventoryReceipt): one row per (shop, reference). Run inside the receipt's one
// transaction. Every statement is scoped by shop.

export interface ReceiptDocumentRow {
  contentHash: string;
  lineCount: number;
}

export async function findReceiptDocument(q: Queryable, shopId: string, reference: string): Promise<ReceiptDocumentRow | undefined> {
  return q.get<ReceiptDocumentRow>(`SELECT "contentHash", "lineCount" FROM "InventoryReceipt" WHERE "shopId" = ? AND "reference" = ?`, shopId, reference);
}

/** Records the document; false when the reference is already taken (the caller reads it and decides again). */
export async function insertReceiptDocument(tx: Tx, shopId: string, reference: string, contentHash: string, lineCount: number, at = sqlTime()): Promise<boolean> {
  return (await tx.run(`INSERT INTO "InventoryReceipt" ("shopId","reference","contentHash","lineCount","createdAt") VALUES (?,?,?,?,?) ON CONFLICT ("shopId","reference") DO NOTHING`, shopId, reference, contentHash, lineCount, at)).changes === 1;
}

export async function findVariantIdBySku(q: Queryable, shopId: string, sku: string): Promise<string | undefined> {
  return (await q.get<{ id: string }>(`SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`, shopId, sku))?.id;
}

/** A location named by its Shopify id (legacy numeric) or by ours. */
export async function findLocationId(q: Queryable, shopId: string, externalIdOrId: string): Promise<string | undefined> {
  return (await q.get<{ id: string }>(`SELECT "id" FROM "Location" WHERE "shopId" = ? AND ("externalId" = ? OR "id" = ?) ORDER BY "id" LIMIT 1`, shopId, externalIdOrId, externalIdOrId))?.id;
}

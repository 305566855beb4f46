import { sqlTime, stmt, type Sql } from "./sql";

// Receipt documents (InventoryReceipt): one row per (shop, reference). Synchronous, to run inside the
// receipt's one transaction. Every statement is scoped by shop.

export interface ReceiptDocumentRow {
  contentHash: string;
  lineCount: number;
}

export function findReceiptDocument(db: Sql, shopId: string, reference: string): ReceiptDocumentRow | undefined {
  return stmt(db, `SELECT "contentHash", "lineCount" FROM "InventoryReceipt" WHERE "shopId" = ? AND "reference" = ?`).get(shopId, reference) as ReceiptDocumentRow | undefined;
}

/** Records the document; false when the reference is already taken (the caller reads it and decides again). */
export function insertReceiptDocument(db: Sql, shopId: string, reference: string, contentHash: string, lineCount: number, at = sqlTime()): boolean {
  return stmt(db, `INSERT INTO "InventoryReceipt" ("shopId","reference","contentHash","lineCount","createdAt") VALUES (?,?,?,?,?) ON CONFLICT ("shopId","reference") DO NOTHING`).run(shopId, reference, contentHash, lineCount, at).changes === 1;
}

export function findVariantIdBySku(db: Sql, shopId: string, sku: string): string | undefined {
  return (stmt(db, `SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`).get(shopId, sku) as { id: string } | undefined)?.id;
}

/** A location named by its Shopify id (legacy numeric) or by ours. */
export function findLocationId(db: Sql, shopId: string, externalIdOrId: string): string | undefined {
  return (stmt(db, `SELECT "id" FROM "Location" WHERE "shopId" = ? AND ("externalId" = ? OR "id" = ?)`).get(shopId, externalIdOrId, externalIdOrId) as { id: string } | undefined)?.id;
}

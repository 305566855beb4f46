import { sql, stmt } from "../db/sql";
import { AppError } from "../errors";
import { receiveStock } from "./receive-stock";

export interface ReceiptLine {
  sku: string;
  /** The location's Shopify id (legacy numeric) or our id. */
  location: string;
  quantity: number;
}

/**
 * Record stock received (from an ERP, a purchase order, a transfer): every line is checked before any is
 * applied, each line is applied once per receipt reference, and the units go to the oldest backorders.
 */
export async function recordReceipt(shopId: string, reference: string, lines: ReceiptLine[]) {
  const conn = sql();
  const resolved = lines.map((line, index) => {
    const variant = stmt(conn, `SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`).get(shopId, line.sku) as { id: string } | undefined;
    const location = stmt(conn, `SELECT "id" FROM "Location" WHERE "shopId" = ? AND ("externalId" = ? OR "id" = ?)`).get(shopId, line.location, line.location) as { id: string } | undefined;
    if (!variant) throw new AppError("invalid_data", "RECEIPT.UNKNOWN_SKU", `Line ${index + 1}: no SKU "${line.sku}" in this shop`);
    if (!location) throw new AppError("invalid_data", "RECEIPT.UNKNOWN_LOCATION", `Line ${index + 1}: no location "${line.location}" in this shop`);
    return { ...line, variantId: variant.id, locationId: location.id };
  });
  let applied = 0;
  let alreadyApplied = 0;
  const filledOrders: string[] = [];
  for (const line of resolved) {
    const result = await receiveStock(shopId, {
      variantId: line.variantId,
      locationId: line.locationId,
      quantity: line.quantity,
      reason: "received",
      idempotencyKey: `receipt:${reference}:${line.sku}:${line.locationId}`,
      ref: { type: "receipt", id: reference },
    }, { actor: "api:receipt" });
    if (result.applied) applied += 1;
    else alreadyApplied += 1;
    filledOrders.push(...result.filled.map((f) => f.orderId));
  }
  return { reference, linesApplied: applied, linesAlreadyApplied: alreadyApplied, backordersFilled: [...new Set(filledOrders)] };
}

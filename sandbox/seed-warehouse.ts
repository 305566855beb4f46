import { database } from "../app/.server/db/database";
import { findWarehouse } from "../app/.server/db/warehouse-sql";
import { confirmPutaway, readPutaways } from "../app/.server/use-cases/confirm-putaway";
import { createPurchaseOrder } from "../app/.server/use-cases/create-purchase-order";
import { storeLayout } from "../app/.server/use-cases/manage-warehouse";

// The demo's managed warehouse (ADR 0029): the main location gets a generated layout (8 aisles of 10 bays, two
// levels, a middle cross aisle), its opening stock is put away into bins the way a worker would (each putaway
// confirmed at its suggested bin), and one open purchase order waits to be received on the handheld screen.
// Safe to run twice: a stored layout is left as it is.

export async function seedDemoWarehouse(shopId: string, locationId: string, skus: string[]): Promise<{ bins: number; putAway: number; purchaseOrder: string | null }> {
  if (await findWarehouse(database(), shopId, locationId)) return { bins: 0, putAway: 0, purchaseOrder: null };
  const layout = await storeLayout(shopId, locationId, {
    generate: { aisles: 8, baysPerAisle: 10, levels: 2, bayWidthM: 1.2, aisleSpacingM: 3, crossAisleWidthM: 2, crossAisleAfterBays: [5], capacityPerBin: 400 },
  });
  let putAway = 0;
  for (const p of (await readPutaways(shopId, locationId)).open) {
    if (!p.suggestedBin) continue;
    await confirmPutaway(shopId, locationId, p.id, { bin: p.suggestedBin, quantity: p.quantity });
    putAway += 1;
  }
  const lines = skus.slice(0, 3).map((sku, i) => ({ sku, quantity: 12 + 6 * i }));
  if (lines.length === 0) return { bins: layout.bins, putAway, purchaseOrder: null };
  const expectedAt = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const po = await createPurchaseOrder(shopId, { number: "PO-DEMO-1", supplier: "Northbound Apparel", location: locationId, expectedAt, lines });
  return { bins: layout.bins, putAway, purchaseOrder: po.purchaseOrder.number };
}

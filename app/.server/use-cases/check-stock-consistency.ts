import { compareStock, type StockDiscrepancy } from "~/domain/inventory/stock-consistency";
import { database } from "../db/database";
import { allShopsAcrossShops, ledgerSums, levelBuckets, reservedAllocations, stockNames } from "../db/stock-consistency-sql";

export interface NamedDiscrepancy extends StockDiscrepancy {
  sku: string | null;
  location: string | null;
}

/**
 * Does the shop's stock add up? Per level, the ledger's on hand and reserved deltas sum to the level's
 * buckets, open reservations sum to its reserved bucket, and no bucket is negative. Returns every
 * discrepancy (none: consistent). Reads one snapshot, so it is safe while orders flow; it scans the shop's
 * ledger, so operators and tests run it, not request paths.
 */
export async function checkStockConsistency(shopId: string): Promise<NamedDiscrepancy[]> {
  return database().readSnapshot(async (q) => {
    const found = compareStock(await levelBuckets(q, shopId), await ledgerSums(q, shopId), await reservedAllocations(q, shopId));
    if (found.length === 0) return [];
    const names = await stockNames(q, shopId);
    return found.map((d) => ({ ...d, sku: names.skus.get(d.variantId) ?? null, location: names.locations.get(d.locationId) ?? null }));
  });
}

/** The check over every shop we hold (operators: `npm run check:stock`, `/healthz?check=stock`). */
export async function checkStockConsistencyOfAllShops(): Promise<{ shopId: string; domain: string; discrepancies: NamedDiscrepancy[] }[]> {
  const results = [];
  for (const shop of await allShopsAcrossShops(database())) results.push({ shopId: shop.id, domain: shop.domain, discrepancies: await checkStockConsistency(shop.id) });
  return results;
}

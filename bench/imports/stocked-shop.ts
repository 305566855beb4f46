// The import benches' shop: every SKU a variant (400 g) with 1,000,000 units at each of `locations` locations spread
// over the map, every location with room for any number of orders a day.

export async function stockedShop(domain: string, skus: readonly string[], locations: number): Promise<{ shopId: string; locationIds: string[] }> {
  const { database } = await import("../../app/.server/db/database");
  const { ensureShop } = await import("../../app/.server/db/shops");
  const { upsertLocation, upsertVariant } = await import("../../app/.server/db/catalog");
  const { addOnHand } = await import("../../app/.server/db/pipeline-sql");
  const db = database();
  const shop = await ensureShop(domain);
  const locationIds: string[] = [];
  for (let i = 0; i < locations; i++) {
    const location = await db.transaction((tx) => upsertLocation(tx, shop.id, { externalId: `L${i}`, name: `DC ${i}`, active: true, latitude: 30 + i * 1.5, longitude: -120 + i * 5 }, { dailyCapacity: 10_000_000 }));
    locationIds.push(location.id);
  }
  await db.transaction(async (tx) => {
    for (const [i, sku] of skus.entries()) {
      const v = await upsertVariant(tx, shop.id, { externalId: `V${i}`, sku, title: sku, priceMinor: 1999, weightGrams: 400, product: { externalId: `P${i}`, title: sku } });
      for (const l of locationIds) await addOnHand(tx, shop.id, v.id, l, 1_000_000, "seeded", `seed:${v.id}:${l}`);
    }
  });
  return { shopId: shop.id, locationIds };
}

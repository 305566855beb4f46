import { beforeAll, describe, expect, it } from "vitest";
import { updateLocationSettings } from "../use-cases/update-location-settings";
import { inventoryOverview, listLocations, upsertLocation, upsertVariant } from "./catalog";
import { database } from "./database";
import { ensureShop, findShopById } from "./shops";

// Locations and variants mirrored from the shop, on the data-access port. Routing caches in other processes
// key on Shop.configVersion: it must move exactly when something routing reads about a location changed.

const SHOP = "catalog-a.myshopify.com";
let shopId = "";
const version = async () => (await findShopById(database(), shopId))!.configVersion;
const sync = (input: Parameters<typeof upsertLocation>[2], settings?: Parameters<typeof upsertLocation>[3]) => database().transaction((tx) => upsertLocation(tx, shopId, input, settings));

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
});

describe("locations", () => {
  it("a sync that changes a location moves the config version; the same sync again does not; app settings survive it", async () => {
    const v0 = await version();
    const created = await sync({ externalId: "10", name: "Newark", active: true, latitude: 40.7, longitude: -74.2 }, { dailyCapacity: 7, carrierCutoff: "15:00" });
    expect(created).toMatchObject({ name: "Newark", active: true, latitude: 40.7, dailyCapacity: 7, carrierCutoff: "15:00", handlingCostMinor: 150 });
    expect(await version()).toBe(v0 + 1);

    await sync({ externalId: "10", name: "Newark", active: true, latitude: 40.7, longitude: -74.2 }, { dailyCapacity: 99 });
    expect(await version()).toBe(v0 + 1);

    const paused = await sync({ externalId: "10", name: "Newark", active: false }, { dailyCapacity: 99 });
    expect(paused).toMatchObject({ active: false, latitude: 40.7, longitude: -74.2, dailyCapacity: 7 });
    expect(await version()).toBe(v0 + 2);
  });

  it("new settings move the config version with their audit entry; another shop's location is refused", async () => {
    const [location] = await listLocations(database(), shopId);
    const v0 = await version();
    expect(await updateLocationSettings(shopId, location.id, { dailyCapacity: 40, carrierCutoff: "17:30", handlingCostMinor: 99 })).toEqual({ ok: true });
    expect(await version()).toBe(v0 + 1);
    expect((await listLocations(database(), shopId))[0]).toMatchObject({ dailyCapacity: 40, carrierCutoff: "17:30", handlingCostMinor: 99 });
    const audit = await database().all<{ action: string; subjectId: string }>(`SELECT "action","subjectId" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'location.settings_updated'`, shopId);
    expect(audit).toEqual([{ action: "location.settings_updated", subjectId: location.id }]);

    const other = await ensureShop("catalog-b.myshopify.com");
    expect(await updateLocationSettings(other.id, location.id, { dailyCapacity: 1, carrierCutoff: "09:00", handlingCostMinor: 1 })).toEqual({ ok: false, error: "No such location in this shop." });
    expect((await listLocations(database(), shopId))[0].dailyCapacity).toBe(40);
  });
});

describe("variants", () => {
  it("the Inventory page finds variants by SKU, title or product title, any case, wildcards taken literally", async () => {
    const q = database();
    await upsertVariant(q, shopId, { externalId: "v1", sku: "MUG-BLUE", title: "Blue", priceMinor: 1200, product: { externalId: "p1", title: "Coffee Mug" } });
    await upsertVariant(q, shopId, { externalId: "v2", sku: "TEE_50%", title: "Large", priceMinor: 2500, weightGrams: 200, product: { externalId: "p2", title: "T-shirt" } });
    const renamed = await upsertVariant(q, shopId, { externalId: "v1", sku: "MUG-BLUE", title: "Navy", priceMinor: 1300, product: { externalId: "p1", title: "Coffee Mug" } });
    expect(renamed).toMatchObject({ title: "Navy", priceMinor: 1300, weightGrams: 0 });

    const skus = async (query?: string) => (await inventoryOverview(q, shopId, { query })).map((v) => v.sku);
    expect(await skus()).toEqual(["MUG-BLUE", "TEE_50%"]);
    expect(await skus("coffee")).toEqual(["MUG-BLUE"]);
    expect(await skus("NAVY")).toEqual(["MUG-BLUE"]);
    expect(await skus("_50%")).toEqual(["TEE_50%"]);
    expect(await skus("E_B")).toEqual([]); // "_" is not a wildcard
    expect((await inventoryOverview(q, shopId, { query: "tee" }))[0]).toMatchObject({ product: { title: "T-shirt" }, inventoryLevels: [] });
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { createPurchaseOrder } from "~/.server/use-cases/create-purchase-order";
import { action as putawayAction, loader as putawayLoader } from "~/routes/app.warehouse_.putaway";
import { action as receiveAction, loader as receiveLoader } from "~/routes/app.warehouse_.receive";
import { action as warehouseAction, loader as warehouseLoader } from "~/routes/app.warehouse";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku } from "../support/catalog";
import { queryNumber, queryRow } from "../support/db-query";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { addSession } from "../support/sessions";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { readWarehouse } from "~/.server/use-cases/manage-warehouse";
import { readPutaways } from "~/.server/use-cases/confirm-putaway";

// The Warehouse page and the handheld receiving and putaway screens (ADR 0029): generating a layout from the form
// manages the location; a bad CSV lists its rows; a scan on the receiving screen receives; the putaway screen
// refuses the wrong bin and puts away on the right one.

const SHOP = "warehouse-pages.myshopify.com";
setQueue(new InProcessQueue());
const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
type Action = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
const post = async (fn: Action, path: string, fields: Record<string, string>) =>
  fn({ request: new Request(`http://127.0.0.1:3999${path}`, { method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() }), params: {}, context: {} });

let shopId: string;
let reno: string;
beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  reno = (await addLocation(shopId, "71", "reno")).id;
  await addSku(shopId, "WP-SOCK", { [reno]: 4 });
});

describe("Warehouse screens", () => {
  it("manage a location from the page, list bad CSV rows, receive by scan and put away by scanning the bin", async () => {
    const before = (await warehouseLoader(bearerArgs(`/app/warehouse?location=${reno}`, token()))) as Awaited<ReturnType<typeof warehouseLoader>>;
    expect(before).toMatchObject({ selected: { id: reno, managed: false }, warehouse: null });

    const generated = await post(warehouseAction as Action, "/app/warehouse", { intent: "generate", location: reno, aisles: "2", baysPerAisle: "3", levels: "2", capacityPerBin: "20", bayWidthM: "1", aisleSpacingM: "3", crossAisleWidthM: "", crossAisleAfterBays: "" });
    expect(generated).toEqual({ ok: true, message: "24 bins stored. The location is managed now: 4 units on hand moved into its receiving bin." });
    const badCsv = await post(warehouseAction as Action, "/app/warehouse", { intent: "importCsv", location: reno, csv: "bin,zone,yM,capacity\nA01-01-1-L,,1,x\n" });
    expect(badCsv).toMatchObject({ ok: false, error: "1 bad row(s): nothing was imported.", rows: [{ line: 2 }] });
    const page = (await warehouseLoader(bearerArgs(`/app/warehouse?location=${reno}`, token()))) as Awaited<ReturnType<typeof warehouseLoader>>;
    expect(page.warehouse?.totals).toEqual([{ sku: "WP-SOCK", onHand: 4, inBins: 4, agrees: true }]);

    await createPurchaseOrder(shopId, { number: "WP-1", supplier: "Socks Ltd", location: "71", expectedAt: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10), lines: [{ sku: "WP-SOCK", quantity: 3 }] });
    const receive = (await receiveLoader(bearerArgs(`/app/warehouse/receive?location=${reno}`, token()))) as Awaited<ReturnType<typeof receiveLoader>>;
    expect(receive.open).toEqual([{ number: "WP-1", supplier: "Socks Ltd" }]);
    expect(await post(receiveAction as Action, "/app/warehouse/receive", { po: "WP-1", code: "WP-SOCK", quantity: "3", condition: "good", lot: "", scanId: "s-0" })).toEqual({ ok: true, message: "3 × WP-SOCK received: 3 of 3 (complete)." });
    expect(await post(receiveAction as Action, "/app/warehouse/receive", { po: "WP-1", code: "WP-HAT", quantity: "1", condition: "good", lot: "", scanId: "s-1" })).toMatchObject({ ok: false, error: expect.stringContaining('"WP-HAT" is not a SKU on purchase order WP-1') });

    const putaway = (await putawayLoader(bearerArgs(`/app/warehouse/putaway?location=${reno}`, token()))) as Awaited<ReturnType<typeof putawayLoader>>;
    const current = putaway.current!;
    expect(current).toMatchObject({ sku: "WP-SOCK", quantity: 7 }); // 4 on the shelves when managed + 3 received
    const wrong = await post(putawayAction as Action, "/app/warehouse/putaway", { location: reno, id: current.id, quantity: "7", bin: "A02-03-2-R" === current.suggestedBin ? "A01-01-1-L" : "A02-03-2-R" });
    expect(wrong).toMatchObject({ ok: false, error: expect.stringContaining("Wrong bin") });
    expect(await post(putawayAction as Action, "/app/warehouse/putaway", { location: reno, id: current.id, quantity: "7", bin: current.suggestedBin! })).toEqual({ ok: true, message: `7 × WP-SOCK put away in ${current.suggestedBin}.` });
    expect(await queryNumber(`SELECT "onHand" FROM "InventoryLevel" WHERE "shopId" = ? AND "locationId" = ?`, shopId, reno)).toBe(7);
  });

  it("the demo seed manages its main location: layout, bins holding the stock, sums agreeing, an open PO; seeding again changes nothing", async () => {
    const seed = demoShopSeed("warehouse-seed.myshopify.com");
    const { shopId: demoShop } = await seedDemoShop(seed, { warehouse: true });
    expect(await queryNumber(`SELECT COUNT(*) FROM "Warehouse" WHERE "shopId" = ?`, demoShop)).toBe(1);
    const id = (await queryRow<{ locationId: string }>(`SELECT "locationId" FROM "Warehouse" WHERE "shopId" = ?`, demoShop))!.locationId;
    const view = await readWarehouse(demoShop, id);
    expect(view.bins).toHaveLength(8 * 10 * 2 * 2 + 1);
    expect(view.totals.length).toBeGreaterThan(10);
    expect(view.totals.every((t) => t.agrees)).toBe(true);
    expect(view.bins.find((b) => b.code === "RECEIVING")?.used).toBe(0);
    expect(view.bins.filter((b) => b.kind === "storage" && b.used > 0).length).toBe(view.totals.length);
    expect((await readPutaways(demoShop, id)).open).toEqual([]);
    expect(await queryNumber(`SELECT COUNT(*) FROM "PurchaseOrder" WHERE "shopId" = ? AND "number" = 'PO-DEMO-1' AND "status" = 'open'`, demoShop)).toBe(1);
    const ledger = await queryNumber(`SELECT COUNT(*) FROM "BinLedgerEntry" WHERE "shopId" = ?`, demoShop);
    await seedDemoShop(seed, { warehouse: true });
    expect(await queryNumber(`SELECT COUNT(*) FROM "BinLedgerEntry" WHERE "shopId" = ?`, demoShop)).toBe(ledger);
  });
});

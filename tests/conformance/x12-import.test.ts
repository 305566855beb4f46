import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { createImport } from "~/.server/use-cases/create-import";
import { createTradingPartner, savePartnerItems } from "~/.server/use-cases/manage-trading-partners";
import { readImport } from "~/.server/use-cases/read-imports";
import { runImport } from "~/.server/use-cases/run-import";
import { readInterchanges } from "~/domain/edi/x12-read";
import type { TradingPartner } from "~/domain/wholesale/trading-partner";
import { addLocation, addSku } from "../support/catalog";
import { queryRows } from "../support/db-query";

// node-x12's own sample 850s (../shared/fixtures/edi_x12/node_x12, verbatim, MIT) imported as a merchant would
// (ADR 0021), once the shop has trading partners with the samples' interchange ids and items: every sample
// becomes its order — the widget order of 850.edi and 850_2.edi (the same interchange with other line ends: one
// order), the two copies of it in 850_fat.edi (taken once), the Petco kit of 850_3.edi with its PO number of
// dashes — and every interchange is answered by a 997 accepting its group and set, from us as the partner knows us.

const FIXTURES_ENV = "EDI_X12_FIXTURES";
function fixturesDir(): string {
  const dir = path.resolve(process.env[FIXTURES_ENV] ?? path.resolve(process.cwd(), "../shared/fixtures/edi_x12/node_x12"));
  if (!existsSync(path.join(dir, "850.edi"))) throw new Error(`node-x12's sample interchanges missing at ${dir}: clone the repo beside ../shared, or set ${FIXTURES_ENV} to that folder.`);
  return dir;
}
const read = (name: string) => readFileSync(path.join(fixturesDir(), name));

const SHOP = "x12-samples.myshopify.com";
setQueue(new InProcessQueue());
let shopId: string;
let widgets: TradingPartner;
let petco: TradingPartner;

/** 850.edi's lines: PO1 CB (buyer catalog number) and VN (our item number). */
const WIDGETS = [["065322-117", "AB3542", 120, 925], ["066850-116", "RD5322", 220, 1379], ["060733-110", "XY5266", 126, 1099], ["065308-116", "VX2332", 76, 435], ["065374-118", "RV0524", 72, 750], ["067504-118", "DX1875", 696, 955]] as const;

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  const reno = (await addLocation(shopId, "S1", "reno")).id;
  // The first three widgets are known to the buyer by its catalog numbers (mapped), the others by our item numbers (our SKUs).
  for (const [, vendor] of WIDGETS) await addSku(shopId, vendor.startsWith("AB") || vendor.startsWith("RD") || vendor.startsWith("XY") ? `W-${vendor}` : vendor, { [reno]: 10_000 });
  await addSku(shopId, "SPARK-AQ-PUSHER", { [reno]: 10 });
  widgets = await createTradingPartner(shopId, { code: "XYZ", name: "XYZ Retail", currency: "USD", isaQualifier: "12", isaId: "4405197800", gsId: "4405197800", ourIsaQualifier: "01", ourIsaId: "999999999", ourGsId: "999999999" });
  petco = await createTradingPartner(shopId, { code: "PETCO", name: "Petco", currency: "USD", isaQualifier: "12", isaId: "0000000000", gsId: "0000000000", ourIsaQualifier: "12", ourIsaId: "0000000000", ourGsId: "0000000000" });
  await savePartnerItems(shopId, widgets.id, WIDGETS.slice(0, 3).map(([buyer, vendor]) => ({ sku: `W-${vendor}`, buyerPartNumber: buyer, unitPriceMinor: null })));
  await savePartnerItems(shopId, petco.id, [{ sku: "SPARK-AQ-PUSHER", buyerPartNumber: "000000000001010700", unitPriceMinor: 20_000 }]);
});

async function importSample(name: string) {
  const { importId } = await createImport(shopId, { format: "x12", bytes: read(name), filename: name, source: "api" }, { queue: false });
  await runImport(shopId, importId);
  return readImport(shopId, importId);
}

const ordersOn = (channelId: string) => queryRows<{ id: string; externalId: string; totalMinor: number; shipCity: string }>(`SELECT "id","externalId","totalMinor","shipCity" FROM "Order" WHERE "shopId" = ? AND "channelId" = ? ORDER BY "externalId"`, shopId, channelId);
const linesOf = (orderId: string) => queryRows<{ sku: string; quantity: number; priceMinor: number }>(`SELECT "sku","quantity","priceMinor" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "externalId"`, shopId, orderId).then((rows) => rows.map((r) => [r.sku, Number(r.quantity), Number(r.priceMinor)]));

/** Per 997 interchange: its receiver, and AK1 GS06 / AK2 ST02 / AK5 of each set. */
function acks(text: string) {
  const all = readInterchanges(text);
  if (!all.ok) throw new Error(all.error);
  return all.interchanges.map((ic) => {
    const segments = ic.groups.flatMap((g) => g.transactionSets.flatMap((t) => t.segments));
    const at = (tag: string) => segments.filter((s) => s.tag === tag).map((s) => s.elements.slice(0, 2).join("/"));
    return { to: `${ic.receiver.qualifier}/${ic.receiver.id}`, from: `${ic.sender.qualifier}/${ic.sender.id}`, ak1: at("AK1"), ak2: at("AK2"), ak5: segments.filter((s) => s.tag === "AK5").map((s) => s.elements[0]) };
  });
}

describe("node-x12's 850 samples import as orders", () => {
  it("850.edi: the widget order, six lines at the PO's prices, and a 997 accepting it", async () => {
    const view = await importSample("850.edi");
    expect(view).toMatchObject({ status: "done", failedLines: 0, summary: { created: 1 } });
    const [order] = await ordersOn(widgets.channelId);
    expect(order).toMatchObject({ externalId: "08292233294", shipCity: "SOLON" });
    expect(Number(order.totalMinor)).toBe(1_304_594);
    expect(await linesOf(order.id)).toEqual(WIDGETS.map(([, vendor, quantity, price], i) => [i < 3 ? `W-${vendor}` : vendor, quantity, price]));
    expect(acks(view.acknowledgement!)).toEqual([{ from: "01/999999999", to: "12/4405197800", ak1: ["PO/1421"], ak2: ["850/000000010"], ak5: ["A"] }]);
  });

  it("850_2.edi (the same interchange with line ends as terminators) and 850_fat.edi (two copies) change nothing and answer the kept 997", async () => {
    const first = (await ordersOn(widgets.channelId)).length;
    const again = await importSample("850_2.edi");
    expect(again).toMatchObject({ status: "done", failedLines: 0, summary: { unchanged: 1 } });
    const fat = await importSample("850_fat.edi");
    expect(fat).toMatchObject({ status: "done", failedLines: 0, summary: { orders: 1, unchanged: 1 } });
    expect(fat.lines.find((l) => l.line === 40)?.message).toContain("the same PO as the set at segment 3 of this file: taken once");
    expect(await ordersOn(widgets.channelId)).toHaveLength(first);
    expect(fat.acknowledgement).toBe(again.acknowledgement!.repeat(2));
  });

  it("850_3.edi: Petco's kit, its PO number of dashes and a buyer part number (SK) mapped to our SKU", async () => {
    const view = await importSample("850_3.edi");
    expect(view).toMatchObject({ status: "done", failedLines: 0, summary: { created: 1 } });
    const [order] = await ordersOn(petco.channelId);
    expect(order).toMatchObject({ externalId: "----------", shipCity: "SAN DIEGO" });
    expect(await linesOf(order.id)).toEqual([["SPARK-AQ-PUSHER", 1, 22_500]]);
    expect(acks(view.acknowledgement!)).toEqual([{ from: "12/0000000000", to: "12/0000000000", ak1: ["PO/10000774"], ak2: ["850/8830"], ak5: ["A"] }]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { action, loader } from "~/routes/app.channels";
import { loader as itemsCsv } from "~/routes/api.v1.partners.$id.items[.]csv";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addSku } from "../support/catalog";
import { queryNumber, queryRows } from "../support/db-query";
import { remixRequestHandler } from "../support/remix-app";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { addOfflineSession } from "../support/sessions";

// The Channels page's "Wholesale trading partners" card (ADR 0017, 0018): partners listed with their X12 ids and
// documents, added and edited with errors shown by field, and each partner's items uploaded as a price list (every
// bad line named, nothing saved on error, the whole list replaced) and downloaded as the same CSV.

const SHOP = "partners-page.myshopify.com";
const OTHER = "partners-page-other.myshopify.com";
setQueue(new InProcessQueue());
const token = (shop = SHOP) => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, shop);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function submit(fields: [string, string][], file?: string): Promise<Json> {
  const data = new FormData();
  for (const [k, v] of fields) data.append(k, v);
  if (file !== undefined) data.set("file", new Blob([file], { type: "text/csv" }), "items.csv");
  return (await action({ request: new Request("http://127.0.0.1:3999/app/channels", { method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA }, body: data }), params: {}, context: {} })) as Json;
}
const page = async () => (await loader(bearerArgs("/app/channels", token()))) as Awaited<ReturnType<typeof loader>>;
const partner = async (code: string) => (await page()).partners.find((p) => p.code === code)!;
const fields = (values: Record<string, string>, documents: string[] = []): [string, string][] => [...Object.entries(values), ...documents.map((d) => ["documents", d] as [string, string])];

let shopId: string;
beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await ensureShop(OTHER);
  await addOfflineSession(SHOP);
  await addOfflineSession(OTHER);
  for (const sku of ["PP-1", "PP-2", "PP-3"]) await addSku(shopId, sku);
});

describe("Channels page: wholesale trading partners", () => {
  it("refuses a partner with wrong fields, saying which, and stores nothing", async () => {
    const bad = await submit(fields({ intent: "createPartner", code: "bad code!", name: "", currency: "dollars", isaQualifier: "ZZ", isaId: "HALF" }));
    expect(bad).toMatchObject({ ok: false, partnerForm: "new" });
    expect(Object.keys(bad.fieldErrors).sort()).toEqual(["code", "currency", "gsId", "name", "ourGsId", "ourIsaId", "ourIsaQualifier"]);
    expect(bad.fieldErrors.gsId).toBe("needed when the partner trades by X12 (all six ids, or none)");
    expect(await submit(fields({ intent: "createPartner", code: "CSV1", name: "Csv One", currency: "usd" }, ["855"]))).toMatchObject({ ok: false, fieldErrors: { documents: expect.stringMatching(/documents are sent by X12/) } });
    expect((await page()).partners).toEqual([]);
  });

  it("adds partners (CSV only, and X12 with documents), lists them, edits one and refuses a taken code on its field", async () => {
    expect(await submit(fields({ intent: "createPartner", code: "CORNER", name: "Corner Shops", currency: "usd" }))).toMatchObject({ ok: true, message: "Trading partner CORNER added, with its own wholesale channel." });
    const x12 = { intent: "createPartner", code: "ACME", name: "Acme Stores", currency: "USD", isaQualifier: "ZZ", isaId: "ACMESTORES", gsId: "ACMEGS", ourIsaQualifier: "ZZ", ourIsaId: "OURSHOP", ourGsId: "OURGS", x12Version: "005010", usage: "T" };
    expect(await submit(fields(x12, ["855", "810"]))).toMatchObject({ ok: true });
    const { partners, channels } = await page();
    expect(partners.map((p) => [p.code, p.name, p.currency, p.items])).toEqual([["ACME", "Acme Stores", "USD", 0], ["CORNER", "Corner Shops", "USD", 0]]);
    expect(partners[0]).toMatchObject({ x12: { theirs: { isaId: "ACMESTORES" }, ours: { gsId: "OURGS" }, version: "005010", usage: "T" }, documents: ["855", "810"] });
    expect(partners[1].x12).toBeNull();
    expect(channels.filter((c) => c.kind === "wholesale").map((c) => c.name).sort()).toEqual(["Acme Stores", "Corner Shops"]);

    const corner = await partner("CORNER");
    expect(await submit(fields({ intent: "editPartner", partnerId: corner.id, code: "CORNER", name: "Corner Shops West", currency: "EUR" }))).toMatchObject({ ok: true, message: "Trading partner CORNER saved." });
    expect(await partner("CORNER")).toMatchObject({ name: "Corner Shops West", currency: "EUR" });
    const taken = await submit(fields({ intent: "editPartner", partnerId: corner.id, code: "ACME", name: "Corner Shops West", currency: "EUR" }));
    expect(taken).toMatchObject({ ok: false, partnerForm: corner.id, fieldErrors: { code: expect.stringMatching(/its code is another partner's/) } });
    expect(await submit(fields({ intent: "editPartner", partnerId: "nope", code: "X", name: "X", currency: "USD" }))).toMatchObject({ ok: false, error: "No trading partner nope in this shop" });
  });

  it("uploads a price list: every bad line named and nothing saved; a good one replaces the list and downloads as the same CSV", async () => {
    const acme = await partner("ACME");
    const bad = await submit([["intent", "uploadPriceList"], ["partnerId", acme.id]], "sku,buyer_part_number,unit_price\nPP-1,B-1,12.505\nPP-2,B-1,3\n,B-3,1\n");
    expect(bad).toMatchObject({ ok: false, partnerForm: acme.id });
    expect(bad.problems).toEqual(["line 2: unit_price 12.505 has more decimals than USD has (2)", "line 3: buyer part number B-1 is also on line 2 (for SKU PP-1)", "line 4: sku is missing"]);
    const unknown = await submit([["intent", "uploadPriceList"], ["partnerId", acme.id]], "sku;buyer part number;price\nPP-1;B-1;12,50\nGONE;B-2;3\n");
    expect(unknown.problems).toEqual(["line 3: SKU GONE is not in the catalog"]);
    expect((await partner("ACME")).items).toBe(0);
    expect(await submit([["intent", "uploadPriceList"], ["partnerId", acme.id]])).toMatchObject({ ok: false, error: expect.stringMatching(/^Choose a price-list file/) });

    const good = "sku,buyer_part_number,unit_price\r\nPP-1,B-1,12.50\r\nPP-2,,3.00\r\nPP-3,B-3,\r\n";
    expect(await submit([["intent", "uploadPriceList"], ["partnerId", acme.id]], good)).toMatchObject({ ok: true, message: "Price list saved: 3 items (the previous list is replaced)." });
    expect((await partner("ACME")).items).toBe(3);
    const download = await itemsCsv(bearerArgs(`/api/v1/partners/${acme.id}/items.csv`, token(), { id: acme.id }));
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="ACME-items.csv"');
    expect(await download.text()).toBe(good);
    expect(await submit([["intent", "uploadPriceList"], ["partnerId", acme.id]], "sku,unit_price\nPP-2,4\n")).toMatchObject({ ok: true });
    expect(await queryRows(`SELECT "sku","buyerPartNumber","unitPriceMinor" FROM "PartnerItem" WHERE "shopId" = ? AND "partnerId" = ?`, shopId, acme.id)).toEqual([{ sku: "PP-2", buyerPartNumber: null, unitPriceMinor: 400 }]);
    // Another shop's session never reads this partner's list.
    expect((await itemsCsv(bearerArgs(`/api/v1/partners/${acme.id}/items.csv`, token(OTHER), { id: acme.id }))).status).toBe(404);
    const handle = await remixRequestHandler();
    const routed = await handle(new Request(`http://127.0.0.1:3999/api/v1/partners/${acme.id}/items.csv`, { headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA } }));
    expect([routed.status, (await routed.text()).split("\r\n")[1]]).toEqual([200, "PP-2,,4.00"]);
    expect(await queryNumber(`SELECT COUNT(*) FROM "PartnerItem" WHERE "shopId" = ?`, shopId)).toBe(1);
  });
});

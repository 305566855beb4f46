import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { database } from "~/.server/db/database";
import { insertEdiDocument, listEdiDocuments, partnerItemsFor, takeControlNumbers, tradingPartnerByIsa } from "~/.server/db/trading-partners-sql";
import { createTradingPartner, editTradingPartner, findTradingPartner, savePartnerItems, tradingPartners } from "~/.server/use-cases/manage-trading-partners";
import { addSku } from "../support/catalog";
import { queryRows } from "../support/db-query";

// Wholesale trading partners (ADR 0017): each has its own wholesale channel (the first one takes over the seeded
// "Wholesale" channel when named so), its X12 ids complete or absent, its items table checked against the
// catalog, control numbers that never repeat, and documents kept once per natural key. No shop sees another's.

const SHOP = "partners.myshopify.com";
const OTHER = "partners-other.myshopify.com";
let shopId: string;
let otherId: string;

const acme = {
  code: "ACME",
  name: "Acme Stores",
  currency: "USD",
  isaQualifier: "ZZ",
  isaId: "ACMESTORES",
  gsId: "ACMEGS",
  ourIsaQualifier: "ZZ",
  ourIsaId: "OURSHOP",
  ourGsId: "OURGS",
  documents: ["855", "856", "810"],
};

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  otherId = (await ensureShop(OTHER)).id;
  for (const sku of ["TP-1", "TP-2", "TP-3"]) await addSku(shopId, sku);
});

describe("trading partners", () => {
  it("gives each partner its own wholesale channel and finds it by id, code and ISA id", async () => {
    const partner = await createTradingPartner(shopId, acme);
    expect(partner).toMatchObject({ code: "ACME", name: "Acme Stores", currency: "USD", documents: ["855", "856", "810"] });
    expect(partner.x12).toEqual({ theirs: { isaQualifier: "ZZ", isaId: "ACMESTORES", gsId: "ACMEGS" }, ours: { isaQualifier: "ZZ", isaId: "OURSHOP", gsId: "OURGS" }, version: "004010", usage: "P" });
    const channel = await queryRows<{ kind: string; name: string }>(`SELECT "kind","name" FROM "Channel" WHERE "shopId" = ? AND "id" = ?`, shopId, partner.channelId);
    expect(channel).toEqual([{ kind: "wholesale", name: "Acme Stores" }]);
    expect((await findTradingPartner(shopId, "ACME")).id).toBe(partner.id);
    expect((await findTradingPartner(shopId, partner.id)).code).toBe("ACME");
    expect((await tradingPartnerByIsa(database(), shopId, "zz", "acmestores   "))?.id).toBe(partner.id);
    await expect(findTradingPartner(otherId, "ACME")).rejects.toMatchObject({ code: "PARTNER.NOT_FOUND" });
    expect(await tradingPartnerByIsa(database(), otherId, "ZZ", "ACMESTORES")).toBeUndefined();
  });

  it("refuses a second partner with the same code, name or interchange id, and an incomplete set of X12 ids", async () => {
    await expect(createTradingPartner(shopId, { ...acme, name: "Other name" })).rejects.toMatchObject({ code: "PARTNER.TAKEN", status: 409 });
    await expect(createTradingPartner(shopId, { ...acme, code: "ACME2" })).rejects.toMatchObject({ code: "PARTNER.TAKEN" });
    await expect(createTradingPartner(shopId, { ...acme, code: "ACME3", name: "Acme Three" })).rejects.toMatchObject({ code: "PARTNER.TAKEN" });
    const incomplete = createTradingPartner(shopId, { code: "HALF", name: "Half", currency: "USD", isaQualifier: "ZZ", isaId: "HALF" });
    await expect(incomplete).rejects.toMatchObject({ code: "PARTNER.INVALID" });
    await expect(incomplete).rejects.toThrow(/gsId: needed when the partner trades by X12/);
    await expect(createTradingPartner(shopId, { code: "bad code!", name: "", currency: "usd" })).rejects.toThrow(/code: .*name: .*currency: /s);
    // The same code in another shop is that shop's own business.
    expect((await createTradingPartner(otherId, acme)).code).toBe("ACME");
  });

  it("takes over the seeded Wholesale channel when a partner is named so, and renames its channel with it", async () => {
    const seeded = await queryRows<{ id: string }>(`SELECT "id" FROM "Channel" WHERE "shopId" = ? AND "kind" = 'wholesale' AND "name" = 'Wholesale'`, shopId);
    const partner = await createTradingPartner(shopId, { code: "CSV", name: "Wholesale", currency: "EUR" });
    expect(partner.x12).toBeNull();
    if (seeded.length) expect(partner.channelId).toBe(seeded[0]!.id);
    const renamed = await editTradingPartner(shopId, partner.id, { code: "CSV", name: "Corner Shops", currency: "EUR" });
    expect(renamed.name).toBe("Corner Shops");
    expect(await queryRows(`SELECT "name" FROM "Channel" WHERE "shopId" = ? AND "id" = ?`, shopId, partner.channelId)).toEqual([{ name: "Corner Shops" }]);
    expect((await tradingPartners(shopId)).map((p) => p.code)).toEqual(["ACME", "CSV"]);
  });

  it("keeps an items table only when every SKU is known and each buyer part number names one SKU", async () => {
    const partner = await findTradingPartner(shopId, "ACME");
    await expect(savePartnerItems(shopId, partner.id, [
      { sku: "TP-1", buyerPartNumber: "B-1", unitPriceMinor: 1250 },
      { sku: "TP-2", buyerPartNumber: "B-1", unitPriceMinor: null },
      { sku: "NOPE", buyerPartNumber: null, unitPriceMinor: -5 },
    ])).rejects.toThrow(/buyer part number B-1 names both TP-1 and TP-2; SKU NOPE: the price must be .*; not in the catalog: NOPE/);
    expect(await partnerItemsFor(database(), shopId, partner.id, ["TP-1"], [])).toEqual([]); // nothing saved
    expect(await savePartnerItems(shopId, partner.id, [
      { sku: "TP-1", buyerPartNumber: "B-1", unitPriceMinor: 1250 },
      { sku: "TP-2", buyerPartNumber: null, unitPriceMinor: 990 },
    ])).toBe(2);
    const found = await partnerItemsFor(database(), shopId, partner.id, ["TP-2"], ["B-1"]);
    expect(found.sort((a, b) => a.sku.localeCompare(b.sku))).toEqual([
      { sku: "TP-1", buyerPartNumber: "B-1", unitPriceMinor: 1250 },
      { sku: "TP-2", buyerPartNumber: null, unitPriceMinor: 990 },
    ]);
    // A new list replaces the old one.
    await savePartnerItems(shopId, partner.id, [{ sku: "TP-3", buyerPartNumber: "B-3", unitPriceMinor: 100 }]);
    expect(await partnerItemsFor(database(), shopId, partner.id, ["TP-1", "TP-2", "TP-3"], [])).toEqual([{ sku: "TP-3", buyerPartNumber: "B-3", unitPriceMinor: 100 }]);
  });

  it("never hands out the same control numbers twice, even to concurrent documents", async () => {
    const partner = await findTradingPartner(shopId, "ACME");
    const taken = await Promise.all(Array.from({ length: 8 }, () => database().transaction((tx) => takeControlNumbers(tx, shopId, partner.id))));
    expect(new Set(taken.map((t) => t.interchange)).size).toBe(8);
    expect(Math.max(...taken.map((t) => t.group))).toBe(8);
  });

  it("keeps a document once per partner, direction, type and key", async () => {
    const partner = await findTradingPartner(shopId, "ACME");
    const doc = { partnerId: partner.id, direction: "out" as const, type: "855", documentKey: "PO-1", orderId: null, importId: null, interchangeControl: 9, content: "ISA*…~" };
    expect(await database().transaction((tx) => insertEdiDocument(tx, shopId, doc))).toBe(true);
    expect(await database().transaction((tx) => insertEdiDocument(tx, shopId, { ...doc, content: "again" }))).toBe(false);
    expect((await listEdiDocuments(database(), shopId, { partnerId: partner.id })).map((d) => [d.type, d.documentKey])).toEqual([["855", "PO-1"]]);
    expect(await listEdiDocuments(database(), otherId)).toEqual([]);
  });
});

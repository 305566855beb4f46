import { X12Parser, type X12Interchange as NodeX12Interchange } from "node-x12";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { latestDecisionId } from "~/.server/db/pipeline-sql";
import { shipmentById } from "~/.server/db/shipments-sql";
import { ensureShop, findShopByDomain } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { completeRouting } from "~/.server/use-cases/complete-routing";
import { confirmShipment } from "~/.server/use-cases/confirm-shipment";
import { createApiKey } from "~/.server/use-cases/manage-api-keys";
import { createApiOrder } from "~/.server/use-cases/create-api-order";
import { createTradingPartner, savePartnerItems } from "~/.server/use-cases/manage-trading-partners";
import { receiveStock } from "~/.server/use-cases/receive-stock";
import { shipOrder } from "~/.server/use-cases/ship-order";
import { readInterchange } from "~/domain/edi/x12-read";
import type { TradingPartner } from "~/domain/wholesale/trading-partner";
import { loader as documentText } from "~/routes/api.v1.partners.$id.documents.$docId[.]edi";
import { loader as documentList } from "~/routes/api.v1.partners.$id.documents";
import { loader as partnerDocumentsPage } from "~/routes/app.partners.$id.documents";
import { loader as orderPage } from "~/routes/app.orders.$id";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku } from "../support/catalog";
import { queryRow, queryRows } from "../support/db-query";
import { remixRequestHandler } from "../support/remix-app";
import { bearerArgs, statusOf } from "../support/requests";
import { addOfflineSession } from "../support/sessions";

// Issue 12 item 4, outbound (ADR 0022): a trading partner's order is acknowledged (855) from what its first routing
// placed — accepted where reserved, backordered where not — once, whatever re-routes follow; each shipment is told
// as an 856 (a pack per carton, SSCC or carton id, tracking, the carrier's SCAC) and invoiced as an 810 at the
// order's prices; every document takes the partner's next control numbers, is kept whole, and is downloadable by
// its shop only. A partner that wants nothing gets nothing.

const SHOP = "wholesale-documents.myshopify.com";
const OTHER = "wholesale-documents-other.myshopify.com";
setQueue(new InProcessQueue()); // jobs are recorded; the test runs the routing and confirmation jobs itself
const token = (shop = SHOP) => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, shop);

const X12_IDS = { isaQualifier: "ZZ", gsId: "ACMEGS", ourIsaQualifier: "ZZ", ourIsaId: "OURSHOP", ourGsId: "OURGS" };
let shopId: string;
let acme: TradingPartner;
let quiet: TradingPartner;
let renoId: string;
let capId: string;

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await ensureShop(OTHER);
  await addOfflineSession(SHOP);
  await addOfflineSession(OTHER);
  renoId = (await addLocation(shopId, "1", "reno")).id;
  await addSku(shopId, "WD-MUG", { [renoId]: 30 });
  capId = (await addSku(shopId, "WD-CAP", { [renoId]: 2 })).id;
  acme = await createTradingPartner(shopId, { code: "ACME", name: "Acme Stores", currency: "USD", isaId: "ACMESTORES", ...X12_IDS, documents: ["855", "856", "810"] });
  await savePartnerItems(shopId, acme.id, [{ sku: "WD-MUG", buyerPartNumber: "B-MUG", unitPriceMinor: 450 }]);
  quiet = await createTradingPartner(shopId, { code: "QUIET", name: "Quiet Buyer", currency: "USD", isaId: "QUIETBUYER", ...X12_IDS, documents: [] });
});

async function placeOrder(partner: TradingPartner, poNumber: string, lines: { externalId: string; sku: string; quantity: number; priceMinor: number }[]) {
  const shop = (await findShopByDomain(database(), SHOP))!;
  const { order } = await createApiOrder(shop, {
    channelId: partner.channelId, externalId: poNumber, placedAt: "2026-11-20T10:00:00Z",
    shipTo: { name: "Acme DC 4", address1: "1 Dock Rd", city: "Reno", province: "NV", countryCode: "US", zip: "89501" }, lines,
  }, { actor: "api" });
  return order.id;
}

/** The apply-routing job for the decision in force, as the worker runs it. */
async function runRoutingJob(orderId: string) {
  const decisionId = (await latestDecisionId(database(), shopId, orderId))!;
  return completeRouting({ shopId, orderId, decisionId });
}

interface StoredDocument {
  id: string;
  type: string;
  documentKey: string;
  orderId: string;
  interchangeControl: number;
  content: string;
}
const documentsOf = async (partnerId: string) =>
  (await queryRows<StoredDocument>(`SELECT "id","type","documentKey","orderId","interchangeControl","content" FROM "EdiDocument" WHERE "shopId" = ? AND "partnerId" = ? AND "direction" = 'out'`, shopId, partnerId)).map((d) => ({ ...d, interchangeControl: Number(d.interchangeControl) }));
const controlsOf = async (partnerId: string) => {
  const row = (await queryRow<{ interchangeControl: number; groupControl: number }>(`SELECT "interchangeControl","groupControl" FROM "TradingPartner" WHERE "shopId" = ? AND "id" = ?`, shopId, partnerId))!;
  return [Number(row.interchangeControl), Number(row.groupControl)];
};

/** The one transaction set of a document, read back with our reader (envelope counts and control numbers checked). */
function setOf(content: string) {
  const read = readInterchange(content);
  if (!read.ok) throw new Error(read.error);
  expect(read.interchange.groups).toHaveLength(1);
  expect(read.interchange.groups[0]!.transactionSets).toHaveLength(1);
  const set = read.interchange.groups[0]!.transactionSets[0]!;
  return { interchange: read.interchange, set, segments: set.segments.map((s) => [s.tag, ...s.elements].join("*")) };
}

describe("documents to a wholesale trading partner", () => {
  let orderId: string;
  let shipmentId: string;

  it("acknowledges the order once, when first routed: IA for the reserved units, IB for the backordered", async () => {
    orderId = await placeOrder(acme, "PO-4401", [{ externalId: "1", sku: "WD-MUG", quantity: 10, priceMinor: 450 }, { externalId: "2", sku: "WD-CAP", quantity: 6, priceMinor: 1299 }]);
    expect(await documentsOf(acme.id)).toEqual([]); // nothing before the routing job
    expect(await runRoutingJob(orderId)).toBe("applied");

    const [ack, ...more] = await documentsOf(acme.id);
    expect(more).toEqual([]);
    expect(ack).toMatchObject({ type: "855", documentKey: "PO-4401", orderId, interchangeControl: 1 });
    const { interchange, set, segments } = setOf(ack!.content);
    expect([interchange.sender.id, interchange.receiver.id, interchange.controlNumber, set.id]).toEqual(["OURSHOP", "ACMESTORES", "000000001", "855"]);
    expect(segments.filter((s) => /^(BAK|PO1|ACK|CTT)/.test(s)).map((s) => s.replace(/\*\d{8}$/, "*<today>"))).toEqual([
      "BAK*00*AC*PO-4401*20261120*****<today>",
      "PO1*1*10*EA*4.5*PE*VP*WD-MUG*BP*B-MUG",
      "ACK*IA*10*EA",
      "PO1*2*6*EA*12.99*PE*VP*WD-CAP",
      "ACK*IA*2*EA",
      "ACK*IB*4*EA",
      "CTT*2",
    ]);
    const parsed = new X12Parser(true).parse(ack!.content) as NodeX12Interchange;
    expect(parsed.functionalGroups[0]!.transactions[0]!.segments.filter((s) => s.tag === "ACK")).toHaveLength(3);

    // The job again (a redelivery, a re-route): the 855 kept is the one, and no control number is taken.
    const before = await controlsOf(acme.id);
    expect(await runRoutingJob(orderId)).toBe("applied");
    expect(await documentsOf(acme.id)).toEqual([ack]);
    expect(await controlsOf(acme.id)).toEqual(before);
  });

  it("refuses a shipment whose 18-digit carton id is not a valid SSCC-18, before recording anything", async () => {
    const wrong = shipOrder(shopId, orderId, {
      externalId: "S-BAD", carrier: "UPS",
      cartons: [{ id: "106141412345678909", trackingNumber: "1Z999AA10123456700", lines: [{ sku: "WD-MUG", quantity: 10 }] }],
    }, { actor: "test" });
    await expect(wrong).rejects.toMatchObject({ code: "SHIPMENT.INVALID" });
    await expect(wrong).rejects.toThrow("carton 106141412345678909: 18 digits are read as an SSCC-18 for Acme Stores's ship notice (856), but its check digit should be 8, not 9");
    expect(await queryRows(`SELECT "id" FROM "Shipment" WHERE "shopId" = ? AND "orderId" = ?`, shopId, orderId)).toEqual([]);
  });

  it("tells a shipment as an 856 (a pack per carton, tracking, SCAC) and invoices it as an 810 at the order's prices", async () => {
    const { shipment } = await shipOrder(shopId, orderId, {
      externalId: "S-1", carrier: "UPS", service: "Ground", shippedAt: "2026-11-22T15:04:00Z",
      cartons: [
        { id: "106141412345678908", trackingNumber: "1Z999AA10123456784", lines: [{ sku: "WD-MUG", quantity: 10 }] },
        { id: "C-2", trackingNumber: "1Z999AA10123456791", lines: [{ sku: "WD-CAP", quantity: 2 }] },
      ],
    }, { actor: "test" });
    shipmentId = shipment.id;
    expect(shipment.channelStatus).toBe("pending");
    expect(await confirmShipment(shopId, shipmentId, { lastAttempt: false })).toBe("confirmed");
    expect((await shipmentById(database(), shopId, shipmentId))!.channelStatus).toBe("confirmed");

    const docs = await documentsOf(acme.id);
    const byType = Object.fromEntries(docs.map((d) => [d.type, d]));
    expect(docs.map((d) => d.type).sort()).toEqual(["810", "855", "856"]);
    expect([byType["856"]!.documentKey, byType["810"]!.documentKey]).toEqual([shipmentId, shipmentId]);
    // Control numbers strictly increase, document after document, and ISA13 says the same.
    const controls = ["855", "856", "810"].map((t) => byType[t]!.interchangeControl);
    expect(controls).toEqual([1, 2, 3]);
    for (const d of docs) expect(Number(setOf(d.content).interchange.controlNumber)).toBe(d.interchangeControl);

    const asn = setOf(byType["856"]!.content);
    expect(asn.set.id).toBe("856");
    expect(asn.segments.filter((s) => /^(BSN|TD5|PRF|HL|MAN|SN1|CTT|N1)/.test(s))).toEqual([
      "BSN*00*S-1*20261122*1504*0001",
      "HL*1**S*1",
      "TD5**2*UPSN*U*Ground",
      "N1*ST*Acme DC 4",
      "N1*SF*reno",
      "HL*2*1*O*1",
      "PRF*PO-4401***20261120",
      "HL*3*2*P*1",
      "MAN*GM*106141412345678908",
      "MAN*CP*1Z999AA10123456784",
      "HL*4*3*I*0",
      "SN1*1*10*EA**10*EA",
      "HL*5*2*P*1",
      "MAN*SM*C-2",
      "MAN*CP*1Z999AA10123456791",
      "HL*6*5*I*0",
      "SN1*2*2*EA**6*EA",
      "CTT*6*12",
    ]);
    const asnParsed = new X12Parser(true).parse(byType["856"]!.content) as NodeX12Interchange;
    const hl = asnParsed.functionalGroups[0]!.transactions[0]!.segments.filter((s) => s.tag === "HL");
    expect(hl.filter((s) => s.elements[2]!.value === "P")).toHaveLength(2);

    const invoice = setOf(byType["810"]!.content);
    expect(invoice.segments.filter((s) => /^(BIG|IT1|TDS|CAD|CTT)/.test(s))).toEqual([
      "BIG*20261122*PO-4401-1*20261120*PO-4401",
      "IT1*1*10*EA*4.5*PE*VP*WD-MUG*BP*B-MUG",
      "IT1*2*2*EA*12.99*PE*VP*WD-CAP",
      `TDS*${10 * 450 + 2 * 1299}`,
      "CAD*U***UPSN***CN*1Z999AA10123456784",
      "CTT*2",
    ]);

    // The job again: already confirmed, skipped; the documents and the counters stay as they are.
    const before = await controlsOf(acme.id);
    expect(await confirmShipment(shopId, shipmentId, { lastAttempt: false })).toBe("skipped");
    expect(await documentsOf(acme.id)).toHaveLength(3);
    expect(await controlsOf(acme.id)).toEqual(before);
  });

  it("keeps the one 855 when a filled backorder routes the order again, and invoices the next shipment as <PO>-2", async () => {
    await receiveStock(shopId, { variantId: capId, locationId: renoId, quantity: 10, reason: "received", idempotencyKey: "po-cap:1" });
    expect((await queryRows<{ status: string }>(`SELECT a."status" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" = 'backordered'`, shopId, orderId))).toEqual([]);
    expect(await runRoutingJob(orderId)).toBe("applied");
    expect((await documentsOf(acme.id)).filter((d) => d.type === "855")).toHaveLength(1);

    const { shipment } = await shipOrder(shopId, orderId, { externalId: "S-2", carrier: "Acme Freight", trackingNumber: "AF-77", shippedAt: "2026-11-25T09:00:00Z", lines: [{ sku: "WD-CAP", quantity: 4 }] }, { actor: "test" });
    expect(await confirmShipment(shopId, shipment.id, { lastAttempt: false })).toBe("confirmed");
    const later = (await documentsOf(acme.id)).filter((d) => d.documentKey === shipment.id);
    expect(later.map((d) => [d.type, d.interchangeControl]).sort()).toEqual([["810", 5], ["856", 4]]);
    const invoice = setOf(later.find((d) => d.type === "810")!.content);
    expect(invoice.segments.filter((s) => /^(BIG|IT1|TDS|CAD)/.test(s))).toEqual(["BIG*20261125*PO-4401-2*20261120*PO-4401", "IT1*2*4*EA*12.99*PE*VP*WD-CAP", `TDS*${4 * 1299}`, "CAD*M****Acme Freight**CN*AF-77"]);
    const asn = setOf(later.find((d) => d.type === "856")!.content);
    expect(asn.segments.filter((s) => /^(TD5|MAN)/.test(s))).toEqual(["TD5****M*Acme Freight", "MAN*SM*1", "MAN*CP*AF-77"]);
  });

  it("gives a partner that wants nothing no documents, and its shipment needs no telling", async () => {
    const order = await placeOrder(quiet, "Q-1", [{ externalId: "1", sku: "WD-MUG", quantity: 1, priceMinor: 450 }]);
    expect(await runRoutingJob(order)).toBe("applied");
    const { shipment } = await shipOrder(shopId, order, { carrier: "UPS", trackingNumber: "1Z999AA10000000001", cartons: [{ id: "106141412345678909", lines: [{ sku: "WD-MUG", quantity: 1 }] }] }, { actor: "test" });
    expect(await confirmShipment(shopId, shipment.id, { lastAttempt: false })).toBe("none");
    expect((await shipmentById(database(), shopId, shipment.id))!.channelStatus).toBe("none");
    expect(await documentsOf(quiet.id)).toEqual([]);
    expect(await controlsOf(quiet.id)).toEqual([0, 0]);
  });

  it("lists and downloads the documents, by partner id or code, on the API, the order page and the partner's page; another shop reads none", async () => {
    const docs = await documentsOf(acme.id);
    const listed = (await (await documentList(bearerArgs(`/api/v1/partners/ACME/documents`, token(), { id: "ACME" }))).json()) as { partner: { id: string }; documents: { id: string; type: string; direction: string; documentKey: string; orderId: string; controlNumber: number; createdAt: string }[] };
    expect(listed.partner.id).toBe(acme.id);
    expect(listed.documents.map((d) => [d.type, d.direction, d.orderId, d.controlNumber]).sort()).toEqual([["810", "out", orderId, 3], ["810", "out", orderId, 5], ["855", "out", orderId, 1], ["856", "out", orderId, 2], ["856", "out", orderId, 4]]);

    const ack = docs.find((d) => d.type === "855")!;
    const download = await documentText(bearerArgs(`/api/v1/partners/${acme.id}/documents/${ack.id}.edi`, token(), { id: acme.id, docId: ack.id }));
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/edi-x12");
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="ACME-855-PO-4401-1.edi"');
    expect(await download.text()).toBe(ack.content);

    // An integration's read-only key reads it too; through the app's route table, the .edi path finds the route.
    const key = (await createApiKey(shopId, { name: "EDI archive", scope: "read" })).text;
    const handle = await remixRequestHandler();
    const routed = await handle(new Request(`http://127.0.0.1:3999/api/v1/partners/ACME/documents/${ack.id}.edi`, { headers: { Authorization: `Bearer ${key}` } }));
    expect([routed.status, await routed.text()]).toEqual([200, ack.content]);

    const page = (await orderPage(bearerArgs(`/app/orders/${orderId}`, token(), { id: orderId }))) as Awaited<ReturnType<typeof orderPage>>;
    expect(page.ediDocuments.map((d) => d.type).sort()).toEqual(["810", "810", "855", "856", "856"]);
    expect(new Set(page.ediDocuments.map((d) => d.partnerId))).toEqual(new Set([acme.id]));
    const partnerPage = (await partnerDocumentsPage(bearerArgs(`/app/partners/${acme.id}/documents`, token(), { id: acme.id }))) as Awaited<ReturnType<typeof partnerDocumentsPage>>;
    expect(partnerPage.documents).toHaveLength(5);

    // Another shop: neither the partner, nor the document, nor the list.
    expect((await documentText(bearerArgs(`/api/v1/partners/${acme.id}/documents/${ack.id}.edi`, token(OTHER), { id: acme.id, docId: ack.id }))).status).toBe(404);
    expect((await documentList(bearerArgs(`/api/v1/partners/${acme.id}/documents`, token(OTHER), { id: acme.id }))).status).toBe(404);
    expect(await statusOf(() => partnerDocumentsPage(bearerArgs(`/app/partners/${acme.id}/documents`, token(OTHER), { id: acme.id })))).toBe(404);
    // Another partner of the same shop does not reach it by its id either.
    expect((await documentText(bearerArgs(`/api/v1/partners/QUIET/documents/${ack.id}.edi`, token(), { id: "QUIET", docId: ack.id }))).status).toBe(404);
  });

  it("takes control numbers once when routing jobs for one order run at the same time", async () => {
    const order = await placeOrder(acme, "PO-4402", [{ externalId: "1", sku: "WD-MUG", quantity: 2, priceMinor: 450 }]);
    const [before] = await controlsOf(acme.id);
    expect(await Promise.all([runRoutingJob(order), runRoutingJob(order), runRoutingJob(order)])).toEqual(["applied", "applied", "applied"]);
    const acks = (await documentsOf(acme.id)).filter((d) => d.documentKey === "PO-4402");
    expect(acks.map((d) => [d.type, d.interchangeControl])).toEqual([["855", before! + 1]]);
    expect((await controlsOf(acme.id))[0]).toBe(before! + 1);
  });
});

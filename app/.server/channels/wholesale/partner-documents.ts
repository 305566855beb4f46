import type { ShipmentPlan } from "~/domain/fulfillment/shipment";
import { build810 } from "~/domain/edi/x12-810";
import { build855 } from "~/domain/edi/x12-855";
import { build856 } from "~/domain/edi/x12-856";
import type { PartyInput } from "~/domain/edi/x12-parties";
import type { OutboundEnvelope, X12Build } from "~/domain/edi/x12-write";
import { poAcknowledgement, shipmentInvoice, shipNotice, ssccProblems, wantsDocument, type DocumentOrder } from "~/domain/wholesale/partner-documents";
import type { PartnerDocument, TradingPartner } from "~/domain/wholesale/trading-partner";
import { audit } from "../../db/audit";
import { listLocations } from "../../db/catalog";
import { database, RetryableConflict, type Queryable, type Tx } from "../../db/database";
import { orderWithLines } from "../../db/orders";
import { orderShipments } from "../../db/shipments-sql";
import { findShopById, type ChannelRow } from "../../db/shops";
import { ediDocumentExists, insertEdiDocument, partnerItemsFor, takeControlNumbers, tradingPartnerByChannel } from "../../db/trading-partners-sql";
import { AppError } from "../../errors";
import type { ApplyRoutingInput, ConfirmShipmentInput } from "../channel-adapter";

// The documents a wholesale trading partner gets back by X12 (ADR 0022): the 855 when its order is first routed,
// and the 856 and 810 of every shipment. Each is written once per (partner, type, key) inside the transaction that
// takes its control numbers, so a repeated job finds it kept and takes no numbers; the text is kept whole in
// EdiDocument, downloadable from the API and the admin. Mapping rules: app/domain/wholesale/partner-documents.ts.

type Outcome = "made" | "kept";

/**
 * Keeps one outbound document: kept already → nothing; else the partner's next control numbers, the text, and the
 * row, in the caller's transaction. A document that cannot be written (a PO number longer than X12 carries) is a
 * refusal (AppError invalid_data) and nothing is stored; one stored meanwhile by another run reruns the transaction.
 */
async function keepDocument(tx: Tx, shopId: string, partner: TradingPartner, doc: { type: PartnerDocument; key: string; orderId: string; at: Date }, write: (envelope: OutboundEnvelope) => X12Build): Promise<Outcome> {
  const x12 = partner.x12!;
  if (await ediDocumentExists(tx, shopId, partner.id, "out", doc.type, doc.key)) return "kept";
  const control = await takeControlNumbers(tx, shopId, partner.id);
  const made = write({ ours: x12.ours, theirs: x12.theirs, version: x12.version, usage: x12.usage, control: { ...control, transactionSet: control.group }, createdAt: doc.at.toISOString() });
  if (!made.ok) throw new AppError("invalid_data", "EDI.DOCUMENT_NOT_WRITTEN", `The ${doc.type} for ${partner.name} (${doc.key}) cannot be written: ${made.error}`);
  const stored = await insertEdiDocument(tx, shopId, { partnerId: partner.id, direction: "out", type: doc.type, documentKey: doc.key, orderId: doc.orderId, importId: null, interchangeControl: control.interchange, content: made.text });
  if (!stored) throw new RetryableConflict(`The ${doc.type} ${doc.key} to partner ${partner.id} was stored meanwhile`);
  return "made";
}

/** The order as the documents read it: lines with the partner's part numbers and units shipped, its ship-to. */
async function documentOrder(q: Queryable, shopId: string, orderId: string, partner: TradingPartner): Promise<DocumentOrder> {
  const order = await orderWithLines(q, shopId, orderId);
  if (!order) throw new AppError("not_found", "ORDER.NOT_FOUND", `No order ${orderId} in this shop`);
  const skus = order.lines.map((l) => l.sku).filter((s): s is string => !!s);
  const parts = new Map((await partnerItemsFor(q, shopId, partner.id, skus, [])).map((i) => [i.sku, i.buyerPartNumber]));
  const hasAddress = order.shipAddress1 || order.shipCity || order.shipZip;
  return {
    poNumber: order.externalId,
    placedAt: order.placedAt,
    currency: order.currency,
    cancelled: order.status === "cancelled",
    shipTo: order.customerName || hasAddress
      ? { name: order.customerName ?? partner.name, addressLines: order.shipAddress1 ? [order.shipAddress1] : [], city: order.shipCity, state: order.shipProvince, postalCode: order.shipZip, country: order.shipCountryCode }
      : null,
    lines: order.lines.map((l) => ({
      externalId: l.externalId, sku: l.sku, title: l.title, quantity: l.quantity, priceMinor: l.priceMinor, buyerPartNumber: (l.sku && parts.get(l.sku)) || null,
      shipped: l.allocations.filter((a) => a.status === "fulfilled" || a.status === "returned").reduce((n, a) => n + a.quantity, 0),
    })),
  };
}

/**
 * After a routing decision (the apply-routing job): the 855 of a partner's order that wants one, from the units the
 * decision placed. The first routing's answer is the one kept; a later re-route finds it and sends nothing. A
 * document that cannot be written is put on the order's timeline, not thrown: it must not hold the order's routing.
 */
export async function acknowledgeOrder(input: ApplyRoutingInput, now = new Date()): Promise<Outcome | "not-needed" | "failed"> {
  const db = database();
  const shopId = input.channel.shopId;
  const partner = await tradingPartnerByChannel(db, shopId, input.channel.id);
  if (!partner || !wantsDocument(partner, "855")) return "not-needed";
  if (await ediDocumentExists(db, shopId, partner.id, "out", "855", input.orderExternalId)) return "kept";
  const order = await documentOrder(db, shopId, input.orderId, partner);
  const ack = poAcknowledgement(order, input.placements, now.toISOString());
  try {
    return await db.transaction((tx) => keepDocument(tx, shopId, partner, { type: "855", key: order.poNumber, orderId: input.orderId, at: now }, (envelope) => build855(ack, envelope)));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await audit(db, shopId, "job:apply-routing", "edi.855_failed", { type: "order", id: input.orderId }, { partner: partner.code, error: error.message.slice(0, 500) });
    return "failed";
  }
}

const locationParty = (l: { name: string; address1: string | null; city: string | null; province: string | null; zip: string | null; countryCode: string | null }): PartyInput => ({
  name: l.name, addressLines: l.address1 ? [l.address1] : [], city: l.city, state: l.province, postalCode: l.zip, country: l.countryCode,
});

/**
 * A shipment of a partner's order (the confirm-shipment job): its 856 and its 810, as the partner wants them, in one
 * transaction. "not-needed" when the partner wants neither or does not trade by X12.
 */
export async function sendShipmentDocuments(input: ConfirmShipmentInput, now = new Date()): Promise<"confirmed" | "not-needed"> {
  const db = database();
  const partner = await tradingPartnerByChannel(db, input.shopId, input.channel.id);
  const wanted = partner ? (["856", "810"] as const).filter((t) => wantsDocument(partner, t)) : [];
  if (!partner || wanted.length === 0) return "not-needed";
  const shipments = await orderShipments(db, input.shopId, input.orderId);
  const ordinal = shipments.findIndex((s) => s.id === input.shipmentId) + 1;
  if (ordinal === 0) throw new AppError("not_found", "SHIPMENT.NOT_FOUND", `No shipment ${input.shipmentId} of order ${input.orderExternalId}`);
  const shipment = shipments[ordinal - 1]!;
  const order = await documentOrder(db, input.shopId, input.orderId, partner);
  const location = shipment.locationId ? (await listLocations(db, input.shopId)).find((l) => l.id === shipment.locationId) : undefined;
  const shipFrom = location ? locationParty(location) : { name: (await findShopById(db, input.shopId))?.name || "Ship from" };
  const shipTo = order.shipTo ?? { name: partner.name };
  await db.transaction(async (tx) => {
    const doc = (type: PartnerDocument) => ({ type, key: shipment.id, orderId: input.orderId, at: now });
    if (wanted.includes("856")) await keepDocument(tx, input.shopId, partner, doc("856"), (envelope) => build856(shipNotice(order, shipment, { shipTo, shipFrom }), envelope));
    if (wanted.includes("810")) await keepDocument(tx, input.shopId, partner, doc("810"), (envelope) => build810(shipmentInvoice(order, shipment, ordinal, { billTo: { name: partner.name }, shipTo, shipFrom }), envelope));
  });
  return "confirmed";
}

/** What a partner that wants an 856 cannot be sent: a carton id of 18 digits that is not a valid SSCC-18. */
export async function checkPartnerShipment(shipment: ShipmentPlan, ctx: { shopId: string; channel: ChannelRow }): Promise<string[]> {
  const partner = await tradingPartnerByChannel(database(), ctx.shopId, ctx.channel.id);
  if (!partner || !wantsDocument(partner, "856")) return [];
  return ssccProblems(shipment.cartons, partner.name);
}

import { build997 } from "~/domain/edi/x12-997";
import type { X12InterchangeHeader } from "~/domain/edi/x12-model";
import { buildTa1, TA1_ACCEPTED, TA1_NOTES, type Ta1Answer } from "~/domain/edi/x12-ta1";
import type { ImportLineResult, ParsedImportFile } from "~/domain/imports/import-file";
import { indexPartnerItems, type TradingPartner } from "~/domain/wholesale/trading-partner";
import { isX12ParsedFile, readX12PurchaseOrders, type InboundInterchange, type X12ParsedFile, type X12PurchaseOrder } from "~/domain/wholesale/x12-po";
import { ackResults, interchangeKey } from "~/domain/wholesale/x12-po-ack";
import { checkX12PurchaseOrders, interchangeRefusal, type HeldOrder, type PreviousX12Order } from "~/domain/wholesale/x12-po-check";
import type { ApiOrderInput } from "~/domain/orders/api-order";
import { database, RetryableConflict } from "../db/database";
import { keptEdiDocument, partnerOrderStates } from "../db/edi-inbound-sql";
import { findShopById } from "../db/shops";
import { insertEdiDocument, partnerItemsFor, takeControlNumbers, tradingPartnerByIsa } from "../db/trading-partners-sql";
import { knownSkus } from "../db/wholesale-import-sql";
import { AppError } from "../errors";
import { cancelPartnerOrder } from "../use-cases/cancel-partner-order";
import { createApiOrder, previousApiOrders } from "../use-cases/create-api-order";
import type { AcknowledgeContext, ImportFormat } from "./import-format";

// X12 850 purchase orders (ADR 0021): the file read by app/domain/wholesale/x12-po.ts (every interchange, every
// 850), checked by x12-po-check.ts against the partner each interchange's ISA sender names, its items and what its
// channel holds; each PO taken in as a CSV PO is (createApiOrder on the partner's channel, idempotent on the PO's
// content) or, for a cancellation (BEG01 01), its order cancelled. The sender is answered with a 997 per
// interchange, kept as an EdiDocument under the interchange's sender and ISA13: importing the same interchange again
// answers the kept 997 and takes no new control numbers. Each inbound interchange is kept beside it. An interchange
// that asks for it (ISA14 1) is also answered with a TA1 (A), kept the same way under the same key; one the reader
// refused whole for its envelope, from a partner and addressed to us, with a TA1 R saying why (TA105).

export const x12Format: ImportFormat<X12PurchaseOrder> = {
  id: "x12",
  label: "X12 850 purchase orders (EDI)",
  channelKind: "wholesale",
  accept: ".edi,.x12,.txt,.850,application/edi-x12,text/plain",
  partner: "from-document",
  lineUnit: "segment",
  parse: (bytes) => readX12PurchaseOrders(bytes),

  async check({ shopId, partner: named }, parsed) {
    if (parsed.fileError || !isX12ParsedFile(parsed)) return parsed;
    const db = database();
    const partners = new Map<string, TradingPartner | null>();
    const senderKey = (ic: InboundInterchange) => `${ic.interchange.sender.qualifier.toUpperCase()}/${ic.interchange.sender.id.toUpperCase()}`;
    for (const ic of parsed.x12.interchanges) {
      const k = senderKey(ic);
      if (!partners.has(k)) partners.set(k, (await tradingPartnerByIsa(db, shopId, ic.interchange.sender.qualifier, ic.interchange.sender.id)) ?? null);
    }
    // What each partner's POs name: its items for those part numbers, the catalog's SKUs, what its channel holds.
    const named850 = new Map<string, { partner: TradingPartner; vendor: string[]; buyer: string[]; places: string[]; cancels: string[] }>();
    for (const ic of parsed.x12.interchanges) {
      const partner = partners.get(senderKey(ic));
      if (!partner) continue;
      const entry = named850.get(partner.id) ?? { partner, vendor: [], buyer: [], places: [], cancels: [] };
      named850.set(partner.id, entry);
      for (const s of ic.sets) {
        const doc = s.read?.document;
        if (!doc?.poNumber) continue;
        (doc.purpose === "cancellation" ? entry.cancels : entry.places).push(doc.poNumber);
        for (const l of doc.lines) {
          if (l.vendorPartNumber) entry.vendor.push(l.vendorPartNumber);
          if (l.buyerPartNumber) entry.buyer.push(l.buyerPartNumber);
        }
      }
    }
    const items = new Map<string, ReturnType<typeof indexPartnerItems>>();
    const previous = new Map<string, (order: ApiOrderInput) => string>();
    const held = new Map<string, Map<string, HeldOrder>>();
    const skus: string[] = [];
    for (const { partner, vendor, buyer, places, cancels } of named850.values()) {
      const rows = await partnerItemsFor(db, shopId, partner.id, vendor, buyer);
      items.set(partner.id, indexPartnerItems(rows));
      skus.push(...vendor, ...rows.map((r) => r.sku));
      previous.set(partner.id, await previousApiOrders(shopId, partner.channelId, places));
      held.set(partner.id, cancels.length ? await partnerOrderStates(db, shopId, partner.channelId, cancels) : new Map());
    }
    const known = await knownSkus(db, shopId, skus);
    const none = indexPartnerItems([]);
    return checkX12PurchaseOrders(parsed, {
      named,
      partnerOf: (sender) => partners.get(`${sender.qualifier.toUpperCase()}/${sender.id.toUpperCase()}`) ?? null,
      knownSku: (sku) => known.has(sku),
      itemsOf: (partner) => items.get(partner.id) ?? none,
      previous: (partner, order) => {
        const p = previous.get(partner.id)?.(order) ?? "new";
        return (p === "not-from-api" ? "not-from-import" : p) as PreviousX12Order;
      },
      held: (partner, po) => held.get(partner.id)?.get(po) ?? null,
    });
  },

  async apply(channel, document, actor) {
    const { action, order } = document.payload;
    const note = document.note ? `; ${document.note}` : "";
    if (action === "cancel") {
      const cancelled = await cancelPartnerOrder(channel, document.key, { actor });
      return cancelled.outcome === "cancelled"
        ? { outcome: "cancelled", orderId: cancelled.orderId, message: `PO ${document.key}: its order is cancelled (850 cancellation)${note}` }
        : { outcome: "unchanged", orderId: cancelled.orderId, message: `PO ${document.key}: unchanged (its order was cancelled before)${note}` };
    }
    if (action !== "place" || !order) throw new AppError("unexpected_state", "IMPORT.UNCHECKED", `PO ${document.key} was not checked before it was applied`);
    const shop = await findShopById(database(), channel.shopId);
    if (!shop) throw new AppError("not_found", "SHOP.NOT_FOUND", "The shop is gone");
    try {
      const result = await createApiOrder(shop, { ...order, channelId: channel.channelId }, { actor });
      return result.created
        ? { outcome: "created", orderId: result.order.id, message: `PO ${document.key}: created, ${result.order.status}${note}` }
        : { outcome: "unchanged", orderId: result.order.id, message: `PO ${document.key}: unchanged (imported before with the same content)${note}` };
    } catch (error) {
      if (error instanceof AppError && error.code === "ORDER.EXTERNAL_ID_TAKEN") {
        throw new AppError("conflict", "PO.CHANGED", `PO ${document.key} is already on this partner's channel with other content: a changed PO is not applied over its order`);
      }
      throw error;
    }
  },

  acknowledge: (parsed, lines, context) => acknowledgeInterchanges(parsed, lines, context),
};

/**
 * The 997 of every interchange from a known partner addressed to us, kept (with the interchange itself) and
 * concatenated, each after its TA1 when it asks for one. An interchange acknowledged before (a re-import, the job
 * run again) is answered with its kept documents. A file the reader refused is answered with the TA1 rejecting the
 * interchange it failed in, when that names a partner of the shop and is addressed to us.
 */
async function acknowledgeInterchanges(parsed: ParsedImportFile<X12PurchaseOrder>, lines: readonly ImportLineResult[], context: AcknowledgeContext): Promise<string | null> {
  if (!isX12ParsedFile(parsed)) return null;
  if (parsed.fileError) return parsed.x12.rejected ? await rejectInterchange(parsed.x12.rejected.interchange, parsed.x12.rejected.answer, context) : null;
  const texts: string[] = [];
  for (const [index, inbound] of parsed.x12.interchanges.entries()) {
    if (!inbound.partner) continue;
    if (inbound.interchange.ackRequested && !inbound.refusal) {
      const ta1 = await keepTa1(inbound.interchange, TA1_ACCEPTED, inbound.partner.id, context);
      if (ta1) texts.push(ta1);
    }
    const text = await acknowledgeOne(parsed, index, inbound, inbound.partner.id, lines, context);
    if (text) texts.push(text);
  }
  return texts.length ? texts.join("") : null;
}

/** The TA1 R of an interchange the reader refused: only to a partner of the shop, for an interchange addressed to us. */
async function rejectInterchange(header: X12InterchangeHeader, answer: Ta1Answer, context: AcknowledgeContext): Promise<string | null> {
  const partner = await tradingPartnerByIsa(database(), context.shopId, header.sender.qualifier, header.sender.id);
  if (!partner || interchangeRefusal(header, partner, null)) return null;
  return keepTa1(header, answer, partner.id, context);
}

/**
 * The TA1 answering the interchange `header`, kept as an EdiDocument (out, TA1) under the interchange's key, as its
 * 997 is: a TA1 kept before is answered again (no new control number); else the partner's next ISA13 is taken
 * (takeControlNumbers: its GS06 goes unused, a TA1 has no group) and the TA1 kept in the same transaction.
 */
async function keepTa1(header: X12InterchangeHeader, answer: Ta1Answer, partnerId: string, context: AcknowledgeContext): Promise<string | null> {
  const { shopId, importId } = context;
  const key = interchangeKey({ interchange: header });
  return database().transaction(async (tx) => {
    const kept = await keptEdiDocument(tx, shopId, partnerId, "out", "TA1", key);
    if (kept) return kept.content;
    const control = await takeControlNumbers(tx, shopId, partnerId);
    const envelope = { control: { interchange: control.interchange }, createdAt: new Date().toISOString(), lineBreaks: true };
    // In the partner's own delimiters; should they not do, in the defaults.
    let built = buildTa1(header, answer, envelope);
    if (!built.ok) built = buildTa1(header, answer, { ...envelope, delimiters: {} });
    if (!built.ok) {
      console.warn(`[imports] no TA1 (${answer.code} ${answer.note}, ${TA1_NOTES[answer.note]}) for interchange ${key} of import ${importId}: ${built.error}`);
      throw new AppError("invalid_data", "X12.NO_TA1", `The TA1 for interchange ${key} could not be written: ${built.error}`);
    }
    const stored = await insertEdiDocument(tx, shopId, { partnerId, direction: "out", type: "TA1", documentKey: key, orderId: null, importId, interchangeControl: control.interchange, content: built.text });
    // Another run kept the TA1 of this interchange first: run again, and answer that one (our control number goes back).
    if (!stored) throw new RetryableConflict(`the TA1 of interchange ${key} was kept by another import`);
    return built.text;
  }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "X12.NO_TA1") return null;
    throw error;
  });
}

async function acknowledgeOne(parsed: X12ParsedFile, index: number, inbound: InboundInterchange, partnerId: string, lines: readonly ImportLineResult[], context: AcknowledgeContext): Promise<string | null> {
  const { shopId, importId } = context;
  const key = interchangeKey(inbound);
  const ic = inbound.interchange;
  const type = inbound.sets.some((s) => s.id === "850") ? "850" : (inbound.sets[0]?.id ?? "850");
  return database().transaction(async (tx) => {
    await insertEdiDocument(tx, shopId, { partnerId, direction: "in", type, documentKey: key, orderId: null, importId, interchangeControl: Number(ic.controlNumber), content: parsed.x12.interchangeText(index) });
    // Not addressed to us (or not from the partner the import names): no answer of ours.
    if (inbound.refusal) return null;
    const kept = await keptEdiDocument(tx, shopId, partnerId, "out", "997", key);
    if (kept) return kept.content;
    const control = await takeControlNumbers(tx, shopId, partnerId);
    const envelope = { control: { interchange: control.interchange, group: control.group, transactionSet: 1 }, createdAt: new Date().toISOString(), lineBreaks: true };
    const results = ackResults(inbound, lines, { nothingTaken: context.nothingTaken });
    // Answered with the partner's own delimiters; should they not do for the 997, with the defaults.
    let built = build997(ic, results, { ...envelope, delimiters: { element: ic.delimiters.element, component: ic.delimiters.component, segment: ic.delimiters.segment } });
    if (!built.ok) built = build997(ic, results, envelope);
    if (!built.ok) {
      console.warn(`[imports] no 997 for interchange ${key} of import ${importId}: ${built.error}`);
      throw new AppError("invalid_data", "X12.NO_997", `The 997 for interchange ${key} could not be written: ${built.error}`);
    }
    const stored = await insertEdiDocument(tx, shopId, { partnerId, direction: "out", type: "997", documentKey: key, orderId: null, importId, interchangeControl: control.interchange, content: built.text });
    // Another run kept the 997 of this interchange first: run again, and answer that one (our control numbers go back).
    if (!stored) throw new RetryableConflict(`the 997 of interchange ${key} was kept by another import`);
    return built.text;
  }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "X12.NO_997") return null;
    throw error;
  });
}

import { csvPoTemplate } from "~/domain/wholesale/csv-po-columns";
import { parseCsvPurchaseOrders, type CsvPurchaseOrder } from "~/domain/wholesale/csv-po";
import { checkCsvPurchaseOrders } from "~/domain/wholesale/csv-po-check";
import { indexPartnerItems } from "~/domain/wholesale/trading-partner";
import { database } from "../db/database";
import { findShopById } from "../db/shops";
import { partnerItemsFor } from "../db/trading-partners-sql";
import { knownSkus } from "../db/wholesale-import-sql";
import { AppError } from "../errors";
import { createApiOrder, createApiOrdersBatch, previousApiOrders } from "../use-cases/create-api-order";
import type { ImportFormat } from "./import-format";

// Wholesale purchase orders as CSV (ADR 0018): parsed by app/domain/wholesale/csv-po.ts, checked against the
// catalog and the trading partner's items (csv-po-check.ts: buyer part numbers, agreed prices, what the partner's
// channel already holds), and each PO taken in exactly as POST /api/v1/orders takes an order (createApiOrder: on
// the partner's channel, external id = PO number, reserved as it lands, idempotent on the PO's content).

export const csvPurchaseOrderFormat: ImportFormat<CsvPurchaseOrder> = {
  id: "csv-po",
  label: "Wholesale purchase orders (CSV)",
  channelKind: "wholesale",
  accept: ".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values",
  partner: "required",
  parse: (bytes, opts) => parseCsvPurchaseOrders(bytes, opts),

  async check({ shopId, partner }, parsed) {
    if (parsed.fileError) return parsed;
    if (!partner) return { ...parsed, fileError: "a purchase-order file is a trading partner's: name the partner (partner=<code>)", documents: [] };
    const db = database();
    const lines = parsed.documents.flatMap((d) => d.payload.lines);
    const named = { skus: lines.map((l) => l.sku).filter((s): s is string => s !== null), parts: lines.map((l) => l.buyerPartNumber).filter((s): s is string => s !== null) };
    const items = await partnerItemsFor(db, shopId, partner.id, named.skus, named.parts);
    const [known, previous] = await Promise.all([
      knownSkus(db, shopId, [...named.skus, ...items.map((i) => i.sku)]),
      previousApiOrders(shopId, partner.channelId, parsed.documents.map((d) => d.key)),
    ]);
    const { bySku, byBuyerPart } = indexPartnerItems(items);
    return checkCsvPurchaseOrders(parsed, {
      partner: { code: partner.code, currency: partner.currency, channelId: partner.channelId },
      knownSku: (sku) => known.has(sku),
      items: bySku,
      byBuyerPart,
      previous: (order) => {
        const p = previous(order);
        return p === "not-from-api" ? "not-from-import" : p;
      },
    });
  },

  async apply(channel, document, actor) {
    const order = document.payload.order;
    if (!order) throw new AppError("unexpected_state", "IMPORT.UNCHECKED", `PO ${document.key} was not checked before it was applied`);
    const shop = await findShopById(database(), channel.shopId);
    if (!shop) throw new AppError("not_found", "SHOP.NOT_FOUND", "The shop is gone");
    try {
      const result = await createApiOrder(shop, { ...order, channelId: channel.channelId }, { actor });
      const note = document.note ? `; ${document.note}` : "";
      return result.created
        ? { outcome: "created", orderId: result.order.id, message: `PO ${document.key}: created, ${result.order.status}${note}` }
        : { outcome: "unchanged", orderId: result.order.id, message: `PO ${document.key}: unchanged (imported before with the same content)${note}` };
    } catch (error) {
      // Between the check and now another request took the PO number with other content.
      if (error instanceof AppError && error.code === "ORDER.EXTERNAL_ID_TAKEN") {
        throw new AppError("conflict", "PO.CHANGED", `PO ${document.key} is already on this partner's channel with other content: a changed PO is not applied over its order`);
      }
      throw error;
    }
  },

  // New POs in batches (ADR 0032); a PO the partner's channel holds already, or anything else the batch leaves, goes through `apply`.
  async applyBatch(channel, documents, actor) {
    const shop = await findShopById(database(), channel.shopId);
    if (!shop) throw new AppError("not_found", "SHOP.NOT_FOUND", "The shop is gone");
    const withOrder = documents.filter((d) => d.payload.order);
    const taken = await createApiOrdersBatch(shop, channel, withOrder.map((d) => ({ ...d.payload.order!, channelId: channel.channelId })), { actor });
    const byDocument = new Map(withOrder.map((d, i) => [d, taken[i]]));
    return documents.map((d) => {
      const t = byDocument.get(d);
      return t ? { outcome: "created", orderId: t.orderId, message: `PO ${d.key}: created, ${t.status}${d.note ? `; ${d.note}` : ""}` } : null;
    });
  },

  template: ({ skus, currency }) => ({ filename: "purchase-orders-template.csv", contentType: "text/csv; charset=utf-8", text: csvPoTemplate({ skus, currency }) }),
};

import type { ChannelOrder } from "~/domain/orders/channel-order";
import { intakeChannelOfKind } from "../channels/intake-channel";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { clearExchangeHold, expiredExchangesAcrossShops, returnByNumber, returnLines, returnOrder } from "../db/returns-sql";
import { findShopById } from "../db/shops";
import { ingestChannelOrder } from "./ingest-channel-order";

// An exchange's replacement: an order on the shop's manual channel keyed by the RMA (`return:<number>`), taken in
// through the ordinary intake, so it is routed and reserved — or backordered — like any order, the moment the return
// is approved. It is cancelled (its stock released to the oldest backorders) when the return is declined or closed,
// or when the return has not arrived within the policy's hold (the sweep). Both are idempotent by that key.

const replacementKey = (number: string) => `return:${number}`;

export async function reserveExchange(shopId: string, number: string, opts: { now?: Date } = {}): Promise<string | null> {
  const now = opts.now ?? new Date();
  const db = database();
  const rma = await returnByNumber(db, shopId, number);
  if (!rma || rma.replacementOrderId) return rma?.replacementOrderId ?? null;
  const lines = (await returnLines(db, shopId, rma.id)).filter((l) => l.replacementVariantId !== null);
  if (lines.length === 0) return null;
  const order = (await returnOrder(db, shopId, rma.orderId))!;
  const shop = (await findShopById(db, shopId))!;
  const channel = await intakeChannelOfKind(db, shop.domain, "manual");
  const skus = new Map<string, string>();
  for (const l of lines) skus.set(l.replacementVariantId!, (await db.get<{ sku: string }>(`SELECT "sku" FROM "Variant" WHERE "shopId" = ? AND "id" = ?`, shopId, l.replacementVariantId))!.sku);
  const at = now.toISOString();
  const replacement: ChannelOrder = {
    externalId: replacementKey(number),
    name: `${order.name}-${number}`,
    currency: order.currency,
    totalMinor: 0,
    financialStatus: "paid",
    email: order.email,
    phone: null,
    customerExternalId: null,
    customerName: order.customerName,
    shipTo: { name: order.customerName, address1: order.shipAddress1, city: order.shipCity, province: order.shipProvince, countryCode: order.shipCountryCode, zip: order.shipZip, latitude: order.shipLatitude, longitude: order.shipLongitude },
    placedAt: at,
    updatedAt: at,
    cancelledAt: null,
    lines: lines.map((l) => ({ externalId: l.id, sku: skus.get(l.replacementVariantId!)!, variantExternalId: null, title: `Exchange for ${l.sku ?? l.title}`, quantity: l.quantity, priceMinor: 0 })),
  };
  const outcome = await ingestChannelOrder(channel, replacement, { now, actor: `return:${number}` });
  await database().transaction(async (tx) => {
    await tx.run(`UPDATE "ReturnRequest" SET "replacementOrderId" = ? WHERE "shopId" = ? AND "id" = ?`, outcome.orderId, shopId, rma.id);
    await audit(tx, shopId, `return:${number}`, "return.exchange_reserved", { type: "return", id: rma.id }, { number, replacementOrderId: outcome.orderId, units: lines.reduce((s, l) => s + l.quantity, 0) });
  });
  return outcome.orderId;
}

/** The replacement's reservation given back (the order cancelled through intake); the RMA no longer holds one. */
export async function releaseExchange(shopId: string, number: string, why: string, opts: { now?: Date } = {}): Promise<boolean> {
  const now = opts.now ?? new Date();
  const db = database();
  const rma = await returnByNumber(db, shopId, number);
  if (!rma?.replacementOrderId) return false;
  const row = await db.get<{ externalUpdatedAt: string | null; channelId: string; status: string }>(`SELECT "externalUpdatedAt","channelId","status" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, shopId, rma.replacementOrderId);
  if (row && row.status !== "cancelled") {
    const order = (await returnOrder(db, shopId, rma.replacementOrderId))!;
    const lines = await db.all<{ externalId: string; sku: string | null; title: string; quantity: number }>(`SELECT "externalId","sku","title","quantity" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "externalId"`, shopId, order.id);
    const after = Math.max(now.getTime(), Date.parse(row.externalUpdatedAt ?? order.placedAt) + 1000);
    const at = new Date(after).toISOString();
    const shop = (await findShopById(db, shopId))!;
    const channel = await intakeChannelOfKind(db, shop.domain, "manual");
    await ingestChannelOrder(channel, {
      externalId: replacementKey(number), name: order.name, currency: order.currency, totalMinor: 0, financialStatus: "paid", email: order.email, phone: null, customerExternalId: null, customerName: order.customerName,
      shipTo: null, placedAt: order.placedAt, updatedAt: at, cancelledAt: at,
      lines: lines.map((l) => ({ externalId: l.externalId, sku: l.sku, variantExternalId: null, title: l.title, quantity: Number(l.quantity), priceMinor: 0 })),
    }, { now, actor: `return:${number}` });
  }
  await database().transaction(async (tx) => {
    await tx.run(`UPDATE "ReturnRequest" SET "replacementOrderId" = NULL, "exchangeExpiresAt" = NULL WHERE "shopId" = ? AND "id" = ?`, shopId, rma.id);
    await clearExchangeHold(tx, shopId, rma.id);
    await audit(tx, shopId, `return:${number}`, "return.exchange_released", { type: "return", id: rma.id }, { number, replacementOrderId: rma.replacementOrderId, why });
  });
  return true;
}

/** Approved exchanges whose return did not arrive within the hold: their replacements are released (the worker's schedule). */
export async function sweepReturnExchanges(opts: { now?: Date; limit?: number } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  let released = 0;
  for (const due of await expiredExchangesAcrossShops(database(), now, opts.limit ?? 200)) {
    if (await releaseExchange(due.shopId, due.number, "not_received_in_time", { now })) released += 1;
    else await database().transaction((tx) => clearExchangeHold(tx, due.shopId, due.id));
  }
  return released;
}

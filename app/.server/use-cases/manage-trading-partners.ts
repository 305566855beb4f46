import { checkTradingPartner, type PartnerItem, type TradingPartner } from "~/domain/wholesale/trading-partner";
import { database } from "../db/database";
import type { Tx } from "../db/engine/types";
import { variantIdsBySku } from "../db/purchase-orders-sql";
import { insertTradingPartner, listTradingPartners, replacePartnerItems, tradingPartnerByCode, tradingPartnerById, updateTradingPartner } from "../db/trading-partners-sql";
import { newId, sqlTime } from "../db/ids";
import { AppError } from "../errors";

// Wholesale trading partners (ADR 0017): adding one gives it its own wholesale channel (its orders are idempotent
// on that channel and its PO numbers, and the merchant chooses which locations serve it); its items table maps
// its part numbers to our SKUs and holds its agreed prices.

function checked(input: unknown) {
  const check = checkTradingPartner(input);
  if (!check.ok) throw new AppError("invalid_data", "PARTNER.INVALID", `Trading partner not saved: ${check.errors.join("; ")}`, { problems: check.errors });
  return check.partner;
}

function refuseTaken(error: unknown, what: string): never {
  if (error instanceof Error && /unique|UNIQUE/.test(error.message)) {
    const field = /isa/i.test(error.message) ? "its interchange id (ISA qualifier and id) is another partner's" : /code/i.test(error.message) ? "its code is another partner's" : `its name is another wholesale channel's`;
    throw new AppError("conflict", "PARTNER.TAKEN", `${what}: ${field}`);
  }
  throw error;
}

export async function createTradingPartner(shopId: string, input: unknown): Promise<TradingPartner> {
  const p = checked(input);
  try {
    const id = await database().transaction(async (tx) => {
      const channelId = await partnerChannel(tx, shopId, p.name);
      return insertTradingPartner(tx, shopId, channelId, p);
    });
    return (await tradingPartnerById(database(), shopId, id))!;
  } catch (error) {
    refuseTaken(error, `Trading partner ${p.code} not added`);
  }
}

/** The partner's channel: a wholesale channel of its name, taken over when one exists that no partner has yet (the seeded "Wholesale"). */
async function partnerChannel(tx: Tx, shopId: string, name: string): Promise<string> {
  const existing = await tx.get<{ id: string; owned: string | null }>(
    `SELECT c."id", p."id" AS "owned" FROM "Channel" c LEFT JOIN "TradingPartner" p ON p."channelId" = c."id" AND p."shopId" = c."shopId" WHERE c."shopId" = ? AND c."kind" = 'wholesale' AND c."name" = ?`,
    shopId, name,
  );
  if (existing?.owned) throw new AppError("conflict", "PARTNER.TAKEN", `A trading partner named ${name} already exists`);
  if (existing) return existing.id;
  const id = newId();
  const at = sqlTime();
  await tx.run(`INSERT INTO "Channel" ("id","shopId","kind","name","config","createdAt","updatedAt") VALUES (?,?,'wholesale',?,'{}',?,?)`, id, shopId, name, at, at);
  return id;
}

export async function editTradingPartner(shopId: string, partnerId: string, input: unknown): Promise<TradingPartner> {
  const p = checked(input);
  const current = await tradingPartnerById(database(), shopId, partnerId);
  if (!current) throw new AppError("not_found", "PARTNER.NOT_FOUND", `No trading partner ${partnerId} in this shop`);
  try {
    await database().transaction(async (tx) => {
      await updateTradingPartner(tx, shopId, partnerId, p);
      // Its channel carries its name (the orders list and the Channels page show it).
      if (p.name !== current.name) await tx.run(`UPDATE "Channel" SET "name" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`, p.name, sqlTime(), shopId, current.channelId);
    });
  } catch (error) {
    refuseTaken(error, `Trading partner ${p.code} not saved`);
  }
  return (await tradingPartnerById(database(), shopId, partnerId))!;
}

export async function tradingPartners(shopId: string): Promise<TradingPartner[]> {
  return listTradingPartners(database(), shopId);
}

/** A partner named by the API or a form: its id or its code. */
export async function findTradingPartner(shopId: string, reference: string): Promise<TradingPartner> {
  const q = database();
  const found = (await tradingPartnerById(q, shopId, reference)) ?? (await tradingPartnerByCode(q, shopId, reference));
  if (!found) throw new AppError("not_found", "PARTNER.NOT_FOUND", `No trading partner ${reference.slice(0, 64)} in this shop`);
  return found;
}

/**
 * Replaces what the partner buys (a price list upload is the whole list): every SKU must be in the catalog, and
 * one buyer part number names one SKU. Problems are listed all at once; nothing is saved unless all is well.
 */
export async function savePartnerItems(shopId: string, partnerId: string, items: readonly PartnerItem[]): Promise<number> {
  const partner = await tradingPartnerById(database(), shopId, partnerId);
  if (!partner) throw new AppError("not_found", "PARTNER.NOT_FOUND", `No trading partner ${partnerId} in this shop`);
  const problems: string[] = [];
  const skus = new Set<string>();
  const parts = new Map<string, string>();
  for (const item of items) {
    if (skus.has(item.sku)) problems.push(`SKU ${item.sku} is listed twice`);
    skus.add(item.sku);
    if (item.buyerPartNumber) {
      const other = parts.get(item.buyerPartNumber);
      if (other !== undefined && other !== item.sku) problems.push(`buyer part number ${item.buyerPartNumber} names both ${other} and ${item.sku}`);
      parts.set(item.buyerPartNumber, item.sku);
    }
    if (item.unitPriceMinor !== null && (!Number.isSafeInteger(item.unitPriceMinor) || item.unitPriceMinor < 0)) problems.push(`SKU ${item.sku}: the price must be a whole, non-negative number of minor units`);
  }
  const all = [...skus];
  const known = new Set<string>();
  for (let i = 0; i < all.length; i += 500) for (const sku of (await variantIdsBySku(database(), shopId, all.slice(i, i + 500))).keys()) known.add(sku);
  const unknown = all.filter((s) => !known.has(s));
  if (unknown.length) problems.push(`not in the catalog: ${unknown.slice(0, 20).join(", ")}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ""}`);
  if (problems.length) throw new AppError("invalid_data", "PARTNER.ITEMS_INVALID", `Items not saved: ${problems.slice(0, 50).join("; ")}`, { problems });
  await database().transaction((tx) => replacePartnerItems(tx, shopId, partnerId, items));
  return items.length;
}

import { parsePriceList, priceListCsv } from "~/domain/wholesale/price-list";
import type { TradingPartner } from "~/domain/wholesale/trading-partner";
import { database } from "../db/database";
import { partnerItems, tradingPartnerById } from "../db/trading-partners-sql";
import { knownSkus, partnerItemCounts } from "../db/wholesale-import-sql";
import { AppError } from "../errors";
import { savePartnerItems, tradingPartners } from "./manage-trading-partners";

// A trading partner's items as a price list (ADR 0018): uploaded as a CSV (sku, buyer_part_number, unit_price) that
// replaces the whole list — every problem listed with its line number, nothing saved unless all is well — and
// downloaded in the same layout, so a merchant edits the list in a spreadsheet and uploads it again.

const MAX_PRICE_LIST_BYTES = 10 * 1024 * 1024;

async function partnerOf(shopId: string, partnerId: string): Promise<TradingPartner> {
  const partner = await tradingPartnerById(database(), shopId, partnerId);
  if (!partner) throw new AppError("not_found", "PARTNER.NOT_FOUND", `No trading partner ${partnerId.slice(0, 64)} in this shop`);
  return partner;
}

/** Replace the partner's items with an uploaded price list; the number of items saved. */
export async function uploadPriceList(shopId: string, partnerId: string, bytes: Uint8Array, charset?: string | null): Promise<number> {
  const partner = await partnerOf(shopId, partnerId);
  if (bytes.byteLength > MAX_PRICE_LIST_BYTES) throw new AppError("invalid_data", "PARTNER.ITEMS_INVALID", `Items not saved: the file is larger than ${MAX_PRICE_LIST_BYTES / 1024 / 1024} MB.`, { problems: ["the file is too large"] });
  const read = parsePriceList(bytes, { currency: partner.currency, charset });
  if (!read.ok) throw new AppError("invalid_data", "PARTNER.ITEMS_INVALID", `Items not saved: ${read.errors.slice(0, 20).join("; ")}${read.errors.length > 20 ? ` (and ${read.errors.length - 20} more)` : ""}`, { problems: read.errors });
  const known = await knownSkus(database(), shopId, read.items.map((i) => i.sku));
  const unknown = read.items.filter((i) => !known.has(i.sku)).map((i) => `line ${i.line}: SKU ${i.sku} is not in the catalog`);
  if (unknown.length) throw new AppError("invalid_data", "PARTNER.ITEMS_INVALID", `Items not saved: ${unknown.slice(0, 20).join("; ")}${unknown.length > 20 ? ` (and ${unknown.length - 20} more)` : ""}`, { problems: unknown });
  return savePartnerItems(shopId, partner.id, read.items.map(({ sku, buyerPartNumber, unitPriceMinor }) => ({ sku, buyerPartNumber, unitPriceMinor })));
}

/** The partner's items as the price-list CSV. */
export async function priceListOf(shopId: string, partnerId: string): Promise<{ filename: string; text: string }> {
  const partner = await partnerOf(shopId, partnerId);
  return { filename: `${partner.code}-items.csv`, text: priceListCsv(await partnerItems(database(), shopId, partner.id), partner.currency) };
}

/** The shop's partners with how many items each has (the Channels page). */
export async function partnersWithItemCounts(shopId: string): Promise<(TradingPartner & { items: number })[]> {
  const [partners, counts] = await Promise.all([tradingPartners(shopId), partnerItemCounts(database(), shopId)]);
  return partners.map((p) => ({ ...p, items: counts.get(p.id) ?? 0 }));
}

import { database } from "../db/database";
import { findShopById } from "../db/shops";
import { listTradingPartners, tradingPartnerByCode, tradingPartnerById } from "../db/trading-partners-sql";
import { sampleSkus } from "../db/wholesale-import-sql";
import { AppError } from "../errors";
import { importFormat } from "../imports/formats";
import type { ImportTemplate } from "../imports/import-format";

// A format's template file (ADR 0018): GET /api/v1/imports/templates/<format>.csv — its header and example lines
// with SKUs of the shop's catalog when it has any, prices in the partner's currency (the one named, else the shop's
// only partner's, else the shop's own).

export async function importTemplate(shopId: string, file: string, partnerRef?: string | null): Promise<ImportTemplate> {
  const id = /^([a-z0-9-]{1,40})\.csv$/.exec(file)?.[1];
  const format = id ? importFormat(id) : null;
  if (!format?.template) throw new AppError("not_found", "IMPORT.NO_TEMPLATE", `No template ${file.slice(0, 60)}: templates are <format>.csv for a format that has one.`);
  const db = database();
  let currency: string | null = null;
  if (partnerRef) {
    const partner = (await tradingPartnerById(db, shopId, partnerRef)) ?? (await tradingPartnerByCode(db, shopId, partnerRef));
    if (!partner) throw new AppError("not_found", "PARTNER.NOT_FOUND", `No trading partner ${partnerRef.slice(0, 64)} in this shop`);
    currency = partner.currency;
  } else {
    const partners = await listTradingPartners(db, shopId);
    if (partners.length === 1) currency = partners[0].currency;
  }
  currency ??= (await findShopById(db, shopId))?.currency ?? "USD";
  return format.template({ skus: await sampleSkus(db, shopId, 2), currency });
}

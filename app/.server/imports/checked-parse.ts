import type { ParsedImportFile } from "~/domain/imports/import-file";
import { database } from "../db/database";
import { tradingPartnerByChannel } from "../db/trading-partners-sql";
import type { ImportCheckContext, ImportFormat } from "./import-format";

// A file read by its format for a preview or a run, the same way both times (ADR 0018): the pure parse, then the
// format's check against the shop's data with the trading partner the import's channel belongs to.

export async function parseAndCheck(format: ImportFormat, bytes: Uint8Array, opts: { charset: string | null; shopId: string; channelId: string | null; purpose: ImportCheckContext["purpose"] }): Promise<ParsedImportFile<unknown>> {
  const parsed = format.parse(bytes, { charset: opts.charset });
  if (parsed.fileError || !format.check) return parsed;
  const partner = opts.channelId ? ((await tradingPartnerByChannel(database(), opts.shopId, opts.channelId)) ?? null) : null;
  return format.check({ shopId: opts.shopId, channelId: opts.channelId, partner, purpose: opts.purpose }, parsed);
}

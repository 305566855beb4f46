import { z } from "zod";

// A wholesale trading partner (ADR 0017): a buyer that sends purchase orders as X12 850s or CSV files, with its
// own wholesale channel, its interchange ids when it trades by EDI, the documents it wants back, and what it buys
// (its part numbers for our SKUs and its agreed prices). Pure: the schema of what a merchant enters and the rules
// that read a partner's table.

export const PARTNER_DOCUMENTS = ["855", "856", "810"] as const;
export type PartnerDocument = (typeof PARTNER_DOCUMENTS)[number];

/** ISA05/ISA07 interchange id qualifiers in common use (01 DUNS, 08 UCC, 12 phone, 14 DUNS+4, ZZ mutually defined …). */
const ISA_QUALIFIER = /^[0-9A-Z]{2}$/;
/** ISA06/ISA08: up to 15 characters, padded with spaces on the wire. */
const ISA_ID = /^[!-~](?:[ -~]{0,13}[!-~])?$/;
/** GS02/GS03: 2 to 15 characters. */
const GS_ID = /^[!-~](?:[ -~]{0,13}[!-~])$/;

const optionalText = (schema: z.ZodString) => z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v), schema.optional());

export const tradingPartnerInputSchema = z
  .object({
    code: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, "1–32 letters, digits, _ or -, starting with a letter or digit"),
    name: z.string().trim().min(1, "a name is needed").max(120),
    currency: z.string().trim().regex(/^[A-Z]{3}$/, "a three-letter ISO 4217 code (USD)"),
    isaQualifier: optionalText(z.string().regex(ISA_QUALIFIER, "two characters, such as ZZ, 01 or 12")),
    isaId: optionalText(z.string().regex(ISA_ID, "1–15 printable characters")),
    gsId: optionalText(z.string().regex(GS_ID, "2–15 printable characters")),
    ourIsaQualifier: optionalText(z.string().regex(ISA_QUALIFIER, "two characters, such as ZZ, 01 or 12")),
    ourIsaId: optionalText(z.string().regex(ISA_ID, "1–15 printable characters")),
    ourGsId: optionalText(z.string().regex(GS_ID, "2–15 printable characters")),
    x12Version: z.enum(["004010", "005010"]).default("004010"),
    usage: z.enum(["P", "T"]).default("P"),
    documents: z.array(z.enum(PARTNER_DOCUMENTS)).max(3).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const theirs = [p.isaQualifier, p.isaId, p.gsId];
    const ours = [p.ourIsaQualifier, p.ourIsaId, p.ourGsId];
    const x12 = theirs.some(Boolean) || ours.some(Boolean);
    if (!x12) {
      if (p.documents.length) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["documents"], message: "documents are sent by X12: give the partner's and our interchange ids" });
      return;
    }
    const names = ["isaQualifier", "isaId", "gsId", "ourIsaQualifier", "ourIsaId", "ourGsId"] as const;
    for (const name of names) if (!p[name]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: "needed when the partner trades by X12 (all six ids, or none)" });
  });
export type TradingPartnerInput = z.infer<typeof tradingPartnerInputSchema>;

export interface X12Identity {
  isaQualifier: string;
  isaId: string;
  gsId: string;
}

export interface TradingPartner {
  id: string;
  channelId: string;
  code: string;
  name: string;
  currency: string;
  /** The partner's interchange identity and ours as it knows us; null when it does not trade by X12. */
  x12: { theirs: X12Identity; ours: X12Identity; version: "004010" | "005010"; usage: "P" | "T" } | null;
  documents: PartnerDocument[];
}

export type PartnerCheck = { ok: true; partner: TradingPartnerInput } | { ok: false; errors: string[] };

export function checkTradingPartner(input: unknown): PartnerCheck {
  const parsed = tradingPartnerInputSchema.safeParse(input);
  if (parsed.success) return { ok: true, partner: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join(".") || "partner"}: ${i.message}`) };
}

/** ISA ids compare as the wire pads them: trimmed, upper case. */
export function sameIsaId(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

// --- what a partner buys ---------------------------------------------------------------------------------------

export interface PartnerItem {
  sku: string;
  buyerPartNumber: string | null;
  unitPriceMinor: number | null;
}

/** A PO line as the buyer wrote it: our SKU (vendor part number), its own part number, or both. */
export interface BuyerLineItem {
  vendorPartNumber: string | null;
  buyerPartNumber: string | null;
}

export type ItemResolution = { ok: true; sku: string; listPriceMinor: number | null } | { ok: false; message: string };

/**
 * The SKU a PO line means. The buyer's own part number, when the partner's table knows it, is the stronger
 * statement (buyers key their ERP on it); a vendor part number is taken when it is one of our SKUs; both given
 * and contradicting each other is an error rather than a guess.
 */
export function resolveBuyerItem(line: BuyerLineItem, items: ReadonlyMap<string, PartnerItem>, byBuyerPart: ReadonlyMap<string, PartnerItem>, knownSku: (sku: string) => boolean): ItemResolution {
  const mapped = line.buyerPartNumber ? byBuyerPart.get(line.buyerPartNumber) : undefined;
  const vendor = line.vendorPartNumber?.trim() || null;
  if (mapped) {
    if (vendor && vendor !== mapped.sku && knownSku(vendor)) return { ok: false, message: `buyer part number ${line.buyerPartNumber} is mapped to SKU ${mapped.sku}, but the line names SKU ${vendor}` };
    return { ok: true, sku: mapped.sku, listPriceMinor: mapped.unitPriceMinor };
  }
  if (vendor && knownSku(vendor)) return { ok: true, sku: vendor, listPriceMinor: items.get(vendor)?.unitPriceMinor ?? null };
  if (vendor && line.buyerPartNumber) return { ok: false, message: `unknown item: SKU ${vendor} is not in the catalog and buyer part number ${line.buyerPartNumber} is not mapped for this partner` };
  if (vendor) return { ok: false, message: `unknown SKU ${vendor}` };
  if (line.buyerPartNumber) return { ok: false, message: `buyer part number ${line.buyerPartNumber} is not mapped to a SKU for this partner (add it to the partner's items)` };
  return { ok: false, message: "the line names no item (no SKU and no buyer part number)" };
}

/** Indexes of a partner's table, by SKU and by the buyer's part number. */
export function indexPartnerItems(items: readonly PartnerItem[]): { bySku: Map<string, PartnerItem>; byBuyerPart: Map<string, PartnerItem> } {
  const bySku = new Map<string, PartnerItem>();
  const byBuyerPart = new Map<string, PartnerItem>();
  for (const item of items) {
    bySku.set(item.sku, item);
    if (item.buyerPartNumber) byBuyerPart.set(item.buyerPartNumber, item);
  }
  return { bySku, byBuyerPart };
}

/** The next control number after `last` (ISA13 is 9 digits, GS06 up to 9): wraps past 999,999,999 to 1. */
export function nextControlNumber(last: number): number {
  return last >= 999_999_999 || last < 0 ? 1 : last + 1;
}

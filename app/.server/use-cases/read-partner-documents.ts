import type { TradingPartner } from "~/domain/wholesale/trading-partner";
import { database } from "../db/database";
import { ediDocumentContent, listEdiDocuments, listTradingPartners, type EdiDocumentRow } from "../db/trading-partners-sql";
import { AppError } from "../errors";
import { findTradingPartner } from "./manage-trading-partners";

// The EDI documents kept for a trading partner (ADR 0017, 0022): listed per partner (the API, the admin's documents
// list) and per order (the order page), and read back whole as the X12 text that was sent or received.

export interface EdiDocumentView {
  id: string;
  partnerId: string;
  type: string;
  direction: "in" | "out";
  documentKey: string;
  orderId: string | null;
  /** ISA13 of the interchange. */
  controlNumber: number | null;
  createdAt: string;
  /** What a download of it is called. */
  filename: string;
}

export const MAX_DOCUMENTS_PAGE = 500;

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");

function view(row: EdiDocumentRow, partnerCode: string): EdiDocumentView {
  const controlNumber = row.interchangeControl === null ? null : Number(row.interchangeControl);
  return {
    id: row.id, partnerId: row.partnerId, type: row.type, direction: row.direction, documentKey: row.documentKey, orderId: row.orderId, controlNumber, createdAt: row.createdAt,
    filename: `${safe(partnerCode)}-${row.direction === "out" ? "" : "in-"}${safe(row.type)}-${safe(row.documentKey)}${controlNumber === null ? "" : `-${controlNumber}`}.edi`,
  };
}

/** A partner (by id or code) and its documents, newest first. */
export async function partnerDocuments(shopId: string, reference: string, opts: { take?: number } = {}): Promise<{ partner: Pick<TradingPartner, "id" | "code" | "name">; documents: EdiDocumentView[] }> {
  const partner = await findTradingPartner(shopId, reference);
  const rows = await listEdiDocuments(database(), shopId, { partnerId: partner.id, take: Math.min(opts.take ?? 100, MAX_DOCUMENTS_PAGE) });
  return { partner: { id: partner.id, code: partner.code, name: partner.name }, documents: rows.map((r) => view(r, partner.code)) };
}

/** One document of the partner as its X12 text; another partner's or shop's document is not found. */
export async function partnerDocumentText(shopId: string, reference: string, documentId: string): Promise<{ filename: string; text: string }> {
  const partner = await findTradingPartner(shopId, reference);
  const row = await ediDocumentContent(database(), shopId, documentId);
  if (!row || row.partnerId !== partner.id) throw new AppError("not_found", "EDI.DOCUMENT_NOT_FOUND", `No document ${documentId.slice(0, 64)} of trading partner ${partner.code}`);
  if (row.content === "") throw new AppError("not_allowed", "EDI.DOCUMENT_ERASED", "This document was erased when a customer named in it asked to be forgotten (customers/redact); its record stays, the text cannot be read again.");
  return { filename: view(row, partner.code).filename, text: row.content };
}

/** The documents exchanged about one order (the order page), newest first. */
export async function orderDocuments(shopId: string, orderId: string): Promise<EdiDocumentView[]> {
  const rows = await listEdiDocuments(database(), shopId, { orderId });
  if (rows.length === 0) return [];
  const codes = new Map((await listTradingPartners(database(), shopId)).map((p) => [p.id, p.code]));
  return rows.map((r) => view(r, codes.get(r.partnerId) ?? "partner"));
}

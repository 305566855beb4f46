import type { Disposition } from "~/domain/returns/policy";
import { RETURN_STATUSES, type ReturnAction } from "~/domain/returns/status";
import { database } from "../db/database";
import { readReturnPolicy, returnOrderLines } from "../db/returns-sql";
import { ordersNamed, searchReturnRows } from "../db/returns-queue-sql";
import { returnView, type ReturnView } from "./return-view";

// The admin Returns page (ADR 0035): the queue with its filters, the order a merchant starts a return for, and the
// form fields of the RMA page's actions read into the status machine's actions. Pure reading and parsing: every
// change goes through requestReturn / changeReturn.

export interface ReturnQueueQuery {
  status?: string;
  reason?: string;
  /** YYYY-MM-DD, the first and last calendar day (UTC) the RMA was created on. */
  from?: string;
  to?: string;
  /** RMA number or order name. */
  q?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(text: string, label: string): Date | string {
  if (!DAY.test(text)) return `${label} must be a date as YYYY-MM-DD, not ${JSON.stringify(text)}.`;
  const d = new Date(`${text}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) return `${label} ${JSON.stringify(text)} is not a calendar day.`;
  return d;
}

/** The shop's RMAs matching the filters, newest first; a filter that cannot be read is an error and lists nothing. */
export async function returnQueue(shopId: string, query: ReturnQueueQuery, limit = 50): Promise<{ returns: ReturnView[]; error: string | null }> {
  const problems: string[] = [];
  const status = query.status?.trim() ?? "";
  if (status && !(RETURN_STATUSES as readonly string[]).includes(status) && status !== "expected") problems.push(`Unknown status ${JSON.stringify(status)}.`);
  const from = query.from?.trim() ? day(query.from.trim(), "From") : null;
  const to = query.to?.trim() ? day(query.to.trim(), "To") : null;
  for (const d of [from, to]) if (typeof d === "string") problems.push(d);
  if (from instanceof Date && to instanceof Date && from > to) problems.push("From is after To.");
  const search = query.q?.trim() ?? "";
  if (search.length > 80) problems.push("Search takes at most 80 characters.");
  if ((query.reason ?? "").length > 80) problems.push("Reason takes at most 80 characters.");
  if (problems.length > 0) return { returns: [], error: problems.join(" ") };
  const db = database();
  const rows = await searchReturnRows(db, shopId, {
    statuses: status === "expected" ? ["approved", "in_transit"] : status ? [status] : undefined,
    reason: query.reason?.trim() || undefined,
    from: from instanceof Date ? from.toISOString() : undefined,
    to: to instanceof Date ? new Date(to.getTime() + 86_400_000).toISOString() : undefined,
    search: search || undefined,
    limit,
  });
  const returns: ReturnView[] = [];
  for (const row of rows) returns.push(await returnView(db, shopId, row));
  return { returns, error: null };
}

/** Returns a location should expect: approved or in transit, to be received there. */
export async function expectedReturns(shopId: string, locationId: string, limit = 50): Promise<ReturnView[]> {
  const db = database();
  const rows = await searchReturnRows(db, shopId, { statuses: ["approved", "in_transit"], locationId, limit });
  const out: ReturnView[] = [];
  for (const row of rows) out.push(await returnView(db, shopId, row));
  return out;
}

export interface ReturnableOrder {
  id: string;
  name: string;
  lines: { orderLineId: string; sku: string | null; title: string; ordered: number; shipped: number; onReturns: number; returnable: number }[];
}

/** The order a merchant starts a return for, found by its name (e.g. #1001), with what each line can still return. */
export async function orderForReturn(shopId: string, name: string): Promise<{ ok: true; order: ReturnableOrder; reasons: string[]; conditions: string[] } | { ok: false; error: string }> {
  const text = name.trim();
  if (text === "" || text.length > 80) return { ok: false, error: "Enter an order name, e.g. #1001." };
  const db = database();
  const found = await ordersNamed(db, shopId, text);
  if (found.length === 0) return { ok: false, error: `No order ${JSON.stringify(text)} in this shop.` };
  const order = found[0];
  const policy = await readReturnPolicy(db, shopId);
  const lines = (await returnOrderLines(db, shopId, order.id)).map((l) => ({ orderLineId: l.id, sku: l.sku, title: l.title, ordered: l.quantity, shipped: l.fulfilled, onReturns: l.requested, returnable: Math.max(0, l.fulfilled - l.requested) }));
  return { ok: true, order: { id: order.id, name: order.name, lines }, reasons: policy.reasons, conditions: policy.conditions };
}

type Form = { get(name: string): FormDataEntryValue | null };
const DISPOSITION_BY_FIELD: Record<string, Disposition> = { restock: "restock", qc_hold: "qc_hold", refurbish: "refurbish", scrap: "scrap" };

function quantityOf(raw: FormDataEntryValue | null, label: string): number | string {
  const text = String(raw ?? "").trim();
  if (text === "") return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) return `${label}: quantity must be a whole number, 0 or more (got ${JSON.stringify(text)}).`;
  return n;
}

/**
 * The RMA page's form as a status-machine action: intent approve | decline | in_transit | receive | release | refund |
 * close; receive reads `qty:<line id>` and `disposition:<line id>` for each line, release `releaseQty:<line id>` and
 * `releaseDisposition:<line id>`. A field that cannot be read is an error (nothing is sent on).
 */
export function returnActionFromForm(form: Form, lineIds: readonly { id: string; sku: string | null }[]): { ok: true; action: ReturnAction } | { ok: false; error: string } {
  const intent = String(form.get("intent") ?? "");
  const text = (name: string) => String(form.get(name) ?? "").trim();
  switch (intent) {
    case "approve":
      return { ok: true, action: { type: "approve" } };
    case "decline":
      return { ok: true, action: { type: "decline", reason: text("reason").slice(0, 500) } };
    case "in_transit":
      return { ok: true, action: { type: "mark_in_transit" } };
    case "refund":
      return { ok: true, action: { type: "refund" } };
    case "close":
      return { ok: true, action: { type: "close", reason: (text("reason") || "Closed by the merchant").slice(0, 500) } };
    case "receive":
    case "release": {
      const problems: string[] = [];
      const lines: { returnLineId: string; quantity: number; disposition: Disposition }[] = [];
      for (const l of lineIds) {
        const label = l.sku ?? l.id;
        const q = quantityOf(form.get(intent === "receive" ? `qty:${l.id}` : `releaseQty:${l.id}`), label);
        if (typeof q === "string") {
          problems.push(q);
          continue;
        }
        const raw = text(intent === "receive" ? `disposition:${l.id}` : `releaseDisposition:${l.id}`) || "restock";
        const disposition = DISPOSITION_BY_FIELD[raw];
        if (!disposition || (intent === "release" && disposition === "qc_hold")) {
          problems.push(`${label}: no disposition ${JSON.stringify(raw)}.`);
          continue;
        }
        if (intent === "receive" || q > 0) lines.push({ returnLineId: l.id, quantity: q, disposition });
      }
      if (problems.length > 0) return { ok: false, error: `Nothing changed: ${problems.join(" ")}` };
      if (intent === "release") {
        if (lines.length === 0) return { ok: false, error: "Nothing released: enter how many units to release." };
        return { ok: true, action: { type: "release", lines: lines as Extract<ReturnAction, { type: "release" }>["lines"] } };
      }
      if (lines.every((l) => l.quantity === 0)) return { ok: false, error: "Nothing received: enter how many units arrived." };
      return { ok: true, action: { type: "receive", lines } };
    }
    default:
      return { ok: false, error: `No action ${JSON.stringify(intent)} on a return.` };
  }
}

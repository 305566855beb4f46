import { dailyFigures, stockHistory, totalHistory, windowStart, type DailyFigures } from "~/domain/inventory/stock-history";
import { variantOfSku } from "../db/channel-stock-sql";
import { database } from "../db/database";
import { skuLedgerRows, skuMovementsSince, type LedgerCursor, type SkuLedgerRow } from "../db/sku-ledger-sql";
import { readSkuStock, type SkuStock } from "./read-channel-stock";

// One SKU's page: its figures per location and per channel (readSkuStock), its ledger a page at a time,
// and its stock over the last days rebuilt from the ledger (app/domain/inventory/stock-history.ts).

export const LEDGER_PAGE_SIZE = 50;
export const HISTORY_DAYS = 30;
/** Movements read for the chart at most: past this (a very busy SKU) the chart starts at the oldest one read. */
const HISTORY_MOVEMENTS = 20_000;

export interface LedgerRowView {
  id: number;
  at: string;
  location: string;
  bucket: string;
  delta: number;
  reason: string;
  ref: { type: string; id: string } | null;
}

export interface SkuPage {
  stock: SkuStock;
  ledger: { rows: LedgerRowView[]; newer: string | null; older: string | null };
  history: { days: number; from: string; truncated: boolean; total: DailyFigures[]; locations: { id: string; name: string; days: DailyFigures[] }[] };
}

/** A ledger cursor as it travels in a URL: `<ISO time>~<id>`. */
export function formatLedgerCursor(c: LedgerCursor): string {
  return `${c.at}~${c.id}`;
}

export function parseLedgerCursor(text: string | null | undefined): LedgerCursor | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~(\d{1,15})$/.exec(text ?? "");
  return m && !Number.isNaN(Date.parse(m[1])) ? { at: m[1], id: Number(m[2]) } : undefined;
}

/**
 * Everything the SKU page shows, within the shop: throws not_found (AppError) for a SKU the shop does not
 * have. `before` pages to older ledger rows, `after` to newer ones; neither is the newest page.
 */
export async function readSkuPage(shopId: string, sku: string, page: { before?: LedgerCursor; after?: LedgerCursor } = {}, now = new Date()): Promise<SkuPage> {
  const stock = await readSkuStock(shopId, sku, now);
  const q = database();
  const variantId = (await variantOfSku(q, shopId, sku))!.id; // readSkuStock found it
  const from = windowStart(now, HISTORY_DAYS);
  const [ledger, movements] = await Promise.all([
    ledgerPage(shopId, variantId, page),
    skuMovementsSince(q, shopId, variantId, new Date(from), HISTORY_MOVEMENTS + 1),
  ]);
  const truncated = movements.length > HISTORY_MOVEMENTS;
  const moves = movements.slice(0, HISTORY_MOVEMENTS).map((m) => ({ at: m.createdAt, locationId: m.locationId, bucket: m.bucket, delta: m.delta }));
  const chartFrom = truncated ? moves[moves.length - 1].at : from;
  const window = { from: chartFrom, now: now.toISOString() };
  const current = stock.locations.map((l) => ({ locationId: l.id, onHand: l.onHand, reserved: l.reserved, safety: l.safety }));
  const perLocation = stockHistory(current, moves, window);
  return {
    stock,
    ledger,
    history: {
      days: HISTORY_DAYS,
      from: chartFrom,
      truncated,
      total: dailyFigures(totalHistory(current, moves, window).points, now),
      locations: stock.locations.map((l, i) => ({ id: l.id, name: l.name, days: dailyFigures(perLocation[i].points, now) })),
    },
  };
}

async function ledgerPage(shopId: string, variantId: string, page: { before?: LedgerCursor; after?: LedgerCursor }): Promise<SkuPage["ledger"]> {
  const q = database();
  const size = LEDGER_PAGE_SIZE;
  let rows: SkuLedgerRow[];
  let newer: boolean;
  let older: boolean;
  if (page.after) {
    rows = await skuLedgerRows(q, shopId, variantId, size + 1, { after: page.after });
    // Fewer than a page newer than the cursor: that is the newest page, shown whole.
    if (rows.length <= size) return ledgerPage(shopId, variantId, {});
    rows = rows.slice(1);
    newer = true;
    older = true;
  } else {
    rows = await skuLedgerRows(q, shopId, variantId, size + 1, page.before ? { before: page.before } : {});
    older = rows.length > size;
    rows = rows.slice(0, size);
    newer = page.before !== undefined;
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows: rows.map((r) => ({ id: r.id, at: r.createdAt, location: r.locationName ?? `${r.locationId} (removed)`, bucket: r.bucket, delta: r.delta, reason: r.reason, ref: r.refType !== null && r.refId !== null ? { type: r.refType, id: r.refId } : null })),
    newer: newer && first ? formatLedgerCursor({ at: first.createdAt, id: first.id }) : null,
    older: older && last ? formatLedgerCursor({ at: last.createdAt, id: last.id }) : null,
  };
}

import { createHash } from "node:crypto";
import { holdMoves, shopifyHoldTargets, type HoldLevel } from "~/domain/inventory/shopify-hold";
import { checkChannelConfig, PUSHED_CHANNEL_KINDS } from "~/domain/channels/channel-config";
import {
  dueDirty, holdLevels, ledgerChangesSince, markDirty, markedThrough, markPushed, markPushFailed, reservedElsewhere, saveSyncCursor,
  setHeldInShopify, syncCursor, type DirtyMark, type HoldLevelRow,
} from "../db/channel-sync-sql";
import { database } from "../db/database";
import { connectedAmazonChannelIds } from "../db/amazon-sql";
import { findShopById, listChannels, type ChannelRow } from "../db/shops";
import { fromSqlTime } from "../db/ids";
import { adminGraphql, adminGraphqlWithCost, throttledWaitMs, type ThrottleStatus } from "../shopify/admin-graphql";
import { INVENTORY_HOLD_MUTATION, type InventoryHoldResult, type InventoryHoldVariables } from "../shopify/graphql/inventory-hold-mutation";
import { INVENTORY_SAFETY_STOCK_QUERY, type InventorySafetyStockResult } from "../shopify/graphql/inventory-safety-stock-query";
import { INVENTORY_HOLDS_QUERY, type InventoryHoldsResult } from "../shopify/graphql/inventory-holds-query";
import { variantSkus } from "../db/channel-stock-sql";
import { channelFiguresOf } from "./read-channel-stock";
import { watchChannelBuffers } from "./watch-channel-buffers";

// Channel stock sync (ADR 0010). `markChannelStock` reads the ledger past the shop's cursor and marks each changed
// SKU dirty for every channel the app pushes to; `pushShopifyStock` sends the Shopify channel's dirty SKUs' latest
// figures as safety_stock holds, 250 changes a call, paced by the shop's cost budget. Both are idempotent: the
// marks and the cursor live in the database, so a crash anywhere loses nothing and a repeat does nothing twice.

/** Ledger entries read per pass. */
const MARK_PAGE = 2_000;
/**
 * PostgreSQL commits out of id order: an entry numbered below one already read may still be in flight. The cursor
 * stays this far behind the newest entries there, so they are read again (a mark seen before changes nothing).
 */
const PG_GRACE_MS = 2_000;
/** Shopify takes at most 250 items in an input array. */
export const MAX_CHANGES_PER_CALL = 250;
/** A batch's cost in the Shopify stand-in and Shopify (a mutation field: 10 points). */
const MUTATION_COST = 10;
/**
 * The sync's own writes (marks, cursor, what a channel accepted) go into SQLite's next group ahead of queued intake
 * work: a channel's figure is waited for too (oversells happen while it lags), and behind a backlog of thousands of
 * orders each of a run's two or three writes waited the whole backlog (sync_push_p95_ms, bench/channel-sync). They
 * are small (one statement a SKU) and come a few times a second per shop. No effect on PostgreSQL.
 */
const SYNC_WRITE = { urgent: true };

/** The shop's active channels the app sends figures to: Shopify, and each Amazon channel a seller has authorised. */
export async function pushedChannels(shopId: string): Promise<ChannelRow[]> {
  const db = database();
  const [channels, connected] = await Promise.all([listChannels(db, shopId), connectedAmazonChannelIds(db, shopId)]);
  return channels.filter((c) => c.active && (PUSHED_CHANNEL_KINDS as readonly string[]).includes(c.kind) && (c.kind !== "amazon" || connected.has(c.id)));
}

export async function markChannelStock(shopId: string, opts: { now?: Date } = {}): Promise<{ read: number; marked: number }> {
  const db = database();
  const channels = await pushedChannels(shopId);
  // A change of incoming (open purchase orders) is in a channel's figure only when it sells pre-orders.
  const preorders = new Set(channels.filter((c) => sellsPreorders(c)).map((c) => c.id));
  let cursor = await syncCursor(db, shopId);
  let read = 0;
  let marked = 0;
  const graceMs = db.dialect === "postgres" ? PG_GRACE_MS : 0;
  for (;;) {
    const now = opts.now ?? new Date();
    const changes = await ledgerChangesSince(db, shopId, cursor, MARK_PAGE);
    if (changes.length === 0) return { read, marked };
    read += changes.length;
    const byVariant = new Map<string, { id: number; at: string; bucket: string }[]>();
    for (const c of changes) byVariant.set(c.variantId, [...(byVariant.get(c.variantId) ?? []), { id: c.id, at: c.createdAt, bucket: c.bucket }]);
    const through = await markedThrough(db, shopId, channels.map((c) => c.id), [...byVariant.keys()]);
    const marks: DirtyMark[] = [];
    for (const channel of channels) {
      for (const [variantId, entries] of byVariant) {
        const fresh = entries.filter((e) => e.id > (through.get(`${channel.id}:${variantId}`) ?? 0) && (e.bucket !== "incoming" || preorders.has(channel.id)));
        if (fresh.length === 0) continue;
        marks.push({ channelId: channel.id, variantId, since: fresh.reduce((a, e) => (e.at < a ? e.at : a), fresh[0].at), through: fresh[fresh.length - 1].id });
      }
    }
    // The cursor moves past entries old enough that nothing before them can still commit.
    const settled = changes.filter((c) => now.getTime() - (fromSqlTime(c.createdAt)?.getTime() ?? 0) >= graceMs);
    const next = settled.length > 0 ? settled[settled.length - 1].id : cursor;
    await db.transaction(async (tx) => {
      await markDirty(tx, shopId, marks);
      if (next > cursor) await saveSyncCursor(tx, shopId, next);
    }, SYNC_WRITE);
    marked += marks.length;
    if (changes.length < MARK_PAGE) return { read, marked };
    if (next === cursor) return { read, marked }; // a full page still inside the grace window: read again next pass
    cursor = next;
  }
}

function sellsPreorders(channel: ChannelRow): boolean {
  const check = checkChannelConfig(JSON.parse(channel.config || "{}"));
  return check.ok && check.config.preorders;
}

export interface PushOutcome {
  calls: number;
  changes: number;
  pushed: number;
  failed: number;
  stale: number;
}

type Send = (shopDomain: string, variables: InventoryHoldVariables) => Promise<{ data: InventoryHoldResult; cost?: { requested: number; throttleStatus: ThrottleStatus } }>;

/**
 * Send the Shopify channel's dirty SKUs' figures: per SKU the safety_stock each location must hold (shopify-hold.ts),
 * moved from what we last set, with `changeFromQuantity` on the state we own and `@idempotent`. Waits for the
 * shop's bucket when the last answer said it is short, and backs off on THROTTLED.
 */
export async function pushShopifyStock(shopId: string, opts: { now?: () => Date; send?: Send; sleep?: (ms: number) => Promise<void>; maxCalls?: number } = {}): Promise<PushOutcome> {
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const send: Send = opts.send ?? ((shop, variables) => adminGraphqlWithCost<InventoryHoldResult>(shop, INVENTORY_HOLD_MUTATION, variables as unknown as Record<string, unknown>));
  const outcome: PushOutcome = { calls: 0, changes: 0, pushed: 0, failed: 0, stale: 0 };
  const db = database();
  const shop = await findShopById(db, shopId);
  const channel = (await listChannels(db, shopId)).find((c) => c.active && c.kind === "shopify");
  if (!shop || !channel) return outcome;
  let bucket: ThrottleStatus | undefined;
  /** SKUs whose holds in Shopify were read back in this run (their last send had failed). */
  const verified = new Set<string>();
  for (let round = 0; round < (opts.maxCalls ?? 1_000); round++) {
    const batch = await nextBatch(shopId, channel, now(), verified);
    if (!batch) return outcome;
    if (batch.settled.length > 0) {
      await db.transaction((tx) => markPushed(tx, shopId, channel.id, batch.settled), SYNC_WRITE);
      outcome.pushed += batch.settled.length;
    }
    if (batch.verify.length > 0) {
      // Shopify's holds where no move will check them, taken as the figures to move from; then the batch again.
      const holds = await shopifyHolds(shop.domain, batch.verify, sleep);
      await db.transaction((tx) => setHeldInShopify(tx, shopId, holds));
      for (const level of batch.verify) verified.add(level.variantId);
      continue;
    }
    if (batch.changes.length === 0) continue;
    if (bucket && bucket.currentlyAvailable < MUTATION_COST) await sleep(Math.ceil(((MUTATION_COST - bucket.currentlyAvailable) / bucket.restoreRate) * 1_000));
    const variables: InventoryHoldVariables = {
      input: { reason: "safety_stock", referenceDocumentUri: `oms://channel/${channel.id}`, changes: batch.changes },
      idempotencyKey: holdKey(shopId, batch),
    };
    let answer: Awaited<ReturnType<Send>>;
    try {
      answer = await paced(() => send(shop.domain, variables), sleep);
    } catch (error) {
      // Not answered: kept dirty; the job retries (the same figures form the same key, so nothing applies twice).
      await db.transaction((tx) => markPushFailed(tx, shopId, channel.id, batch.variantIds, (error as Error).message, new Date(now().getTime() + 1_000)));
      throw error;
    }
    outcome.calls += 1;
    bucket = answer.cost?.throttleStatus;
    const payload = answer.data.inventoryMoveQuantities;
    const errors = payload?.userErrors ?? [{ field: null, message: "inventoryMoveQuantities returned nothing", code: null }];
    if (payload?.inventoryAdjustmentGroup && errors.length === 0) {
      const at = now();
      await db.transaction(async (tx) => {
        await setHeldInShopify(tx, shopId, batch.held);
        await markPushed(tx, shopId, channel.id, batch.pushed.map((p) => ({ ...p, lagMs: at.getTime() - p.dirtyAt.getTime() })));
      }, SYNC_WRITE);
      outcome.changes += batch.changes.length;
      outcome.pushed += batch.pushed.length;
      continue;
    }
    const stale = errors.filter((e) => e.code === "CHANGE_FROM_QUANTITY_STALE");
    if (stale.length > 0) {
      // Someone else changed a safety_stock we hold (the merchant in Shopify's admin): take Shopify's figure and go again.
      outcome.stale += 1;
      for (const e of stale) {
        const change = batch.changes[Number(e.field?.[2])];
        if (!change) continue;
        const level = batch.levelOf(change.inventoryItemId, change.from.locationId);
        if (!level) continue;
        const read = await adminGraphql<InventorySafetyStockResult>(shop.domain, INVENTORY_SAFETY_STOCK_QUERY, { item: change.inventoryItemId, location: change.from.locationId });
        const units = read.inventoryItem?.inventoryLevel?.quantities.find((q) => q.name === "safety_stock")?.quantity ?? 0;
        await db.transaction((tx) => setHeldInShopify(tx, shopId, [{ variantId: level.variantId, locationId: level.locationId, units }]));
      }
      if (outcome.stale > 5) throw new Error(`Shopify's safety stock keeps moving under the Shopify channel's holds (${outcome.stale} refusals); retried later`);
      continue;
    }
    // Refused for another reason (an item no longer stocked there…): those SKUs wait, with backoff; the rest go on.
    const message = errors.map((e) => `${e.code ?? "ERROR"}: ${e.message}`).join("; ");
    await db.transaction((tx) => markPushFailed(tx, shopId, channel.id, batch.variantIds, message, new Date(now().getTime() + backoffMs(batch.attempts))));
    outcome.failed += batch.variantIds.length;
  }
  return outcome;
}

const backoffMs = (attempts: number) => Math.min(3_600_000, 5_000 * 2 ** Math.min(attempts, 10));

/** A call to Shopify, its THROTTLED refusals waited out (up to 10). */
async function paced<T>(call: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const wait = throttledWaitMs(error);
      if (wait === undefined || attempt >= 10) throw error;
      await sleep(wait);
    }
  }
}

interface Batch {
  changes: InventoryHoldVariables["input"]["changes"];
  /** Variants in the call, and what Shopify holds after it at each level moved. */
  variantIds: string[];
  held: { variantId: string; locationId: string; units: number }[];
  pushed: { variantId: string; quantity: number; through: number; dirtyAt: Date }[];
  /** Dirty SKUs that needed no move (Shopify already shows their figure), or cannot be written (no inventory item): done. */
  settled: { variantId: string; quantity: number; through: number; lagMs: null }[];
  attempts: number;
  /** Levels whose hold in Shopify must be read before their SKU is sent (its last send failed; no move checks them). */
  verify: HoldLevelRow[];
  levelOf(itemGid: string, locationGid: string): HoldLevelRow | undefined;
}

/** The next call: dirty SKUs, the longest waiting first, their moves up to 250 changes. */
async function nextBatch(shopId: string, channel: ChannelRow, now: Date, verified: ReadonlySet<string>): Promise<Batch | undefined> {
  const db = database();
  const due = await dueDirty(db, shopId, channel.id, now, MAX_CHANGES_PER_CALL);
  if (due.length === 0) return undefined;
  const ids = due.map((d) => d.variantId);
  const [levels, elsewhere] = await Promise.all([holdLevels(db, shopId, ids), reservedElsewhere(db, shopId, ids)]);
  const byVariant = new Map<string, HoldLevelRow[]>();
  for (const l of levels) byVariant.set(l.variantId, [...(byVariant.get(l.variantId) ?? []), l]);
  const skus = await variantSkus(db, shopId, ids);
  const figures = await channelFiguresOf(shopId, channel, ids.map((id) => ({ id, sku: skus.get(id) ?? "", levels: byVariant.get(id) ?? [] })), now);
  await watchChannelBuffers(shopId, channel, figures, skus, now); // "stock under a channel's buffer" (ADR 0037)
  const config = checkChannelConfig(JSON.parse(channel.config || "{}"));
  const locationIds = config.ok ? config.config.locationIds : null;
  const batch: Batch = { changes: [], variantIds: [], held: [], pushed: [], settled: [], attempts: 0, verify: [], levelOf: () => undefined };
  const index = new Map<string, HoldLevelRow>();
  batch.levelOf = (item, location) => index.get(`${item}|${location}`);
  for (const d of due) {
    const rows = byVariant.get(d.variantId) ?? [];
    const figure = figures.get(d.variantId);
    const quantity = figure?.ats ?? 0;
    const writable = rows.filter((r) => r.inventoryItemExternalId);
    if (writable.length === 0) {
      batch.settled.push({ variantId: d.variantId, quantity, through: d.markedThrough, lagMs: null });
      continue;
    }
    const holdLevelsOf: HoldLevel[] = writable.map((r) => ({ locationId: r.locationId, onHand: r.onHand, reserved: r.reserved, safety: r.safety, reservedElsewhere: elsewhere.get(`${r.variantId}:${r.locationId}`) ?? 0 }));
    const targets = shopifyHoldTargets(holdLevelsOf, locationIds, figure ? figure.buffer.units : 0);
    const moves = holdMoves(targets, new Map(writable.map((r) => [r.locationId, r.heldInShopify])));
    // The SKU's last send failed, maybe after Shopify applied it (a lost reply): heldInShopify may not be what
    // Shopify holds. A move checks its level (compare-and-set, or the same key answering the same call again), but a
    // level with no move would be taken as right, and a SKU with none settled, leaving Shopify holding what the
    // lost call set (more than ATS when it released a hold). Those levels are read first (channel-figures property).
    if (d.attempts > 0 && !verified.has(d.variantId)) {
      const unchecked = writable.filter((r) => !moves.some((m) => m.locationId === r.locationId));
      if (unchecked.length > 0) {
        batch.verify.push(...unchecked);
        continue;
      }
    }
    if (moves.length === 0) {
      batch.settled.push({ variantId: d.variantId, quantity, through: d.markedThrough, lagMs: null });
      continue;
    }
    if (batch.changes.length + moves.length > MAX_CHANGES_PER_CALL) break;
    for (const m of moves) {
      const row = writable.find((r) => r.locationId === m.locationId)!;
      const item = `gid://shopify/InventoryItem/${row.inventoryItemExternalId}`;
      const location = `gid://shopify/Location/${row.locationExternalId}`;
      index.set(`${item}|${location}`, row);
      const safety = { locationId: location, name: "safety_stock" as const, changeFromQuantity: m.heldBefore, ledgerDocumentUri: `oms://channel-hold/${channel.id}` };
      const avail = { locationId: location, name: "available" as const, changeFromQuantity: null };
      batch.changes.push(m.quantity > 0 ? { inventoryItemId: item, quantity: m.quantity, from: avail, to: safety } : { inventoryItemId: item, quantity: -m.quantity, from: safety, to: avail });
      batch.held.push({ variantId: d.variantId, locationId: m.locationId, units: m.heldBefore + m.quantity });
    }
    batch.variantIds.push(d.variantId);
    batch.attempts = Math.max(batch.attempts, d.attempts);
    batch.pushed.push({ variantId: d.variantId, quantity, through: d.markedThrough, dirtyAt: fromSqlTime(d.dirtyAt) ?? now });
  }
  return batch;
}

/** What Shopify's safety_stock holds at these levels now (20 items a read); a level it does not stock is left out. */
async function shopifyHolds(shopDomain: string, levels: HoldLevelRow[], sleep: (ms: number) => Promise<void>): Promise<{ variantId: string; locationId: string; units: number }[]> {
  const itemOf = (l: HoldLevelRow) => `gid://shopify/InventoryItem/${l.inventoryItemExternalId}`;
  const items = [...new Set(levels.map(itemOf))];
  const holds: { variantId: string; locationId: string; units: number }[] = [];
  for (let i = 0; i < items.length; i += 20) {
    const read = await paced(() => adminGraphql<InventoryHoldsResult>(shopDomain, INVENTORY_HOLDS_QUERY, { ids: items.slice(i, i + 20) }), sleep);
    for (const node of read.nodes) {
      if (!node) continue;
      for (const level of levels.filter((l) => itemOf(l) === node.id)) {
        const there = node.inventoryLevels.nodes.find((n) => n.location.id === `gid://shopify/Location/${level.locationExternalId}`);
        if (there) holds.push({ variantId: level.variantId, locationId: level.locationId, units: there.quantities.find((q) => q.name === "safety_stock")?.quantity ?? 0 });
      }
    }
  }
  return holds;
}

/**
 * Shopify's idempotency key for a call: a digest of the shop, every change with the figure it starts from, and
 * the marks behind it (each SKU's last ledger entry and since when it waits). A call re-sent after a lost reply
 * carries the same key; the same move made again later (a hold released and taken again) has newer marks, so it
 * is a new request and not Shopify's cached answer to the old one.
 */
function holdKey(shopId: string, batch: Batch): string {
  const changes = batch.changes.map((c) => `${c.inventoryItemId}|${c.from.locationId}|${c.from.name}|${c.from.changeFromQuantity}|${c.to.changeFromQuantity}|${c.quantity}`);
  const marks = batch.pushed.map((p) => `${p.variantId}|${p.through}|${p.dirtyAt.toISOString()}`);
  return `oms-hold-${createHash("sha256").update([shopId, ...changes, ...marks].join("\u0000")).digest("hex").slice(0, 40)}`;
}

import { database } from "../../app/.server/db/database";
import { adminGraphqlWithCost, throttledWaitMs, type ThrottleStatus } from "../../app/.server/shopify/admin-graphql";
import { INVENTORY_HOLD_MUTATION, type InventoryHoldResult, type InventoryHoldVariables } from "../../app/.server/shopify/graphql/inventory-hold-mutation";
import type { ChannelLags, CommittedChange } from "./lags";
import type { ShopifyCall } from "./shopify-calls";

// The Shopify channel of the channel-sync bench. A stock change here is a reservation by another channel's order at
// one level; the Shopify channel reflects it once Shopify's safety_stock at that level holds every unit reserved
// there up to and including it (ADR 0010: hold = reserved elsewhere + our safety + buffer; safety and buffer are 0
// in the bench, and holds only grow, so "reflects change k" is "safety_stock ≥ the units reserved there through k").
// Acceptance is read from the stand-in's own answers (shopify-calls.ts): the time the answer reached the app and the
// safety_stock its adjustment group says the level holds after the call.

/** Shopify's ids of each level the bench's shop has: `${variantId}:${locationId}` → the stand-in's level. */
export type ShopifyLevels = Map<string, { item: string; location: string }>;

const levelKey = (variantId: string, locationId: string) => `${variantId}:${locationId}`;

export async function shopifyLevels(shopId: string): Promise<ShopifyLevels> {
  const rows = await database().all<{ variantId: string; locationId: string; item: string; location: string }>(
    `SELECT i."variantId", i."locationId", v."inventoryItemExternalId" AS "item", l."externalId" AS "location"
     FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" JOIN "Location" l ON l."id" = i."locationId" WHERE i."shopId" = ?`,
    shopId,
  );
  return new Map(rows.map((r) => [levelKey(r.variantId, r.locationId), { item: `gid://shopify/InventoryItem/${r.item}`, location: `gid://shopify/Location/${r.location}` }]));
}

/** The app's Shopify channel has sent everything: the ledger is read to its end and no Shopify mark is left. */
export async function shopifySettled(shopId: string): Promise<boolean> {
  const db = database();
  const row = await db.get<{ dirty: number; last: number | null; cursor: number | null }>(
    `SELECT (SELECT COUNT(*) FROM "ChannelStock" cs JOIN "Channel" c ON c."id" = cs."channelId" WHERE cs."shopId" = ? AND c."kind" = 'shopify' AND cs."dirtyAt" IS NOT NULL) AS "dirty",
            (SELECT MAX("id") FROM "InventoryLedgerEntry" WHERE "shopId" = ?) AS "last",
            (SELECT "ledgerId" FROM "StockSyncCursor" WHERE "shopId" = ?) AS "cursor"`,
    shopId, shopId, shopId,
  );
  return Number(row?.dirty ?? 0) === 0 && Number(row?.cursor ?? 0) >= Number(row?.last ?? 0);
}

/**
 * Per change, the first accepted call after which Shopify's safety_stock at its level covers it. `stopAtMs`: when
 * the run stopped looking (a change never covered had waited that long). Also checks the stand-in's final figures:
 * every level whose changes were all covered holds exactly what was reserved there.
 */
export function shopifyLags(opts: { shopDomain: string; calls: ShopifyCall[]; changes: CommittedChange[]; levels: ShopifyLevels; finalSafety: Map<string, number>; stopAtMs: number; label: string }): ChannelLags {
  const { changes, levels } = opts;
  const calls = opts.calls.filter((c) => c.shop === opts.shopDomain);
  const problems: string[] = [];
  // What each level held after each accepted call, in the order the answers came.
  const seen = new Map<string, { atMs: number; after: number }[]>();
  for (const call of calls) {
    if (!call.accepted) continue;
    for (const s of call.safetyAfter) {
      const key = `${s.item}|${s.location}`;
      const list = seen.get(key) ?? [];
      if (list.length > 0 && s.after < list[list.length - 1].after) problems.push(`${key}: safety_stock went down (${list[list.length - 1].after} → ${s.after}) though only reservations were made`);
      list.push({ atMs: call.answeredAtMs, after: s.after });
      seen.set(key, list);
    }
  }
  const lagMs: (number | null)[] = new Array(changes.length).fill(null);
  const lagFromReturnMs: (number | null)[] = new Array(changes.length).fill(null);
  const waitedMs: (number | null)[] = new Array(changes.length).fill(null);
  const byLevel = new Map<string, number[]>();
  changes.forEach((c, i) => {
    const key = levelKey(c.variantId, c.locationId);
    const list = byLevel.get(key);
    if (list) list.push(i);
    else byLevel.set(key, [i]);
  });
  for (const [key, indexes] of byLevel) {
    const ids = levels.get(key);
    if (!ids) {
      problems.push(`level ${key} has no Shopify ids`);
      continue;
    }
    const observed = seen.get(`${ids.item}|${ids.location}`) ?? [];
    indexes.sort((a, b) => changes[a].ledgerId - changes[b].ledgerId);
    let reserved = 0;
    let next = 0;
    let allCovered = true;
    for (const i of indexes) {
      const c = changes[i];
      reserved += c.quantity;
      while (next < observed.length && observed[next].after < reserved) next += 1;
      if (next < observed.length) {
        lagMs[i] = Math.max(0, observed[next].atMs - c.ledgerAtMs);
        // The writer's continuation may run after an answer already reflecting its change reached the app: 0 then.
        lagFromReturnMs[i] = Math.max(0, observed[next].atMs - c.committedAtMs);
      } else {
        allCovered = false;
        waitedMs[i] = Math.max(0, opts.stopAtMs - c.ledgerAtMs);
      }
    }
    const held = opts.finalSafety.get(`${ids.item}|${ids.location}`);
    if (allCovered && held !== reserved) problems.push(`${opts.label}: the stand-in holds ${held} at ${key}, ${reserved} were reserved there`);
  }
  for (const [key, ids] of levels) {
    const held = opts.finalSafety.get(`${ids.item}|${ids.location}`) ?? 0;
    if (!byLevel.has(key) && held !== 0) problems.push(`${opts.label}: the stand-in holds ${held} at ${key}, where nothing was reserved`);
  }
  const holds = calls.filter((c) => c.hold);
  const buckets = calls.map((c) => c.bucketAfter).filter((b): b is number => b !== null);
  return {
    channel: "shopify",
    lagMs,
    lagFromReturnMs,
    waitedMs,
    calls: {
      sent: calls.length,
      accepted: calls.filter((c) => c.accepted).length,
      refused: calls.filter((c) => !c.accepted && !c.throttled).length,
      throttled: calls.filter((c) => c.throttled).length,
      points: calls.reduce((a, c) => a + c.actualCost, 0),
      changes: holds.filter((c) => c.accepted).reduce((a, c) => a + c.changes, 0),
      lowestBucket: buckets.length ? Math.min(...buckets) : null,
    },
    problems,
  };
}

/** A call's cost (Shopify and the stand-in charge a mutation field 10 points). */
const MUTATION_COST = 10;

/**
 * The baseline: what a pusher without coalescing or batching does. Told of each stock change right after it commits
 * (the writer calls it), it reads the change (the order's reservation: level and units) and sends one
 * inventoryMoveQuantities for it alone, the same hold move the app makes (available → safety_stock, compare-and-set on
 * what it last set there, an idempotency key), through the app's own Shopify client. Calls go one at a time in the
 * order the changes committed (a level's compare-and-set figure needs its previous call answered), paced like the
 * app's pusher: it waits for the bucket when the last answer said it is short, and waits out a THROTTLED answer.
 */
export class NaiveShopifyPusher {
  private readonly fifo: { orderId: string; variantId: string; locationId: string; quantity: number }[] = [];
  private readonly held = new Map<string, number>();
  private wake: (() => void) | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private bucket: ThrottleStatus | undefined;
  failures: string[] = [];
  sent = 0;

  constructor(private readonly shopDomain: string, private readonly shopId: string, private readonly levels: ShopifyLevels) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** The writer's hook: the order's reservation, read and queued at once. */
  async changed(orderId: string): Promise<void> {
    const rows = await database().all<{ variantId: string; locationId: string; quantity: number }>(
      `SELECT ol."variantId", a."locationId", a."quantity" FROM "OrderLine" ol JOIN "Allocation" a ON a."orderLineId" = ol."id"
       WHERE ol."shopId" = ? AND ol."orderId" = ? AND a."status" = 'reserved'`,
      this.shopId, orderId,
    );
    for (const r of rows) this.fifo.push({ orderId, variantId: r.variantId, locationId: r.locationId, quantity: Number(r.quantity) });
    this.wake?.();
  }

  pending(): number {
    return this.fifo.length;
  }

  /** Stops after the call in flight; what is still queued stays unsent. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const next = this.fifo.shift();
      if (!next) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      const ids = this.levels.get(levelKey(next.variantId, next.locationId));
      if (!ids) {
        this.failures.push(`no Shopify ids for ${next.variantId}:${next.locationId}`);
        continue;
      }
      const key = `${ids.item}|${ids.location}`;
      const before = this.held.get(key) ?? 0;
      const variables: InventoryHoldVariables = {
        input: {
          reason: "safety_stock",
          referenceDocumentUri: "oms://bench/naive-pusher",
          changes: [{ inventoryItemId: ids.item, quantity: next.quantity, from: { locationId: ids.location, name: "available", changeFromQuantity: null }, to: { locationId: ids.location, name: "safety_stock", changeFromQuantity: before, ledgerDocumentUri: "oms://bench/naive-hold" } }],
        },
        idempotencyKey: `naive-${next.orderId}-${next.variantId}-${next.locationId}`,
      };
      if (this.bucket && this.bucket.currentlyAvailable < MUTATION_COST) await sleep(Math.ceil(((MUTATION_COST - this.bucket.currentlyAvailable) / this.bucket.restoreRate) * 1_000));
      for (let attempt = 0; ; attempt++) {
        try {
          const answer = await adminGraphqlWithCost<InventoryHoldResult>(this.shopDomain, INVENTORY_HOLD_MUTATION, variables as unknown as Record<string, unknown>);
          this.sent += 1;
          this.bucket = answer.cost?.throttleStatus;
          const errors = answer.data.inventoryMoveQuantities?.userErrors ?? [];
          if (answer.data.inventoryMoveQuantities?.inventoryAdjustmentGroup && errors.length === 0) this.held.set(key, before + next.quantity);
          else this.failures.push(errors.map((e) => `${e.code}: ${e.message}`).join("; ") || "no adjustment group");
          break;
        } catch (error) {
          const wait = throttledWaitMs(error);
          if (wait === undefined || attempt >= 10) {
            this.failures.push((error as Error).message);
            break;
          }
          await sleep(wait);
        }
      }
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

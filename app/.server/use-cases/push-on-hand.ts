import { createHash } from "node:crypto";
import { planPush } from "~/domain/inventory/on-hand-push";
import { audit } from "../db/audit";
import { database, RetryableConflict } from "../db/database";
import { levelOf } from "../db/fulfillment-sql";
import { claimBatch, markPushesSent, markPushesSkipped, openPushes, pushLevel, recordPushError, releaseBatch, type PushLevel } from "../db/stock-push-sql";
import { TerminalJobError } from "../queues/queue-port";
import { adminGraphql } from "../shopify/admin-graphql";
import { INVENTORY_ADJUST_ON_HAND_MUTATION, type InventoryAdjustOnHandResult, type InventoryAdjustOnHandVariables } from "../shopify/graphql/inventory-adjust-on-hand-mutation";
import { applyShopifyOnHand, readShopifyOnHand } from "./sync-inventory-level";

// Writes a level's open on-hand pushes to Shopify (ADR 0008): one compare-and-swap adjustment per batch, the batch recorded
// before it is sent and re-sent unchanged (same idempotency key) until Shopify answers it. A refusal because
// Shopify's figure moved (CHANGE_FROM_QUANTITY_STALE) reads Shopify's on hand, applies the difference as the
// external change it is, and forms the next batch from the new figure.

export type PushOutcome = { sent: number; batches: number; refused: number; skipped: number };

type Send = (shopDomain: string, variables: InventoryAdjustOnHandVariables) => Promise<InventoryAdjustOnHandResult>;
type Read = typeof readShopifyOnHand;

const MAX_BATCHES = 20;
const MAX_REFUSALS = 3;

export async function pushOnHand(shopId: string, variantId: string, locationId: string, opts: { now?: Date; send?: Send; read?: Read } = {}): Promise<PushOutcome> {
  const send: Send = opts.send ?? ((shop, variables) => adminGraphql<InventoryAdjustOnHandResult>(shop, INVENTORY_ADJUST_ON_HAND_MUTATION, variables as unknown as Record<string, unknown>));
  const read = opts.read ?? readShopifyOnHand;
  const outcome: PushOutcome = { sent: 0, batches: 0, refused: 0, skipped: 0 };
  const level = await pushLevel(database(), shopId, variantId, locationId);
  if (!level) return outcome;
  for (let round = 0; round < MAX_BATCHES; round++) {
    const step = await nextBatch(level);
    if (step.kind === "done") return outcome;
    if (step.kind === "settled") continue;
    if (step.kind === "skipped") {
      outcome.skipped += step.count;
      return outcome;
    }
    const { batch } = step;
    let result: InventoryAdjustOnHandResult;
    try {
      result = await send(level.shopDomain, {
        input: {
          name: "on_hand",
          reason: batch.reason,
          referenceDocumentUri: batch.referenceUri,
          changes: [{
            inventoryItemId: `gid://shopify/InventoryItem/${level.inventoryItemExternalId}`, locationId: `gid://shopify/Location/${level.locationExternalId}`,
            delta: batch.quantity - batch.changeFrom, changeFromQuantity: batch.changeFrom, ledgerDocumentUri: `oms://stock-push/${batch.key}`,
          }],
        },
        idempotencyKey: batch.key,
      });
    } catch (error) {
      // Not answered (network, 5xx, throttled past the library's retries): the batch stays recorded and is re-sent as it is.
      await database().transaction((tx) => recordPushError(tx, shopId, batch.pushIds, (error as Error).message));
      throw error;
    }
    const payload = result.inventoryAdjustQuantities;
    const errors = payload?.userErrors ?? [{ field: null, message: "inventoryAdjustQuantities returned nothing", code: null }];
    const group = payload?.inventoryAdjustmentGroup;
    if (group && errors.length === 0) {
      await database().transaction(async (tx) => {
        await markPushesSent(tx, shopId, batch.pushIds);
        await audit(tx, shopId, "job:push-on-hand", "inventory.pushed", { type: "variant", id: variantId }, { locationId, changeFrom: batch.changeFrom, quantity: batch.quantity, pushes: batch.pushIds.length, adjustmentGroup: group.id });
      });
      outcome.sent += batch.pushIds.length;
      outcome.batches += 1;
      continue;
    }
    const message = errors.map((e) => `${e.code ?? "ERROR"}: ${e.message}`).join("; ");
    if (!errors.some((e) => e.code === "CHANGE_FROM_QUANTITY_STALE")) {
      await database().transaction((tx) => recordPushError(tx, shopId, batch.pushIds, message));
      throw new TerminalJobError(`Shopify refused the on-hand write for ${variantId} at ${locationId}: ${message}`);
    }
    // Someone changed the level in Shopify since we last agreed: take their change in, then go again from it.
    outcome.refused += 1;
    await database().transaction((tx) => releaseBatch(tx, shopId, batch.key, message));
    if (outcome.refused > MAX_REFUSALS) throw new Error(`On-hand write for ${variantId} at ${locationId} refused ${outcome.refused} times (Shopify's figure keeps moving); retried later`);
    const readAt = opts.now ?? new Date();
    const shopifyOnHand = await read(level.shopDomain, level.inventoryItemExternalId!, level.locationExternalId);
    if (shopifyOnHand === undefined) throw new TerminalJobError(`${variantId} is not stocked at ${locationId} in Shopify any more`);
    const applied = await applyShopifyOnHand(level, shopifyOnHand, { final: false, readAt, key: `push-refused:${batch.key}:${shopifyOnHand}`, actor: "job:push-on-hand", ref: { type: "stock_push", id: batch.key } });
    // A decrease that open orders' fulfillments may still explain waits for them (recheck): so does this level's push.
    if (applied.outcome === "deferred") throw new Error(`On-hand write for ${variantId} at ${locationId} waits for Shopify's figure to settle`);
  }
  throw new Error(`On-hand write for ${variantId} at ${locationId}: more than ${MAX_BATCHES} batches in one run; the rest go in the next`);
}

type Step =
  | { kind: "done" }
  | { kind: "skipped"; count: number }
  /** Pushes that cancelled out were closed without a call: look again for more. */
  | { kind: "settled" }
  | { kind: "send"; batch: { key: string; pushIds: string[]; changeFrom: number; quantity: number; reason: string; referenceUri: string | null } };

/** Reads the level and its open pushes, and records the next batch on its rows before it is sent. */
async function nextBatch(level: PushLevel): Promise<Step> {
  return database().transaction(async (tx): Promise<Step> => {
    const { shopId, variantId, locationId } = level;
    const open = await openPushes(tx, shopId, variantId, locationId);
    if (open.length === 0) return { kind: "done" };
    if (!level.inventoryItemExternalId) {
      await markPushesSkipped(tx, shopId, open.map((p) => p.id), "the variant has no inventory item in Shopify");
      return { kind: "skipped", count: open.length };
    }
    const ours = (await levelOf(tx, shopId, variantId, locationId))?.onHand ?? 0;
    const plan = planPush(level, ours, open);
    if (plan.kind === "nothing") return { kind: "done" };
    if (plan.kind === "resend") {
      const first = open.find((p) => p.id === plan.pushIds[0])!;
      return { kind: "send", batch: { key: plan.batchKey, pushIds: plan.pushIds, changeFrom: plan.changeFrom, quantity: plan.quantity, reason: first.reason, referenceUri: first.referenceUri } };
    }
    if (plan.kind === "settle") {
      await markPushesSent(tx, shopId, plan.pushIds);
      return { kind: "settled" };
    }
    const key = idempotencyKeyOf(plan.keyParts);
    const claimed = await claimBatch(tx, shopId, plan.pushIds, { key, changeFrom: plan.changeFrom, quantity: plan.quantity });
    if (claimed !== plan.pushIds.length) throw new RetryableConflict(`Pushes of ${variantId} at ${locationId} were claimed by another run`);
    return { kind: "send", batch: { key, pushIds: plan.pushIds, changeFrom: plan.changeFrom, quantity: plan.quantity, reason: plan.reason, referenceUri: plan.referenceUri } };
  });
}

/** Shopify's idempotency key for a batch: a digest of what names it (the level, its starting figure, its ledger entries). */
export function idempotencyKeyOf(parts: string[]): string {
  return `oms-on-hand-${createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 40)}`;
}

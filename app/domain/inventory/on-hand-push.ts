// Writing the app's own on-hand changes to Shopify (ADR 0008), as pure rules: what Shopify should show before
// our open pushes, what one compare-and-swap for a level sends, and whether a reading of Shopify's level can be
// compared with ours at all.

/**
 * Shopify's reason code for an on-hand change the app made, or null for a change that came from Shopify (it has
 * it already) or that Shopify records itself (a fulfillment). Our reasons → Shopify's documented ones.
 */
export function shopifyReasonFor(reason: string): string | null {
  switch (reason) {
    case "received":
      return "received";
    case "transfer_in":
      return "movement_received";
    case "returned":
      return "restock";
    case "counted":
      return "cycle_count_available";
    case "damaged":
      return "damaged";
    case "correction":
      return "correction";
    default:
      return null; // external_increase, external_decrease, fulfilled, …: not ours to tell Shopify
  }
}

export interface OpenPush {
  id: string;
  /** The ledger entry's natural key: the push is that entry, told to Shopify. */
  idempotencyKey: string;
  delta: number;
  /** Shopify's reason code and our document: one batch carries pushes that share both. */
  reason: string;
  referenceUri: string | null;
  status: "pending" | "sending";
  /** How many batches have carried this push so far (a refused batch is not sent again: the next one is new). */
  attempts: number;
  /** For a batch in flight (status "sending"): what was sent. */
  batchKey: string | null;
  changeFrom: number | null;
  quantityTo: number | null;
}

/** What Shopify shows for the level if none of our open pushes has reached it: our on hand without them. */
export function shopifyBaseline(ourOnHand: number, open: readonly Pick<OpenPush, "delta">[]): number {
  return open.reduce((figure, push) => figure - push.delta, ourOnHand);
}

export type PushPlan =
  /** Nothing open for the level. */
  | { kind: "nothing" }
  /** A batch was sent and not confirmed (a lost reply, a crash): send exactly it again, same key. */
  | { kind: "resend"; batchKey: string; pushIds: string[]; changeFrom: number; quantity: number }
  /** One compare-and-swap (from `changeFrom` to `quantity`) for the oldest pending pushes that share a reason and a document. `keyParts` name it (the caller hashes them). */
  | { kind: "send"; pushIds: string[]; changeFrom: number; quantity: number; reason: string; referenceUri: string | null; keyParts: string[] }
  /** The pending deltas cancel out: Shopify's figure is already right; the pushes are done without a call. */
  | { kind: "settle"; pushIds: string[] };

/**
 * The next request for one level. A batch in flight always goes first, unchanged: only Shopify's answer to it
 * (replayed by its idempotency key) says whether it applied. Otherwise the oldest pending pushes that share a
 * reason and a document go in one compare-and-swap whose `changeFrom` is the baseline: if Shopify's figure is not
 * that, someone changed it in Shopify and the change is refused instead of overwriting theirs. The rest follow in
 * later batches, each from the figure the one before left. Either figure may be below zero: Shopify's on hand is
 * negative when more shipped than it knew it had, and ours mirrors it (a receipt raises it from there).
 */
export function planPush(level: { shopId: string; variantId: string; locationId: string }, ourOnHand: number, open: readonly OpenPush[]): PushPlan {
  if (open.length === 0) return { kind: "nothing" };
  const inFlight = open.filter((p) => p.status === "sending");
  if (inFlight.length > 0) {
    const first = inFlight[0];
    if (first.batchKey === null || first.changeFrom === null || first.quantityTo === null) throw new Error(`Push ${first.id} is sending without its batch`);
    return { kind: "resend", batchKey: first.batchKey, pushIds: inFlight.filter((p) => p.batchKey === first.batchKey).map((p) => p.id), changeFrom: first.changeFrom, quantity: first.quantityTo };
  }
  const changeFrom = shopifyBaseline(ourOnHand, open);
  const first = open[0];
  const end = open.findIndex((p) => p.reason !== first.reason || p.referenceUri !== first.referenceUri);
  const batch = end === -1 ? open : open.slice(0, end);
  const pushIds = batch.map((p) => p.id);
  const quantity = batch.reduce((figure, p) => figure + p.delta, changeFrom);
  if (quantity === changeFrom) return { kind: "settle", pushIds };
  // Named by the level, the figure it starts from, the ledger entries it carries and how many batches carried
  // them before: a re-sent batch is the same request; a batch formed after a refusal is a new one even when it
  // starts from the same figure (Shopify answers a key it has seen with its first answer, a refusal included).
  const claim = Math.max(...batch.map((p) => p.attempts)) + 1;
  const keyParts = [level.shopId, level.variantId, level.locationId, String(changeFrom), `claim ${claim}`, ...batch.map((p) => p.idempotencyKey)];
  return { kind: "send", pushIds, changeFrom, quantity, reason: first.reason, referenceUri: first.referenceUri, keyParts };
}

export type ReadingBasis =
  /** Compare Shopify's figure with this one: any difference was made in Shopify. */
  | { kind: "compare"; ours: number }
  /** A push of ours may or may not be in Shopify's figure: look again once it is settled. */
  | { kind: "wait" };

/**
 * Whether a reading of Shopify's on hand (from a webhook, a recheck or a refused push) can be compared with ours.
 * Not while a batch is in flight, nor if a push was confirmed after the reading was taken (the reading may
 * predate it); otherwise Shopify should show our on hand minus the pushes it has not received yet, and our own
 * confirmed writes come back equal to ours: they are never mistaken for external changes.
 */
export function readingBasis(ourOnHand: number, open: readonly Pick<OpenPush, "delta" | "status">[], confirmedSinceReading: boolean): ReadingBasis {
  if (confirmedSinceReading || open.some((p) => p.status === "sending")) return { kind: "wait" };
  return { kind: "compare", ours: shopifyBaseline(ourOnHand, open) };
}

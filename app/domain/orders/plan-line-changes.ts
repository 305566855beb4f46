import { isReallocatable } from "./status-machine";

// What changed between the lines we hold for an order and the lines a channel now sends, as the changes
// to apply. A line is identified by its channel line id; what it holds is its item (the variant, or the
// SKU when no variant is known). A line whose item changed is a removal plus an addition — its open
// allocations belong to the old item and must go back before the line takes the new one — and a line the
// channel no longer lists is removed (quantity 0; the row stays for the fulfillments and refunds that name it).

export interface StoredLine {
  id: string;
  externalId: string;
  variantId: string | null;
  sku: string | null;
  quantity: number;
}

export interface IncomingLine {
  externalId: string;
  /** The variant the line resolves to in our catalog (null: unknown item). */
  variantId: string | null;
  sku: string | null;
  quantity: number;
}

export interface LineChanges {
  /** Channel line ids not held yet. */
  added: string[];
  /** Held lines whose item changed: release what they hold (old item) before they take the new item. */
  replaced: { lineId: string; externalId: string; from: string; to: string }[];
  /** Held lines the channel no longer lists: release what they hold; their quantity becomes 0. */
  removed: { lineId: string; externalId: string }[];
  /** Held lines, same item, other quantity. */
  requantified: { lineId: string; externalId: string; from: number; to: number }[];
  /** Anything above: the order's lines changed. */
  changed: boolean;
}

/** The stock item a line holds: its variant, else its SKU text (lines of unknown items still differ by SKU). */
export function itemOf(line: { variantId: string | null; sku: string | null }): string {
  return line.variantId !== null ? `variant:${line.variantId}` : `sku:${line.sku ?? ""}`;
}

export function planLineChanges(stored: StoredLine[], incoming: IncomingLine[]): LineChanges {
  const held = new Map(stored.map((l) => [l.externalId, l]));
  const listed = new Set(incoming.map((l) => l.externalId));
  const changes: LineChanges = { added: [], replaced: [], removed: [], requantified: [], changed: false };
  for (const line of incoming) {
    const before = held.get(line.externalId);
    if (!before) {
      changes.added.push(line.externalId);
      continue;
    }
    const from = itemOf(before);
    const to = itemOf(line);
    if (from !== to) changes.replaced.push({ lineId: before.id, externalId: line.externalId, from, to });
    else if (before.quantity !== line.quantity) changes.requantified.push({ lineId: before.id, externalId: line.externalId, from: before.quantity, to: line.quantity });
  }
  for (const line of stored) {
    if (!listed.has(line.externalId) && line.quantity !== 0) changes.removed.push({ lineId: line.id, externalId: line.externalId });
  }
  changes.changed = changes.added.length + changes.replaced.length + changes.removed.length + changes.requantified.length > 0;
  return changes;
}

/** Lines whose open allocations must be released before the lines are rewritten (their item changed or they are gone). */
export function linesToRelease(changes: LineChanges): string[] {
  return [...changes.replaced.map((r) => r.lineId), ...changes.removed.map((r) => r.lineId)];
}

export type AllocationAfterLineChanges = "reroute" | "top_up" | "none";

/**
 * How an order's allocation follows its line changes (a cancel aside): before picking it is re-routed
 * whole; once part of it shipped (or is being picked) nothing placed moves — what the lines still miss
 * (units added, the new item of a replaced line) is reserved on top. Orders done (shipped, delivered,
 * returned, cancelled) take no new stock.
 */
export function allocationAfterLineChanges(status: string, changes: LineChanges): AllocationAfterLineChanges {
  if (!changes.changed) return "none";
  if (isReallocatable(status)) return "reroute";
  if (status === "partially_shipped") return "top_up";
  if ((status === "picking" || status === "packed") && changes.replaced.length > 0) return "top_up";
  return "none";
}

import { z } from "zod";
import { documentLines, lineQuantityDelta } from "../shared/bounded-input";

// Shopify's orders/edited payload is an order edit (`{ order_edit: { id, order_id, line_items: { additions,
// removals } } }`), not the order: it names the order to read again. Parse with parseJsonKeepingBigInts.

const id = z.union([z.string().regex(/^\d+$/, "not an id"), z.number().int().nonnegative()]).transform(String);
const delta = documentLines(z.object({ id, delta: lineQuantityDelta() }).passthrough());

const payload = z.object({
  order_edit: z
    .object({
      id,
      order_id: id,
      committed_at: z.string().nullish(),
      line_items: z.object({ additions: delta, removals: delta }).passthrough(),
    })
    .passthrough(),
});

export interface ChannelOrderEdit {
  editId: string;
  orderExternalId: string;
  committedAt: string | null;
  /** Line item ids with units added / removed by the edit (for the audit trail; the order read decides). */
  additions: { lineExternalId: string; delta: number }[];
  removals: { lineExternalId: string; delta: number }[];
}

export type OrderEditMapResult = { ok: true; edit: ChannelOrderEdit } | { ok: false; error: string };

export function mapOrderEdit(input: unknown): OrderEditMapResult {
  const parsed = payload.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
  const e = parsed.data.order_edit;
  return {
    ok: true,
    edit: {
      editId: e.id,
      orderExternalId: e.order_id,
      committedAt: e.committed_at ?? null,
      additions: e.line_items.additions.map((a) => ({ lineExternalId: a.id, delta: a.delta })),
      removals: e.line_items.removals.map((r) => ({ lineExternalId: r.id, delta: r.delta })),
    },
  };
}

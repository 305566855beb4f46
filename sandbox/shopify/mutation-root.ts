// Mutation fields: fulfillment order move/split/hold/release, fulfillmentCreate, inventorySetQuantities, inventoryAdjustQuantities,
// inventoryMoveQuantities and
// draftOrderCreate.
// Business problems come back in userErrors; @idempotent(key:) replays the first result for a key
// sent again with the same arguments, and refuses it with other arguments (IDEMPOTENCY_KEY_PARAMETER_MISMATCH).
import { getDirectiveValues, GraphQLError, type GraphQLResolveInfo } from "graphql";
import {
  holdFulfillmentOrder, moveFulfillmentOrder, releaseFulfillmentOrderHold, splitFulfillmentOrder, type LineInput,
} from "./fulfillment-orders";
import { createDraftOrder, type DraftOrderArg } from "./draft-orders";
import { createFulfillment, type FulfillmentCreateArg } from "./order-events";
import { checkFlowTrigger } from "./flow";
import { gid, parseGid } from "./ids";
import { adjustInventoryQuantities, type AdjustQuantitiesInput } from "./inventory-adjust";
import { moveInventoryQuantities, type MoveQuantitiesInput } from "./inventory-move";
import { setInventoryQuantities, type AdjustmentGroup, type SetQuantitiesInput } from "./inventory-set";
import { returnMutations } from "./returns";
import { draftOrderView, fulfillmentOrderView, fulfillmentView, holdView, inventoryItemView, locationView, type SandboxContext } from "./views";

type Resolver<A> = (args: A, ctx: SandboxContext, info: GraphQLResolveInfo) => unknown;
type LineArg = { id: string; quantity: number };

/**
 * Versions from which a mutation takes @idempotent, and from which it requires it; `refused` is its
 * payload (without userErrors) when a key comes back with other arguments.
 */
const IDEMPOTENT: Record<string, { accepted: string; required: string; refused: Record<string, null> }> = {
  inventorySetQuantities: { accepted: "2026-01", required: "2026-04", refused: { inventoryAdjustmentGroup: null } },
  inventoryMoveQuantities: { accepted: "2026-01", required: "2026-04", refused: { inventoryAdjustmentGroup: null } },
  inventoryAdjustQuantities: { accepted: "2026-01", required: "2026-04", refused: { inventoryAdjustmentGroup: null } },
};
const KEY_PARAMETER_MISMATCH = {
  code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", field: null, message: "The same idempotency key cannot be used with different operation parameters.",
};

const foId = (value: string) => {
  const parsed = parseGid(value);
  return parsed && parsed.type === "FulfillmentOrder" ? parsed.id : -1n;
};
const lines = (items: LineArg[] | null | undefined): LineInput[] | null =>
  items ? items.map((l) => ({ id: parseGid(l.id)?.id ?? -1n, quantity: l.quantity })) : null;

export const mutationRoot = {
  ...returnMutations, // returnRequest, returnCreate, returnApproveRequest, returnDeclineRequest, returnProcess
  fulfillmentOrderMove: idempotent<{ id: string; newLocationId: string; fulfillmentOrderLineItems?: LineArg[] | null }>(
    "fulfillmentOrderMove", (args, ctx) => {
      const location = parseGid(args.newLocationId);
      const result = moveFulfillmentOrder(ctx.store, ctx.shop, foId(args.id), location?.type === "Location" ? location.id : null, lines(args.fulfillmentOrderLineItems));
      if (!result.ok) return { movedFulfillmentOrder: null, originalFulfillmentOrder: null, remainingFulfillmentOrder: null, userErrors: result.errors };
      return {
        movedFulfillmentOrder: fulfillmentOrderView(ctx, result.value.moved),
        originalFulfillmentOrder: fulfillmentOrderView(ctx, result.value.original),
        remainingFulfillmentOrder: null, // deprecated by Shopify: always null
        userErrors: [],
      };
    }),

  fulfillmentOrderSplit: idempotent<{ fulfillmentOrderSplits: Array<{ fulfillmentOrderId: string; fulfillmentOrderLineItems: LineArg[] }> }>(
    "fulfillmentOrderSplit", (args, ctx) => {
      const results = [];
      for (const [i, split] of args.fulfillmentOrderSplits.entries()) {
        const r = splitFulfillmentOrder(ctx.store, ctx.shop, foId(split.fulfillmentOrderId), lines(split.fulfillmentOrderLineItems) ?? [], ["fulfillmentOrderSplits", String(i)]);
        if (!r.ok) return { fulfillmentOrderSplits: null, userErrors: r.errors };
        results.push({
          fulfillmentOrder: fulfillmentOrderView(ctx, r.value.original),
          remainingFulfillmentOrder: fulfillmentOrderView(ctx, r.value.created),
          replacementFulfillmentOrder: null,
        });
      }
      return { fulfillmentOrderSplits: results, userErrors: [] };
    }),

  fulfillmentOrderHold: idempotent<{ id: string; fulfillmentHold: { reason: string; reasonNotes?: string | null; handle?: string | null; fulfillmentOrderLineItems?: LineArg[] | null } }>(
    "fulfillmentOrderHold", (args, ctx) => {
      const h = args.fulfillmentHold;
      const r = holdFulfillmentOrder(ctx.store, ctx.shop, foId(args.id), {
        reason: h.reason, reasonNotes: h.reasonNotes, handle: h.handle || null, lines: lines(h.fulfillmentOrderLineItems),
      });
      if (!r.ok) return { fulfillmentHold: null, fulfillmentOrder: null, remainingFulfillmentOrder: null, userErrors: r.errors };
      return {
        fulfillmentHold: holdView(r.value.hold),
        fulfillmentOrder: fulfillmentOrderView(ctx, r.value.fo),
        remainingFulfillmentOrder: r.value.remaining && fulfillmentOrderView(ctx, r.value.remaining),
        userErrors: [],
      };
    }),

  fulfillmentOrderReleaseHold: idempotent<{ id: string; holdIds?: string[] | null }>("fulfillmentOrderReleaseHold", (args, ctx) => {
    const holdIds = args.holdIds?.map((h) => parseGid(h)?.id ?? -1n);
    const r = releaseFulfillmentOrderHold(ctx.store, ctx.shop, foId(args.id), holdIds);
    if (!r.ok) return { fulfillmentOrder: null, userErrors: r.errors };
    return { fulfillmentOrder: fulfillmentOrderView(ctx, r.value), userErrors: [] };
  }),

  inventorySetQuantities: idempotent<{ input: SetQuantitiesInput }>("inventorySetQuantities", (args, ctx) => {
    const { group, userErrors } = setInventoryQuantities(ctx.store, ctx.shop, args.input);
    return group ? { inventoryAdjustmentGroup: adjustmentGroupView(ctx, group), userErrors: [] } : { inventoryAdjustmentGroup: null, userErrors };
  }),

  inventoryAdjustQuantities: idempotent<{ input: AdjustQuantitiesInput }>("inventoryAdjustQuantities", (args, ctx) => {
    const { group, userErrors } = adjustInventoryQuantities(ctx.store, ctx.shop, args.input);
    return group ? { inventoryAdjustmentGroup: adjustmentGroupView(ctx, group), userErrors: [] } : { inventoryAdjustmentGroup: null, userErrors };
  }),

  inventoryMoveQuantities: idempotent<{ input: MoveQuantitiesInput }>("inventoryMoveQuantities", (args, ctx) => {
    const { group, userErrors } = moveInventoryQuantities(ctx.store, ctx.shop, args.input);
    return group ? { inventoryAdjustmentGroup: adjustmentGroupView(ctx, group), userErrors: [] } : { inventoryAdjustmentGroup: null, userErrors };
  }),

  // fulfillmentCreate (ADR 0033): the warehouse module's shipments. 2026-01 lists no @idempotent for it.
  fulfillmentCreate: idempotent<{ fulfillment: FulfillmentCreateArg; message?: string | null }>("fulfillmentCreate", (args, ctx) => {
    const r = createFulfillment(ctx.store, ctx.shop, args.fulfillment);
    return r.ok ? { fulfillment: fulfillmentView(ctx, r.value), userErrors: [] } : { fulfillment: null, userErrors: r.errors };
  }),

  draftOrderCreate: idempotent<{ input: DraftOrderArg }>("draftOrderCreate", (args, ctx) => {
    const r = createDraftOrder(ctx.store, ctx.shop, args.input);
    return r.ok ? { draftOrder: draftOrderView(ctx, r.value), userErrors: [] } : { draftOrder: null, userErrors: r.errors };
  }),

  // Flow triggers (ADR 0031): recorded, then the shop's stored workflows for that trigger start (flow.ts).
  flowTriggerReceive: (args: { handle?: string | null; payload?: unknown }, ctx: SandboxContext) => {
    const userErrors = checkFlowTrigger(args.handle, args.payload);
    if (userErrors.length) return { userErrors };
    const trigger = { shop: ctx.shop.domain, handle: args.handle!, payload: args.payload as Record<string, unknown>, receivedAt: ctx.store.nowIso() };
    ctx.store.flowTriggers.push(trigger);
    ctx.store.onFlowTrigger?.(trigger);
    return { userErrors: [] };
  },
};

function adjustmentGroupView(ctx: SandboxContext, group: AdjustmentGroup) {
  return {
    __typename: "InventoryAdjustmentGroup", id: gid("InventoryAdjustmentGroup", group.id), createdAt: group.createdAt,
    reason: group.reason, referenceDocumentUri: group.referenceDocumentUri,
    changes: (filter: { inventoryItemIds?: string[] | null; locationIds?: string[] | null; quantityNames?: string[] | null }) =>
      group.changes
        .filter((c) => !filter.inventoryItemIds || filter.inventoryItemIds.includes(gid("InventoryItem", c.itemId)))
        .filter((c) => !filter.locationIds || filter.locationIds.includes(gid("Location", c.locationId)))
        .filter((c) => !filter.quantityNames || filter.quantityNames.includes(c.name))
        .map((c) => ({
          name: c.name, delta: c.delta, quantityAfterChange: c.quantityAfterChange,
          item: () => inventoryItemView(ctx, ctx.store.variantByItem(ctx.shop, c.itemId)!),
          location: () => locationView(ctx, ctx.store.location(ctx.shop, c.locationId)!),
        })),
  };
}

/**
 * Wraps a mutation so `@idempotent(key: "...")` on the field replays the first result for that key
 * (no second effect) when the arguments are the same, and answers IDEMPOTENCY_KEY_PARAMETER_MISMATCH
 * (no effect) when they differ. Arguments are compared as graphql-js coerced them (defaults filled in;
 * an explicit null differs from a field left out). Only mutations Shopify lists accept the directive,
 * from the version it lists.
 */
function idempotent<A>(name: string, run: Resolver<A>): Resolver<A> {
  return (args, ctx, info) => {
    const directive = info.schema.getDirective("idempotent")!;
    const key = getDirectiveValues(directive, info.fieldNodes[0], info.variableValues)?.key as string | undefined;
    const rule = IDEMPOTENT[name];
    if (key !== undefined && (!rule || ctx.apiVersion < rule.accepted)) {
      throw new GraphQLError(`The @idempotent directive is not supported on ${name} in API version ${ctx.apiVersion}.`);
    }
    if (key === undefined) {
      if (rule && ctx.apiVersion >= rule.required) {
        throw new GraphQLError(`The @idempotent directive is required for ${name} as of API version ${rule.required}.`);
      }
      return run(args, ctx, info);
    }
    const cacheKey = `${name}:${key}`;
    const fingerprint = stableJson(args);
    const seen = ctx.shop.idempotency.get(cacheKey);
    if (seen) return seen.args === fingerprint ? seen.result : { ...rule.refused, userErrors: [KEY_PARAMETER_MISMATCH] };
    const result = run(args, ctx, info);
    ctx.shop.idempotency.set(cacheKey, { args: fingerprint, result });
    return result;
  };
}

/** JSON with object keys sorted at every level, so equal arguments give equal text whatever their order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v);
}

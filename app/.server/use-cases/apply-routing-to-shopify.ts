import type {
  CurrentFulfillmentOrder, DesiredPlacement, FoRef, FulfillmentOrderOperation, FulfillmentOrderPlan, OperationLine, SkippedChange,
} from "~/domain/fulfillment/fulfillment-order-types";
import { BACKORDER_HOLD_HANDLE, BACKORDER_HOLD_REASON } from "~/domain/fulfillment/fulfillment-order-types";
import { BACKORDER_HOLD_NOTES, planFulfillmentOrderChanges } from "~/domain/fulfillment/plan-fulfillment-order-changes";
import { legacyIdFromGid } from "~/domain/shared/safe-json";
import { TerminalJobError } from "../queues/queue-port";
import { adminGraphql } from "../shopify/admin-graphql";
import type { FoUserError, FulfillmentOrderLineNode, FulfillmentOrderNode } from "../shopify/graphql/fulfillment-order-fields";
import { FULFILLMENT_ORDER_HOLD_MUTATION, type FulfillmentOrderHoldResult } from "../shopify/graphql/fulfillment-order-hold-mutation";
import { FULFILLMENT_ORDER_LINE_ITEMS_QUERY, type FulfillmentOrderLineItemsResult } from "../shopify/graphql/fulfillment-order-line-items-query";
import { FULFILLMENT_ORDER_MOVE_MUTATION, type FulfillmentOrderMoveResult } from "../shopify/graphql/fulfillment-order-move-mutation";
import { FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION, type FulfillmentOrderReleaseHoldResult } from "../shopify/graphql/fulfillment-order-release-hold-mutation";
import { FULFILLMENT_ORDER_SPLIT_MUTATION, type FulfillmentOrderSplitResult } from "../shopify/graphql/fulfillment-order-split-mutation";
import {
  FULFILLMENT_ORDERS_PAGE, ORDER_FULFILLMENT_ORDERS_QUERY, type OrderFulfillmentOrdersResult,
} from "../shopify/graphql/order-fulfillment-orders-query";

// Makes Shopify's fulfillment orders for one order match our routing decision: read the order's FOs,
// plan with the pure planner, run the plan's mutations in order. It re-reads Shopify every run, so a
// run cut short (crash, retry) simply plans the rest, and a run on a matching order sends no mutation.
// userErrors throw: a plain Error (the job retries and re-plans on fresh state) or, when retrying can
// never help (unknown location, item not stocked there, someone else's hold), a TerminalJobError.

export type GraphqlFn = <T>(shopDomain: string, query: string, variables: Record<string, unknown>) => Promise<T>;

/** A planned operation as run: the FO it ran on, and the FO it created (partial move, split, hold with lines). */
export type AppliedOperation = FulfillmentOrderOperation & { fulfillmentOrderId: string; createdFulfillmentOrderId?: string };

export interface ApplyRoutingResult {
  applied: AppliedOperation[];
  skipped: SkippedChange[];
}

const gid = (type: string, legacyId: string) => `gid://shopify/${type}/${legacyId}`;

/** Applies a routing decision (locations as legacy ids, `null` = backordered) to the order's fulfillment orders in Shopify. */
export async function applyRoutingToShopify(
  shopDomain: string, orderExternalId: string, desired: DesiredPlacement[], opts: { graphql?: GraphqlFn } = {},
): Promise<ApplyRoutingResult> {
  const graphql = opts.graphql ?? adminGraphql;
  requireLegacyId(orderExternalId, "order");
  for (const p of desired) {
    if (p.locationId !== null) requireLegacyId(p.locationId, "location");
    for (const l of p.lines) requireLegacyId(l.lineItemId, "line item");
  }
  const current = await readFulfillmentOrders(graphql, shopDomain, orderExternalId);
  let plan: FulfillmentOrderPlan;
  try {
    plan = planFulfillmentOrderChanges(current, desired);
  } catch (error) {
    if (error instanceof RangeError) throw new TerminalJobError(`Invalid placement for order ${orderExternalId}: ${error.message}`);
    throw error;
  }
  const applied = await executeFulfillmentOrderOperations(graphql, shopDomain, current, plan.operations);
  return { applied, skipped: plan.skipped };
}

function requireLegacyId(value: string, what: string): void {
  if (!/^\d+$/.test(value)) throw new TerminalJobError(`Not a Shopify ${what} id: ${JSON.stringify(value)}`);
}

/** The order's FOs as the planner sees them: legacy location and line item ids, FO and FO-line gids. */
export async function readFulfillmentOrders(graphql: GraphqlFn, shopDomain: string, orderExternalId: string): Promise<CurrentFulfillmentOrder[]> {
  const nodes: FulfillmentOrderNode[] = [];
  let after: string | null = null;
  do {
    const page: OrderFulfillmentOrdersResult = await graphql(shopDomain, ORDER_FULFILLMENT_ORDERS_QUERY, {
      id: gid("Order", orderExternalId), first: FULFILLMENT_ORDERS_PAGE, after,
    });
    if (!page.order) throw new TerminalJobError(`Shopify has no order ${orderExternalId} in ${shopDomain}`);
    nodes.push(...page.order.fulfillmentOrders.nodes);
    after = page.order.fulfillmentOrders.pageInfo.hasNextPage ? page.order.fulfillmentOrders.pageInfo.endCursor : null;
  } while (after);
  const out: CurrentFulfillmentOrder[] = [];
  for (const node of nodes) out.push(toDomain(node, await moreLines(graphql, shopDomain, node)));
  return out;
}

/** Lines past the first page of an FO (an FO with more lines than the order query reads). */
async function moreLines(graphql: GraphqlFn, shopDomain: string, node: FulfillmentOrderNode): Promise<FulfillmentOrderLineNode[]> {
  const lines: FulfillmentOrderLineNode[] = [];
  let after = node.lineItems.pageInfo.hasNextPage ? node.lineItems.pageInfo.endCursor : null;
  while (after) {
    const page: FulfillmentOrderLineItemsResult = await graphql(shopDomain, FULFILLMENT_ORDER_LINE_ITEMS_QUERY, { id: node.id, first: 250, after });
    if (!page.fulfillmentOrder) throw new Error(`Fulfillment order ${node.id} vanished while reading its lines`);
    lines.push(...page.fulfillmentOrder.lineItems.nodes);
    after = page.fulfillmentOrder.lineItems.pageInfo.hasNextPage ? page.fulfillmentOrder.lineItems.pageInfo.endCursor : null;
  }
  return lines;
}

function toDomain(node: FulfillmentOrderNode, extraLines: FulfillmentOrderLineNode[] = []): CurrentFulfillmentOrder {
  return {
    id: node.id,
    status: node.status,
    locationId: legacyIdFromGid(node.assignedLocation.location?.id) ?? "",
    lineItems: [...node.lineItems.nodes, ...extraLines].map((l) => ({ id: l.id, lineItemId: legacyIdFromGid(l.lineItem.id)!, remainingQuantity: l.remainingQuantity })),
    holds: node.fulfillmentHolds.map((h) => ({ handle: h.handle, reason: h.reason })),
  };
}

/**
 * Runs planned operations in order. FOs are tracked by their plan reference (a current FO's id, or a
 * handle an earlier operation declared), refreshed from every mutation's payload, so later steps name
 * the right FO and FO line items even where earlier steps created them.
 */
export async function executeFulfillmentOrderOperations(
  graphql: GraphqlFn, shopDomain: string, current: CurrentFulfillmentOrder[], operations: FulfillmentOrderOperation[],
): Promise<AppliedOperation[]> {
  const known = new Map<FoRef, CurrentFulfillmentOrder>(current.map((fo) => [fo.id, fo]));
  const resolve = (ref: FoRef) => {
    const fo = known.get(ref);
    if (!fo) throw new Error(`The plan names fulfillment order ${ref}, which no earlier step created`);
    return fo;
  };
  const remember = (ref: FoRef | undefined, node: FulfillmentOrderNode | null | undefined) => {
    if (ref === undefined || !node) return undefined;
    const fresh = toDomain(node);
    const previous = known.get(ref);
    // A payload lists up to 40 lines; keep what an earlier read knew beyond that.
    if (node.lineItems.pageInfo.hasNextPage && previous?.id === fresh.id) {
      fresh.lineItems.push(...previous.lineItems.filter((l) => !fresh.lineItems.some((f) => f.id === l.id)));
    }
    known.set(ref, fresh);
    return fresh.id;
  };

  const applied: AppliedOperation[] = [];
  const released = new Set<string>();
  for (const op of operations) {
    const fo = resolve(op.fulfillmentOrder);
    try {
      applied.push(await runOne(op, fo));
      if (op.kind === "releaseHold") released.add(fo.id);
    } catch (error) {
      // A backorder released for a move that then failed must not sit OPEN where there is no stock.
      if (op.kind !== "releaseHold" && released.has(fo.id)) await reholdQuietly(graphql, shopDomain, known.get(op.fulfillmentOrder)!.id);
      throw error;
    }
  }
  return applied;

  async function runOne(op: FulfillmentOrderOperation, fo: CurrentFulfillmentOrder): Promise<AppliedOperation> {
    const fail = (errors: FoUserError[] | undefined) => failOnUserErrors(op.kind, fo.id, errors);
    let created: string | undefined;
    switch (op.kind) {
      case "releaseHold": {
        const r = (await graphql<FulfillmentOrderReleaseHoldResult>(shopDomain, FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION, { id: fo.id })).fulfillmentOrderReleaseHold;
        fail(r?.userErrors);
        remember(op.fulfillmentOrder, r!.fulfillmentOrder);
        break;
      }
      case "move": {
        const r = (await graphql<FulfillmentOrderMoveResult>(shopDomain, FULFILLMENT_ORDER_MOVE_MUTATION, {
          id: fo.id, newLocationId: gid("Location", op.newLocationId), fulfillmentOrderLineItems: op.lineItems ? lineInputs(fo, op.lineItems) : null,
        })).fulfillmentOrderMove;
        fail(r?.userErrors);
        remember(op.fulfillmentOrder, r!.originalFulfillmentOrder ?? r!.movedFulfillmentOrder);
        created = remember(op.movedAs, r!.movedFulfillmentOrder);
        break;
      }
      case "split": {
        const r = (await graphql<FulfillmentOrderSplitResult>(shopDomain, FULFILLMENT_ORDER_SPLIT_MUTATION, {
          fulfillmentOrderSplits: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: lineInputs(fo, op.lineItems) }],
        })).fulfillmentOrderSplit;
        fail(r?.userErrors);
        const [result] = r!.fulfillmentOrderSplits ?? [];
        remember(op.fulfillmentOrder, result?.fulfillmentOrder);
        created = remember(op.splitAs, result?.remainingFulfillmentOrder);
        break;
      }
      case "hold": {
        const r = (await graphql<FulfillmentOrderHoldResult>(shopDomain, FULFILLMENT_ORDER_HOLD_MUTATION, {
          id: fo.id,
          fulfillmentHold: {
            reason: op.reason, reasonNotes: op.notes, handle: op.handle, notifyMerchant: false,
            ...(op.lineItems ? { fulfillmentOrderLineItems: lineInputs(fo, op.lineItems) } : {}),
          },
        })).fulfillmentOrderHold;
        fail(r?.userErrors);
        remember(op.fulfillmentOrder, r!.fulfillmentOrder);
        created = remember(op.remainingAs, r!.remainingFulfillmentOrder);
        break;
      }
    }
    return { ...op, fulfillmentOrderId: fo.id, ...(created ? { createdFulfillmentOrderId: created } : {}) };
  }
}

/** Best effort: puts an FO back on backorder hold; a failure here leaves the original error to report. */
async function reholdQuietly(graphql: GraphqlFn, shopDomain: string, foId: string): Promise<void> {
  await graphql(shopDomain, FULFILLMENT_ORDER_HOLD_MUTATION, {
    id: foId, fulfillmentHold: { reason: BACKORDER_HOLD_REASON, reasonNotes: BACKORDER_HOLD_NOTES, handle: BACKORDER_HOLD_HANDLE, notifyMerchant: false },
  }).catch(() => undefined);
}

/** Plan lines (by order line item) → FulfillmentOrderLineItemInput (by FO line item gid). */
function lineInputs(fo: CurrentFulfillmentOrder, lines: OperationLine[]): Array<{ id: string; quantity: number }> {
  return lines.map(({ lineItemId, quantity }) => {
    const line = fo.lineItems.find((l) => l.lineItemId === lineItemId);
    if (!line) throw new Error(`Fulfillment order ${fo.id} has no line for line item ${lineItemId} (changed meanwhile?)`);
    return { id: line.id, quantity };
  });
}

const TERMINAL_CODES = new Set(["FULFILLMENT_ORDER_HOLD_LIMIT_REACHED", "INVALID_ACCESS"]);

/** Throws on userErrors (or no payload): terminal when retrying cannot help, else a plain Error. */
function failOnUserErrors(kind: FulfillmentOrderOperation["kind"], foId: string, errors: FoUserError[] | undefined): void {
  if (errors === undefined) throw new Error(`${kind} of ${foId}: Shopify returned no payload`);
  if (errors.length === 0) return;
  const message = `${kind} of ${foId} failed: ${errors.map((e) => (e.field ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ")}`;
  const terminal = errors.some((e) =>
    (e.code && TERMINAL_CODES.has(e.code)) ||
    // Unknown or inactive location, item not stocked there: the decision itself must change.
    (kind === "move" && e.field?.at(-1) === "newLocationId" && !/already assigned|same location/i.test(e.message)));
  throw terminal ? new TerminalJobError(message) : new Error(message);
}

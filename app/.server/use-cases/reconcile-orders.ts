import type { ChannelOrder } from "~/domain/orders/channel-order";
import { mapGraphqlOrder } from "~/domain/orders/map-graphql-order";
import { legacyIdFromGid } from "~/domain/shared/safe-json";
import { shopifyChannel } from "../channels/shopify/shopify-channel";
import type { IntakeChannel } from "../channels/intake-channel";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { findShopByDomain } from "../db/shops";
import { clearSyncState, getSyncState, setSyncState } from "../db/sync-state";
import { AppError } from "../errors";
import { adminGraphql } from "../shopify/admin-graphql";
import {
  DEFAULT_LINES_PAGE, DEFAULT_ORDERS_PAGE, ORDERS_UPDATED_SINCE_QUERY, SINGLE_QUERY_MAX_COST, ordersUpdatedSinceCost,
  type GraphqlOrderNode, type OrdersUpdatedSinceResult, type OrdersUpdatedSinceVariables,
} from "../shopify/graphql/orders-updated-since-query";
import { ingestChannelOrder, type IngestOutcome } from "./ingest-channel-order";

// Webhooks are at-least-once and some never arrive: this poll re-reads every order Shopify changed
// since the watermark and hands each to ingestion (which drops anything older than what we hold).
// The watermark (SyncState "orders.updated_at") is the newest updatedAt seen; each run starts
// `overlapSeconds` before it, because Shopify's updated_at ordering and our clock can disagree.
// A run cut short by maxPages leaves "orders.updated_at.resume" so the next run continues from
// there without the overlap (else more than a page budget of changes inside the overlap would stall it).

export const WATERMARK_KEY = "orders.updated_at";
export const RESUME_KEY = "orders.updated_at.resume";
const FIRST_RUN_LOOKBACK_MS = 24 * 3600_000;
/** The most lines one `id:` re-read can ask for and stay under Shopify's single-query cost limit. */
const LINES_PER_ORDER_READ = Math.floor((SINGLE_QUERY_MAX_COST - ordersUpdatedSinceCost(1, 0)) / 4);

export type IngestFn = (channel: IntakeChannel, order: ChannelOrder, opts?: { actor?: string }) => Promise<IngestOutcome>;
export type GraphqlFn = <T>(shopDomain: string, query: string, variables: Record<string, unknown>) => Promise<T>;

export interface ReconcileOptions {
  now?: Date;
  /** Re-read this far before the watermark. Default 300. */
  overlapSeconds?: number;
  /** Pages read per run before stopping (the next run resumes). Default 50. */
  maxPages?: number;
  /** Orders per page. Default 20 (with 10 lines each: cost 962 of 1000). */
  pageSize?: number;
  /** Lines read with each order; more are fetched per order. Default 10. */
  linesPerOrder?: number;
  /** The schedule's period this run belongs to (recorded on its audit row). */
  period?: string;
  /** Tests inject these; production uses ingestChannelOrder and adminGraphql. */
  ingest?: IngestFn;
  graphql?: GraphqlFn;
}

export interface ReconcileResult {
  seen: number;
  /** Created, updated or cancelled by this run. */
  ingested: number;
  /** Already held at this updatedAt or newer. */
  stale: number;
  /** Orders Shopify returned that could not be mapped (skipped, as a malformed webhook would be). */
  invalid: Array<{ id: string; error: string }>;
  /** The watermark after the run (UTC ISO). */
  watermark: string;
  /** False when maxPages stopped the run before the last page. */
  complete: boolean;
}

/** Pull every order Shopify changed since our watermark and ingest it; advance the watermark. */
export async function reconcileOrders(shopDomain: string, opts: ReconcileOptions = {}): Promise<ReconcileResult> {
  const shop = await findShopByDomain(database(), shopDomain);
  if (!shop || shop.status !== "installed") throw new AppError("not_found", "SHOP.NOT_INSTALLED", `${shopDomain} is not installed`);
  const channel = await shopifyChannel(shopDomain);
  const ingest = opts.ingest ?? ingestChannelOrder;
  const graphql = opts.graphql ?? adminGraphql;
  const pageSize = opts.pageSize ?? DEFAULT_ORDERS_PAGE;
  const linesPerOrder = opts.linesPerOrder ?? DEFAULT_LINES_PAGE;
  const cost = ordersUpdatedSinceCost(pageSize, linesPerOrder);
  if (cost > SINGLE_QUERY_MAX_COST) throw new RangeError(`A page of ${pageSize} orders × ${linesPerOrder} lines costs ${cost} > ${SINGLE_QUERY_MAX_COST}`);

  const now = opts.now ?? new Date();
  const stored = await getSyncState(database(), shop.id, WATERMARK_KEY);
  const resume = await getSyncState(database(), shop.id, RESUME_KEY);
  let watermark = stored ?? new Date(now.getTime() - FIRST_RUN_LOOKBACK_MS).toISOString();
  const query = resume
    ? `updated_at:>='${searchTime(Date.parse(resume))}'`
    : `updated_at:>'${searchTime(Date.parse(watermark) - (opts.overlapSeconds ?? 300) * 1000)}'`;

  const result: ReconcileResult = { seen: 0, ingested: 0, stale: 0, invalid: [], watermark, complete: false };
  let maxSeen: number | null = null;
  let after: string | null = null;
  for (let page = 0; page < (opts.maxPages ?? 50); page += 1) {
    const variables: OrdersUpdatedSinceVariables = { first: pageSize, after, query, lineItemsFirst: linesPerOrder, lineItemsAfter: null };
    const { orders } = await graphql<OrdersUpdatedSinceResult>(shopDomain, ORDERS_UPDATED_SINCE_QUERY, { ...variables });
    for (const partial of orders.nodes) {
      result.seen += 1;
      const updatedAt = Date.parse(partial.updatedAt);
      if (!Number.isNaN(updatedAt)) maxSeen = Math.max(maxSeen ?? updatedAt, updatedAt);
      const node = await withAllLines(graphql, shopDomain, partial);
      const mapped = node ? mapGraphqlOrder(node) : null;
      if (!mapped) continue; // deleted between the page and its line re-read
      if (!mapped.ok) {
        result.invalid.push({ id: legacyIdFromGid(partial.id) ?? String(partial.id), error: mapped.error });
        continue;
      }
      const outcome = await ingest(channel, mapped.order, { actor: "job:reconcile-orders" }); // audit shows what webhooks missed
      if (outcome.kind === "stale") result.stale += 1;
      else result.ingested += 1;
    }
    // Pages come oldest change first, so everything up to maxSeen is in: keep progress if a later page fails.
    if (maxSeen !== null && maxSeen > Date.parse(watermark)) {
      watermark = new Date(maxSeen).toISOString();
      await setSyncState(database(), shop.id, WATERMARK_KEY, watermark);
    }
    after = orders.pageInfo.hasNextPage ? orders.pageInfo.endCursor : null;
    if (!after) {
      result.complete = true;
      break;
    }
  }

  if (result.complete) {
    if (resume) await clearSyncState(database(), shop.id, RESUME_KEY);
    if (!stored) await setSyncState(database(), shop.id, WATERMARK_KEY, watermark); // first run: remember where we looked from
  } else {
    await setSyncState(database(), shop.id, RESUME_KEY, new Date(maxSeen ?? Date.parse(resume ?? watermark)).toISOString());
  }
  result.watermark = watermark;
  // One audit row per run: what the poll caught (operators see what webhooks missed; the multi-process test counts runs per period).
  await audit(database(), shop.id, "job:reconcile-orders", "orders.reconciled", null, { period: opts.period ?? null, seen: result.seen, ingested: result.ingested, stale: result.stale, invalid: result.invalid.length, complete: result.complete });
  return result;
}

/** Completes an order whose lines did not fit its page, re-reading it by id (restarting if it changed meanwhile). */
async function withAllLines(graphql: GraphqlFn, shopDomain: string, node: GraphqlOrderNode): Promise<GraphqlOrderNode | null> {
  let whole = node;
  for (let reads = 0; whole.lineItems.pageInfo.hasNextPage; reads += 1) {
    if (reads >= 20) throw new Error(`Order ${node.id} kept changing while its lines were read`);
    const variables: OrdersUpdatedSinceVariables = {
      first: 1, after: null, query: `id:${legacyIdFromGid(node.id)}`,
      lineItemsFirst: LINES_PER_ORDER_READ, lineItemsAfter: whole.lineItems.pageInfo.endCursor,
    };
    const { orders } = await graphql<OrdersUpdatedSinceResult>(shopDomain, ORDERS_UPDATED_SINCE_QUERY, { ...variables });
    const next = orders.nodes[0];
    if (!next) return null;
    whole = next.updatedAt === whole.updatedAt
      ? { ...whole, lineItems: { nodes: [...whole.lineItems.nodes, ...next.lineItems.nodes], pageInfo: next.lineItems.pageInfo } }
      : { ...next, lineItems: { nodes: [], pageInfo: { hasNextPage: true, endCursor: null } } }; // changed: read its lines afresh
  }
  return whole;
}

/** Shopify search wants seconds; flooring only widens the window. */
function searchTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

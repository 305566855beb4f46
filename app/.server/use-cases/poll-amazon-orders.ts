import { mapAmazonV0Order } from "~/domain/channels/amazon-orders";
import { spApiClient, type SpApiClient } from "../channels/amazon/sp-api-client";
import { intakeChannel } from "../channels/intake-channel";
import { amazonConnection } from "../db/amazon-sql";
import { database } from "../db/database";
import { findOrder } from "../db/pipeline-sql";
import { getSyncState, setSyncState } from "../db/sync-state";
import { audit } from "../db/audit";
import { ingestAmazonOrder } from "./ingest-amazon-order";

// Amazon orders in (ADR 0015): per connected Amazon channel, getOrders by LastUpdatedAfter from a saved watermark
// (overlapping the last read by a few minutes: a re-read order is stale and changes nothing), every page by
// NextToken, each order's items, then the one ingestion path. MFN orders are routed and reserved like any order;
// AFN (FBA) orders are recorded and never routed; Canceled cancels ours; units Amazon reports shipped become a
// fulfillment of ours, once. 429s are waited out by the client at the operation's rate; a call that still fails
// stops the poll before the watermark moves, so its orders are read again next time. An order Amazon lists that
// cannot be mapped is recorded with the reason and the rest go on.

/** Re-read this much before the watermark: an order updated just before the last read may be listed late. */
const OVERLAP_MS = 5 * 60_000;
/** A channel's first poll reads this far back (its open orders). */
const FIRST_POLL_LOOKBACK_MS = 3 * 24 * 3_600_000;

export interface AmazonOrderPoll {
  channelId: string;
  read: number;
  created: number;
  updated: number;
  fulfilledByAmazon: number;
  cancelled: number;
  shipped: number;
  /** Orders Amazon listed that could not be taken in, with why (also in the audit log). */
  rejected: { amazonOrderId: string; error: string }[];
  watermark: string;
}

const watermarkKey = (channelId: string) => `amazon-orders:${channelId}`;

interface V0Page {
  payload?: { Orders?: Record<string, unknown>[]; NextToken?: string };
}

export async function pollAmazonOrders(shopId: string, channelId: string, opts: { now?: Date; client?: SpApiClient; sleep?: (ms: number) => Promise<void> } = {}): Promise<AmazonOrderPoll | null> {
  const db = database();
  const now = opts.now ?? new Date();
  const connection = await amazonConnection(db, shopId, channelId);
  if (!connection) return null;
  const channel = await intakeChannel(db, shopId, channelId);
  const client = opts.client ?? spApiClient({ key: channelId, sellerId: connection.sellerId, marketplaceId: connection.marketplaceId, refreshToken: connection.refreshToken });
  const saved = await getSyncState(db, shopId, watermarkKey(channelId));
  const from = saved ? new Date(Date.parse(saved) - OVERLAP_MS) : new Date(now.getTime() - FIRST_POLL_LOOKBACK_MS);
  const result: AmazonOrderPoll = { channelId, read: 0, created: 0, updated: 0, fulfilledByAmazon: 0, cancelled: 0, shipped: 0, rejected: [], watermark: saved ?? from.toISOString() };
  let latest = saved ? Date.parse(saved) : from.getTime();
  let nextToken: string | undefined;
  do {
    const query: Record<string, string> = nextToken
      ? { MarketplaceIds: connection.marketplaceId, NextToken: nextToken }
      : { MarketplaceIds: connection.marketplaceId, LastUpdatedAfter: from.toISOString().replace(/\.\d{3}Z$/, "Z"), MaxResultsPerPage: "100" };
    const page = await client.call<V0Page>("getOrders", "GET", "/orders/v0/orders", { query, sleep: opts.sleep });
    for (const raw of page.payload?.Orders ?? []) {
      const orderId = String(raw.AmazonOrderId);
      // Re-read by the overlap and not changed since: no need for its items (getOrderItems is the scarce quota).
      const known = await findOrder(db, shopId, channelId, orderId);
      if (known?.externalUpdatedAt && typeof raw.LastUpdateDate === "string" && Date.parse(raw.LastUpdateDate) <= Date.parse(known.externalUpdatedAt)) {
        result.read += 1;
        continue;
      }
      const items = await orderItems(client, orderId, opts.sleep);
      const mapping = mapAmazonV0Order(raw, items);
      result.read += 1;
      if (!mapping.ok) {
        // Amazon sent what we cannot take in: recorded with the reason (one bad order must not hold back the rest).
        await database().transaction((tx) => audit(tx, shopId, "poll:amazon-orders", "order.rejected", { type: "channel", id: channelId }, { amazonOrderId: orderId, error: mapping.error }));
        result.rejected.push({ amazonOrderId: orderId, error: mapping.error });
        continue;
      }
      const { outcome, shipped } = await ingestAmazonOrder(channel, mapping.mapped, "poll:amazon-orders");
      if (outcome.kind === "created") result.created += 1;
      else if (outcome.kind === "updated") result.updated += 1;
      else if (outcome.kind === "cancelled") result.cancelled += 1;
      if (mapping.mapped.fulfilledByAmazon) result.fulfilledByAmazon += 1;
      else if (shipped) result.shipped += 1;
      latest = Math.max(latest, Date.parse(mapping.mapped.order.updatedAt));
    }
    nextToken = page.payload?.NextToken;
  } while (nextToken);
  result.watermark = new Date(latest).toISOString();
  await setSyncState(db, shopId, watermarkKey(channelId), result.watermark);
  return result;
}

async function orderItems(client: SpApiClient, orderId: string, sleep?: (ms: number) => Promise<void>): Promise<unknown[]> {
  const items: unknown[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.call<{ payload?: { OrderItems?: unknown[]; NextToken?: string } }>("getOrderItems", "GET", `/orders/v0/orders/${encodeURIComponent(orderId)}/orderItems`, { query: nextToken ? { NextToken: nextToken } : {}, sleep });
    items.push(...(page.payload?.OrderItems ?? []));
    nextToken = page.payload?.NextToken;
  } while (nextToken);
  return items;
}

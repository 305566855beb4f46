import { feedOutcomes, listingsFeedDocument, listingsPatchBody, patchOutcome, pushMode, type ProcessingReport, type QuantityUpdate } from "~/domain/channels/amazon-listings";
import {
  amazonConnection, amazonListings, forgetAmazonListings, saveAmazonListing, saveSubmittedFeed, settleFeed, submittedFeeds, type FeedMessage,
} from "../db/amazon-sql";
import { deferDirty, dueDirty, holdLevels, markPushed, markPushFailed, type DirtyRow, type HoldLevelRow } from "../db/channel-sync-sql";
import { variantSkus } from "../db/channel-stock-sql";
import { database } from "../db/database";
import { fromSqlTime, sqlTime } from "../db/ids";
import { channelById, type ChannelRow } from "../db/shops";
import { SpApiError, spApiClient, type SpApiClient } from "../channels/amazon/sp-api-client";
import { channelFiguresOf } from "./read-channel-stock";
import { watchChannelBuffers } from "./watch-channel-buffers";

// The Amazon channel's pusher (ADR 0011): each dirty SKU's latest available to sell set as the listing's
// seller-fulfilled quantity. A few SKUs go as Listings Items PATCHes (visible in about a second); many go as one
// JSON_LISTINGS_FEED whose processing report settles each SKU, accepted or with Amazon's reason. Marks stay
// durable throughout: a SKU in a feed is deferred, not cleared, until the report says it was taken.

/** Due SKUs read per pass; one feed carries at most this many. */
const FEED_BATCH = 2_000;
/** Product types looked up per pass (getListingsItem: 5 per second); the rest wait for the next pass. */
const LOOKUPS_PER_PASS = 25;
/** A listing found missing is looked up again after this long. */
const NOT_LISTED_RECHECK_MS = 6 * 3_600_000;
/** A feed that has not finished after this long is given up on: its SKUs become due again. */
const FEED_GIVE_UP_MS = 30 * 60_000;

export interface AmazonPushOutcome {
  patched: number;
  fed: number;
  feedsSubmitted: number;
  feedsInFlight: number;
  pushed: number;
  failed: number;
  /** Dirty SKUs still waiting for a product type lookup: the job should come back soon. */
  waiting: number;
}

const backoffMs = (attempts: number) => Math.min(3_600_000, 5_000 * 2 ** Math.min(attempts, 10));

export async function pushAmazonStock(shopId: string, channelId: string, opts: { now?: () => Date; client?: SpApiClient } = {}): Promise<AmazonPushOutcome> {
  const now = opts.now ?? (() => new Date());
  const db = database();
  const outcome: AmazonPushOutcome = { patched: 0, fed: 0, feedsSubmitted: 0, feedsInFlight: 0, pushed: 0, failed: 0, waiting: 0 };
  const [channel, connection] = await Promise.all([channelById(db, shopId, channelId), amazonConnection(db, shopId, channelId)]);
  if (!channel || !connection || !channel.active) return outcome;
  const client = opts.client ?? spApiClient({ key: channel.id, sellerId: connection.sellerId, marketplaceId: connection.marketplaceId, refreshToken: connection.refreshToken });
  const ctx: PushContext = { shopId, channel, client, now, outcome };

  await settleFeeds(ctx);
  const due = await dueDirty(db, shopId, channel.id, now(), FEED_BATCH);
  if (due.length === 0) return outcome;
  const { sendable, settled } = await prepare(ctx, due);
  if (settled.length > 0) {
    await db.transaction((tx) => markPushed(tx, shopId, channel.id, settled));
    outcome.pushed += settled.length;
  }
  if (sendable.length === 0) return outcome;
  if (pushMode(sendable.length) === "patch") await patchEach(ctx, sendable);
  else if (outcome.feedsInFlight === 0) await submitFeed(ctx, sendable);
  // else: one feed at a time (Amazon processes a seller's feeds in order anyway); these go in the next one.
  return outcome;
}

interface PushContext {
  shopId: string;
  channel: ChannelRow;
  client: SpApiClient;
  now: () => Date;
  outcome: AmazonPushOutcome;
}

interface Sendable extends QuantityUpdate {
  variantId: string;
  through: number;
  dirtyAt: string;
}

/**
 * The due SKUs' figures; those whose figure Amazon already has are settled without a call, those not listed on
 * Amazon wait with the reason, those whose product type is not known yet are looked up (a few per pass).
 */
async function prepare(ctx: PushContext, due: DirtyRow[]): Promise<{ sendable: Sendable[]; settled: { variantId: string; quantity: number; through: number; lagMs: null }[] }> {
  const db = database();
  const ids = due.map((d) => d.variantId);
  const [levels, skus] = await Promise.all([holdLevels(db, ctx.shopId, ids), variantSkus(db, ctx.shopId, ids)]);
  const byVariant = new Map<string, HoldLevelRow[]>();
  for (const l of levels) byVariant.set(l.variantId, [...(byVariant.get(l.variantId) ?? []), l]);
  const figures = await channelFiguresOf(ctx.shopId, ctx.channel, ids.map((id) => ({ id, sku: skus.get(id) ?? "", levels: byVariant.get(id) ?? [] })), ctx.now());
  await watchChannelBuffers(ctx.shopId, ctx.channel, figures, skus, ctx.now()); // "stock under a channel's buffer" (ADR 0037)
  const listings = await amazonListings(db, ctx.shopId, ctx.channel.id, [...new Set(skus.values())]);
  const sendable: Sendable[] = [];
  const settled: { variantId: string; quantity: number; through: number; lagMs: null }[] = [];
  const notListed: DirtyRow[] = [];
  let lookups = 0;
  for (const d of due) {
    const sku = skus.get(d.variantId);
    const quantity = figures.get(d.variantId)?.ats ?? 0;
    if (!sku) continue;
    if (d.pushedQuantity === quantity && d.attempts === 0) {
      settled.push({ variantId: d.variantId, quantity, through: d.markedThrough, lagMs: null });
      continue;
    }
    let listing = listings.get(sku);
    const recheck = listing && listing.productType === null && Date.parse(listing.checkedAt) + NOT_LISTED_RECHECK_MS <= ctx.now().getTime();
    if (!listing || recheck) {
      if (lookups >= LOOKUPS_PER_PASS) {
        ctx.outcome.waiting += 1;
        continue;
      }
      lookups += 1;
      const productType = await lookUpProductType(ctx, sku);
      await db.transaction((tx) => saveAmazonListing(tx, ctx.shopId, ctx.channel.id, sku, productType, sqlTime(ctx.now())));
      listing = { sku, productType, checkedAt: sqlTime(ctx.now()) };
    }
    if (listing.productType === null) notListed.push(d);
    else sendable.push({ variantId: d.variantId, sku, productType: listing.productType, quantity, through: d.markedThrough, dirtyAt: d.dirtyAt });
  }
  if (notListed.length > 0) {
    const retryAt = new Date(ctx.now().getTime() + NOT_LISTED_RECHECK_MS);
    await db.transaction(async (tx) => {
      for (const d of notListed) await markPushFailed(tx, ctx.shopId, ctx.channel.id, [d.variantId], `not listed on Amazon (marketplace ${ctx.client.credentials.marketplaceId}): list the SKU in Seller Central, or take it off this channel`, retryAt);
    });
    ctx.outcome.failed += notListed.length;
  }
  return { sendable, settled };
}

/** The listing's product type (every patch and feed message must name it), or null when the SKU is not listed. */
async function lookUpProductType(ctx: PushContext, sku: string): Promise<string | null> {
  const { sellerId, marketplaceId } = ctx.client.credentials;
  try {
    const item = await ctx.client.call<{ summaries?: { marketplaceId: string; productType?: string }[] }>(
      "getListingsItem", "GET", `/listings/2021-08-01/items/${encodeURIComponent(sellerId)}/${encodeURIComponent(sku)}`,
      { query: { marketplaceIds: marketplaceId, includedData: "summaries" } },
    );
    return item.summaries?.find((s) => s.marketplaceId === marketplaceId)?.productType ?? item.summaries?.[0]?.productType ?? null;
  } catch (error) {
    if (error instanceof SpApiError && error.status === 404) return null;
    throw error;
  }
}

/** Small batches: one PATCH per SKU; the figure is taken when Amazon answers ACCEPTED. */
async function patchEach(ctx: PushContext, updates: Sendable[]): Promise<void> {
  const db = database();
  const { sellerId, marketplaceId } = ctx.client.credentials;
  for (const u of updates) {
    let answer: { status?: string; issues?: { code?: string; message?: string; severity?: string }[] };
    try {
      answer = await ctx.client.call("patchListingsItem", "PATCH", `/listings/2021-08-01/items/${encodeURIComponent(sellerId)}/${encodeURIComponent(u.sku)}`, {
        query: { marketplaceIds: marketplaceId, includedData: "issues" },
        body: listingsPatchBody(u),
      });
    } catch (error) {
      // Not taken (throttled past our waits, 5xx, timeout, refused): kept dirty with the reason and retried later.
      await db.transaction((tx) => markPushFailed(tx, ctx.shopId, ctx.channel.id, [u.variantId], (error as Error).message, new Date(ctx.now().getTime() + backoffMs(0))));
      ctx.outcome.failed += 1;
      if (error instanceof SpApiError && error.status >= 400 && error.status < 500 && error.status !== 429) continue; // this SKU's problem only
      throw error; // Amazon is not answering: the job retries
    }
    const result = patchOutcome(answer);
    const at = ctx.now();
    if (result.ok) {
      await db.transaction((tx) => markPushed(tx, ctx.shopId, ctx.channel.id, [{ variantId: u.variantId, quantity: u.quantity, through: u.through, lagMs: lagOf(u.dirtyAt, at) }], sqlTime(at)));
      ctx.outcome.patched += 1;
      ctx.outcome.pushed += 1;
    } else {
      await db.transaction(async (tx) => {
        await markPushFailed(tx, ctx.shopId, ctx.channel.id, [u.variantId], result.error, new Date(at.getTime() + backoffMs(1)));
        await forgetAmazonListings(tx, ctx.shopId, ctx.channel.id, [u.sku]);
      });
      ctx.outcome.failed += 1;
    }
  }
}

const lagOf = (dirtyAt: string, at: Date) => at.getTime() - (fromSqlTime(dirtyAt)?.getTime() ?? at.getTime());

/** Large batches: one JSON_LISTINGS_FEED; its SKUs are deferred until the processing report settles them. */
async function submitFeed(ctx: PushContext, updates: Sendable[]): Promise<void> {
  const db = database();
  const { sellerId, marketplaceId } = ctx.client.credentials;
  const document = listingsFeedDocument(sellerId, updates);
  const contentType = "application/json; charset=UTF-8";
  let feedId: string;
  try {
    const created = await ctx.client.call<{ feedDocumentId: string; url: string }>("createFeedDocument", "POST", "/feeds/2021-06-30/documents", { body: { contentType }, throttleRetries: 2 });
    await ctx.client.upload(created.url, contentType, JSON.stringify(document));
    // createFeed's quota is a burst of 15, then one every two minutes: a 429 is not waited out here, the SKUs
    // simply stay due and go in the next pass's feed.
    feedId = (await ctx.client.call<{ feedId: string }>("createFeed", "POST", "/feeds/2021-06-30/feeds", {
      body: { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [marketplaceId], inputFeedDocumentId: created.feedDocumentId },
      throttleRetries: 0,
    })).feedId;
  } catch (error) {
    const throttled = error instanceof SpApiError && error.status === 429;
    await db.transaction((tx) => markPushFailed(tx, ctx.shopId, ctx.channel.id, updates.map((u) => u.variantId), (error as Error).message, new Date(ctx.now().getTime() + (throttled ? 30_000 : backoffMs(0)))));
    ctx.outcome.failed += updates.length;
    if (throttled) return;
    throw error;
  }
  const messages: FeedMessage[] = document.messages.map((m, i) => ({ messageId: m.messageId, variantId: updates[i].variantId, sku: m.sku, quantity: updates[i].quantity, through: updates[i].through, dirtyAt: updates[i].dirtyAt }));
  const at = ctx.now();
  await db.transaction(async (tx) => {
    await saveSubmittedFeed(tx, ctx.shopId, ctx.channel.id, feedId, messages, sqlTime(at));
    await deferDirty(tx, ctx.shopId, ctx.channel.id, updates.map((u) => u.variantId), new Date(at.getTime() + FEED_GIVE_UP_MS));
  });
  ctx.outcome.feedsSubmitted += 1;
  ctx.outcome.fed += updates.length;
  ctx.outcome.feedsInFlight += 1;
}

interface FeedView {
  processingStatus: string;
  resultFeedDocumentId?: string;
  processingEndTime?: string;
}

/** Feeds in flight: those finished are read (their processing report) and each SKU settled; the rest counted. */
async function settleFeeds(ctx: PushContext): Promise<void> {
  const db = database();
  for (const feed of await submittedFeeds(db, ctx.shopId, ctx.channel.id)) {
    const view = await ctx.client.call<FeedView>("getFeed", "GET", `/feeds/2021-06-30/feeds/${encodeURIComponent(feed.feedId)}`, { throttleRetries: 2 });
    if (view.processingStatus === "IN_QUEUE" || view.processingStatus === "IN_PROGRESS") {
      if (Date.parse(feed.submittedAt) + FEED_GIVE_UP_MS > ctx.now().getTime()) {
        ctx.outcome.feedsInFlight += 1;
        continue;
      }
    }
    let report: ProcessingReport | null = null;
    if (view.resultFeedDocumentId) {
      const doc = await ctx.client.call<{ url: string; compressionAlgorithm?: string }>("getFeedDocument", "GET", `/feeds/2021-06-30/documents/${encodeURIComponent(view.resultFeedDocumentId)}`, { throttleRetries: 2 });
      const text = await ctx.client.download(doc.url, doc.compressionAlgorithm);
      try {
        report = JSON.parse(text) as ProcessingReport;
      } catch {
        report = null;
      }
    }
    const status = view.processingStatus === "IN_QUEUE" || view.processingStatus === "IN_PROGRESS" ? "NOT FINISHED AFTER 30 MIN" : view.processingStatus;
    const outcomes = feedOutcomes(feed.messages.map((m) => m.messageId), status, report);
    const acceptedAt = view.processingEndTime ? new Date(view.processingEndTime) : ctx.now();
    const accepted = feed.messages.filter((m) => outcomes.get(m.messageId)?.ok);
    const refused = feed.messages.filter((m) => !outcomes.get(m.messageId)?.ok);
    await db.transaction(async (tx) => {
      await markPushed(tx, ctx.shopId, ctx.channel.id, accepted.map((m) => ({ variantId: m.variantId, quantity: m.quantity, through: m.through, lagMs: lagOf(m.dirtyAt, acceptedAt) })), sqlTime(acceptedAt));
      for (const m of refused) {
        const result = outcomes.get(m.messageId);
        await markPushFailed(tx, ctx.shopId, ctx.channel.id, [m.variantId], result && !result.ok ? `${m.sku}: ${result.error}` : "not in the processing report", new Date(ctx.now().getTime() + backoffMs(1)));
      }
      // What we knew of a refused listing may be what is wrong (Amazon re-classified its product type): look again.
      await forgetAmazonListings(tx, ctx.shopId, ctx.channel.id, refused.map((m) => m.sku));
      await settleFeed(tx, ctx.shopId, feed.id, status === "DONE" ? "done" : "fatal", status === "DONE" ? null : status, sqlTime(ctx.now()));
    });
    ctx.outcome.pushed += accepted.length;
    ctx.outcome.failed += refused.length;
  }
}

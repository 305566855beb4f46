import { afterEach, describe, expect, it } from "vitest";
import type { ProcessingReport } from "./feed-processing";
import { amazonValidators } from "./schemas";
import type { AmazonSandbox } from "./server";
import { MARKETPLACE, SELLER, spClient, startTestSandbox, type ManualClock, type SpClient } from "./test-support";

let sandbox: AmazonSandbox;
let clock: ManualClock;
let client: SpClient;
async function start(visibilityDelayMs = 0) {
  ({ sandbox, clock } = await startTestSandbox({ visibilityDelayMs, feedProcessing: { inQueueMs: 1000, inProgressMs: 4000 } }));
  client = await spClient(sandbox);
}
afterEach(() => sandbox.close());

const JSON_TYPE = "application/json; charset=UTF-8";
interface Feed { feedId: string; processingStatus: string; resultFeedDocumentId?: string; processingStartTime?: string; processingEndTime?: string }

function patchMessage(messageId: number, sku: string, quantity: number, productType = "LUGGAGE") {
  return { messageId, sku, operationType: "PATCH", productType, patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity }] }] };
}
function feedOf(messages: unknown[], report = false) {
  return { header: { sellerId: SELLER, version: "2.0", ...(report ? { report: { includedData: ["fulfillmentAvailability"], apiVersion: "2021-08-01" } } : {}) }, messages };
}

/** createFeedDocument → PUT → createFeed, as a client does; returns the feedId. */
async function submit(content: string, contentType = JSON_TYPE): Promise<string> {
  const doc = await client.call<{ feedDocumentId: string; url: string }>("POST", "/feeds/2021-06-30/documents", { contentType });
  expect(doc.status).toBe(201);
  const put = await fetch(doc.body.url, { method: "PUT", headers: { "Content-Type": contentType }, body: content });
  expect(put.status).toBe(200);
  const feed = await client.call<{ feedId: string }>("POST", "/feeds/2021-06-30/feeds", { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [MARKETPLACE], inputFeedDocumentId: doc.body.feedDocumentId });
  expect(feed.status).toBe(202);
  return feed.body.feedId;
}
async function getFeed(feedId: string): Promise<Feed> {
  const res = await client.call<Feed>("GET", `/feeds/2021-06-30/feeds/${feedId}`);
  expect(res.status).toBe(200);
  return res.body;
}
async function report(feed: Feed): Promise<ProcessingReport> {
  const doc = await client.call<{ feedDocumentId: string; url: string }>("GET", `/feeds/2021-06-30/documents/${feed.resultFeedDocumentId}`);
  expect(doc.status).toBe(200);
  const res = await fetch(doc.body.url);
  expect(res.status).toBe(200);
  const body = (await res.json()) as ProcessingReport;
  expect(amazonValidators().processingReport.issues(body)).toEqual([]);
  return body;
}

describe("Feeds API with JSON_LISTINGS_FEED", () => {
  it("moves IN_QUEUE → IN_PROGRESS → DONE by the clock, then applies quantities and reports", async () => {
    await start(20_000);
    const createdAt = clock.t;
    const feedId = await submit(JSON.stringify(feedOf([patchMessage(1, "SKU-1", 40), patchMessage(2, "SKU-2", 7)], true)));
    expect((await getFeed(feedId)).processingStatus).toBe("IN_QUEUE");
    clock.advance(1000);
    const running = await getFeed(feedId);
    expect(running.processingStatus).toBe("IN_PROGRESS");
    expect(running.processingStartTime).toBe(new Date(createdAt + 1000).toISOString().replace(".000", ""));
    expect(sandbox.acceptedQuantity("SKU-1")).toBe(5);
    clock.advance(4000);
    const done = await getFeed(feedId);
    expect(done.processingStatus).toBe("DONE");
    expect(done.resultFeedDocumentId).toBeTruthy();
    const rep = await report(done);
    expect(rep.header).toMatchObject({ sellerId: SELLER, version: "2.0", feedId });
    expect(rep.summary).toMatchObject({ errors: 0, warnings: 0, messagesProcessed: 2, messagesAccepted: 2, messagesInvalid: 0 });
    expect(rep.items?.map((i) => i.sku)).toEqual(["SKU-1", "SKU-2"]);
    // accepted at the processing end; visible visibilityDelayMs later
    expect(sandbox.acceptedQuantity("SKU-1")).toBe(40);
    expect(sandbox.visibleQuantity("SKU-1")).toBe(5);
    const entry = sandbox.visibilityLog("SKU-1").at(-1)!;
    expect(entry).toMatchObject({ quantity: 40, source: "feed", ref: feedId, acceptedAt: createdAt + 5000, visibleAt: createdAt + 25_000 });
    clock.advance(20_000);
    expect(sandbox.visibleQuantity("SKU-1")).toBe(40);
  });

  it("reports per-message errors (unknown SKU, bad value, duplicate id) and applies only the valid messages", async () => {
    await start();
    const feedId = await submit(JSON.stringify(feedOf([patchMessage(1, "SKU-1", 11), patchMessage(2, "GHOST", 3), patchMessage(3, "SKU-3", 2, "LUGGAGE"), patchMessage(1, "SKU-2", 4)])));
    clock.advance(5000);
    const rep = await report(await getFeed(feedId));
    expect(rep.summary).toMatchObject({ messagesProcessed: 4, messagesAccepted: 1, messagesInvalid: 3, errors: 3 });
    expect(rep.issues.map((i) => [i.messageId, i.sku, i.severity])).toEqual([
      [2, "GHOST", "ERROR"],
      [3, "SKU-3", "ERROR"],
      [1, "SKU-2", "ERROR"],
    ]);
    expect(rep.issues[0].message).toMatch(/does not exist/);
    expect(sandbox.visibleQuantity("SKU-1")).toBe(11);
    expect(sandbox.visibleQuantity("SKU-3")).toBe(12);
    expect(sandbox.visibleQuantity("SKU-2")).toBe(0);
  });

  it("applies PARTIAL_UPDATE and UPDATE quantities like a patch", async () => {
    await start();
    const feedId = await submit(JSON.stringify(feedOf([
      { messageId: 1, sku: "SKU-1", operationType: "PARTIAL_UPDATE", productType: "LUGGAGE", attributes: { fulfillment_availability: [{ fulfillment_channel_code: "DEFAULT", quantity: 2 }] } },
      { messageId: 2, sku: "SKU-3", operationType: "UPDATE", productType: "SHOES", attributes: { item_name: [{ value: "Boots", language_tag: "en_US" }] } },
    ])));
    clock.advance(5000);
    expect((await getFeed(feedId)).processingStatus).toBe("DONE");
    expect(sandbox.visibleQuantity("SKU-1")).toBe(2);
    expect(sandbox.visibleQuantity("SKU-3")).toBeNull(); // UPDATE replaces every attribute: no availability given
  });

  it("is FATAL for a document that is not JSON or fails the feed schema, with a report saying why", async () => {
    await start();
    const notJson = await submit("{ this is not json");
    const wrongShape = await submit(JSON.stringify({ header: { sellerId: SELLER, version: "1.0" }, messages: [{ messageId: 1, sku: "SKU-1", operationType: "PATCH" }] }));
    clock.advance(10_000);
    const fatal = await getFeed(notJson);
    expect(fatal.processingStatus).toBe("FATAL");
    expect((await report(fatal)).issues[0].message).toMatch(/not valid JSON/);
    const invalid = await getFeed(wrongShape);
    expect(invalid.processingStatus).toBe("FATAL");
    const rep = await report(invalid);
    expect(rep.summary).toMatchObject({ messagesProcessed: 0, messagesAccepted: 0 });
    expect(rep.issues.map((i) => i.message).join("\n")).toMatch(/version/);
    expect(sandbox.visibleQuantity("SKU-1")).toBe(5);
  });

  it("processes feeds one at a time, in order", async () => {
    await start();
    const first = await submit(JSON.stringify(feedOf([patchMessage(1, "SKU-1", 1)])));
    const second = await submit(JSON.stringify(feedOf([patchMessage(1, "SKU-1", 2)])));
    clock.advance(5000);
    expect((await getFeed(first)).processingStatus).toBe("DONE");
    expect((await getFeed(second)).processingStatus).toBe("IN_PROGRESS");
    clock.advance(4000);
    expect((await getFeed(second)).processingStatus).toBe("DONE");
    expect(sandbox.visibleQuantity("SKU-1")).toBe(2);
  });

  it("guards the presigned URL (content type, signature, 5-minute expiry) and createFeed's body", async () => {
    await start();
    const doc = await client.call<{ feedDocumentId: string; url: string }>("POST", "/feeds/2021-06-30/documents", { contentType: JSON_TYPE });
    expect((await fetch(doc.body.url, { method: "PUT", headers: { "Content-Type": "text/plain" }, body: "{}" })).status).toBe(403);
    expect((await fetch(doc.body.url.replace(/Signature=\w{4}/, "Signature=0000"), { method: "PUT", headers: { "Content-Type": JSON_TYPE }, body: "{}" })).status).toBe(403);
    clock.advance(5 * 60 * 1000 + 1);
    expect((await fetch(doc.body.url, { method: "PUT", headers: { "Content-Type": JSON_TYPE }, body: "{}" })).status).toBe(403);
    sandbox.rateLimits.reset();
    const noType = await client.call<{ errors: { code: string }[] }>("POST", "/feeds/2021-06-30/feeds", { marketplaceIds: [MARKETPLACE], inputFeedDocumentId: doc.body.feedDocumentId });
    expect(noType.status).toBe(400);
    expect(noType.body.errors[0].code).toBe("InvalidInput");
    expect((await client.call("POST", "/feeds/2021-06-30/feeds", { feedType: "POST_PRODUCT_DATA", marketplaceIds: [MARKETPLACE], inputFeedDocumentId: doc.body.feedDocumentId })).status).toBe(400);
    expect((await client.call("POST", "/feeds/2021-06-30/feeds", { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [MARKETPLACE], inputFeedDocumentId: "amzn1.tortuga.unknown" })).status).toBe(400);
    expect((await client.call("GET", "/feeds/2021-06-30/feeds/123")).status).toBe(404);
  });
});

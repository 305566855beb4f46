import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amazonValidators, readFixture, type Validator } from "../../sandbox/amazon/schemas";
import { startAmazonSandbox, type AmazonSandbox } from "../../sandbox/amazon/server";

// The Amazon SP-API stand-in (sandbox/amazon) against Amazon's own models and schemas in
// ../shared/fixtures/amazon_sp_api: first the validators are shown to accept Amazon's published examples and
// to reject wrong bodies, then requests built as a client builds them, and every response the stand-in gives,
// must pass the same validators.

const v = amazonValidators();
const MARKETPLACE = "ATVPDKIKX0DER";
const SELLER = "A3CONFORMANCE01";

function expectValid(validator: Validator, value: unknown, what: string): void {
  expect(validator.issues(value), what).toEqual([]);
}

interface SandboxExample { status: string; response: unknown }
type ModelPaths = Record<string, Record<string, { responses: Record<string, { "x-amzn-api-sandbox"?: { static?: { response: unknown }[] }; examples?: Record<string, unknown> }> }>>;

describe("the validators accept Amazon's own examples", () => {
  it("listings-feed-schema-v2.example.json is a valid feed, and each of its messages a valid message", () => {
    const feed = readFixture<{ messages: unknown[] }>("listings-feed-schema-v2.example.json");
    expectValid(v.listingsFeed, feed, "feed example");
    for (const message of feed.messages) expectValid(v.listingsFeedMessage, message, JSON.stringify(message));
  });

  it("listings-feed-processing-report-schema-v2.example.json is a valid report", () => {
    expectValid(v.processingReport, readFixture("listings-feed-processing-report-schema-v2.example.json"), "report example");
  });

  it("the extracted PATCH messages are valid messages, valid Listings PATCH bodies and valid fulfillment_availability values", () => {
    const extracted = readFixture<{ patch_messages: { productType: string; patches: { value: unknown }[] }[] }>("listings_fulfillment_availability_patch.EXTRACTED.json");
    expect(extracted.patch_messages.length).toBeGreaterThan(0);
    for (const message of extracted.patch_messages) {
      expectValid(v.listingsFeedMessage, message, "message");
      expectValid(v.listingsPatchRequest, { productType: message.productType, patches: message.patches }, "patch body");
      for (const patch of message.patches) expectValid(v.fulfillmentAvailabilityValue, patch.value, "attribute value");
    }
  });

  it("the Orders v0 sandbox examples (getOrders, getOrderItems; success and error) match their response definitions", () => {
    const orders = readFixture<{ getOrders: { examples: SandboxExample[] } }>("ordersV0.getOrders.sandbox_examples.json").getOrders.examples;
    const items = readFixture<{ getOrderItems: { examples: SandboxExample[] } }>("ordersV0.getOrderItems.sandbox_examples.json").getOrderItems.examples;
    const all = readFixture<Record<string, { examples: SandboxExample[] }>>("ordersV0.sandbox_examples.json");
    expect(orders.length + items.length).toBeGreaterThan(3);
    for (const e of [...orders, ...all.getOrders.examples]) expectValid(v.getOrdersResponse, e.response, `getOrders ${e.status}`);
    for (const e of [...items, ...all.getOrderItems.examples]) expectValid(v.getOrderItemsResponse, e.response, `getOrderItems ${e.status}`);
  });

  it("the Listings Items model's own GET and PATCH examples match Item / ListingsItemSubmissionResponse / ErrorList", () => {
    const paths = readFixture<{ paths: ModelPaths }>("listingsItems_2021-08-01.model.json").paths["/listings/2021-08-01/items/{sellerId}/{sku}"];
    const examples = (method: string, code: string) => [
      ...(paths[method].responses[code]["x-amzn-api-sandbox"]?.static ?? []).map((s) => s.response),
      ...Object.values(paths[method].responses[code].examples ?? {}),
    ];
    expect(examples("get", "200").length).toBeGreaterThan(0);
    for (const e of examples("get", "200")) expectValid(v.listingsItem, e, "get 200");
    for (const e of examples("patch", "200")) expectValid(v.listingsSubmissionResponse, e, "patch 200");
    for (const e of [...examples("get", "400"), ...examples("patch", "400")]) expectValid(v.listingsErrorList, e, "400");
  });
});

describe("the validators reject wrong bodies", () => {
  it("rejects a PATCH body without productType, with an unknown op, and with a non-array value", () => {
    expect(v.listingsPatchRequest({ patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ quantity: 1 }] }] })).toBe(false);
    expect(v.listingsPatchRequest({ productType: "LUGGAGE", patches: [{ op: "set", path: "/attributes/fulfillment_availability" }] })).toBe(false);
    expect(v.listingsPatchRequest({ productType: "LUGGAGE", patches: [{ op: "replace", path: "/attributes/x", value: { quantity: 1 } }] })).toBe(false);
    expect(v.fulfillmentAvailabilityValue([{ fulfillment_channel_code: "DEFAULT", quantity: "10" }])).toBe(false);
  });

  it("rejects a feed with the wrong version, a PATCH message without patches, and a report without summary", () => {
    const feed = readFixture<{ header: Record<string, unknown>; messages: Record<string, unknown>[] }>("listings-feed-schema-v2.example.json");
    expect(v.listingsFeed({ ...feed, header: { ...feed.header, version: "1.0" } })).toBe(false);
    expect(v.listingsFeedMessage({ messageId: 1, sku: "A", operationType: "PATCH", productType: "LUGGAGE" })).toBe(false);
    const { summary: _dropped, ...report } = readFixture<Record<string, unknown>>("listings-feed-processing-report-schema-v2.example.json");
    expect(v.processingReport(report)).toBe(false);
  });

  it("rejects an order without AmazonOrderId and a Feed with an unknown processingStatus", () => {
    expect(v.getOrdersResponse({ payload: { Orders: [{ PurchaseDate: "2026-01-01T00:00:00Z", LastUpdateDate: "2026-01-01T00:00:00Z", OrderStatus: "Unshipped" }] } })).toBe(false);
    expect(v.feed({ feedId: "1", feedType: "JSON_LISTINGS_FEED", createdTime: "2026-01-01T00:00:00Z", processingStatus: "FINISHED" })).toBe(false);
  });
});

describe("every response of the stand-in matches Amazon's definitions", () => {
  let sandbox: AmazonSandbox;
  let t = Date.parse("2026-05-04T12:00:00Z");
  let token = "";
  beforeAll(async () => {
    sandbox = await startAmazonSandbox({
      sellerId: SELLER,
      now: () => t,
      visibilityDelayMs: 15_000,
      listings: [
        { sku: "BAG-1", productType: "LUGGAGE", quantity: 3, priceMinor: 12900 },
        { sku: "BAG-2", productType: "LUGGAGE", quantity: 8 },
      ],
      rateLimits: { getFeedDocument: { rate: 1, burst: 10 } },
    });
    const res = await fetch(`${sandbox.url}/auth/o2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: String(sandbox.lwa.refreshToken), client_id: sandbox.lwa.clientId, client_secret: sandbox.lwa.clientSecret }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "token_type"]);
    token = String(body.access_token);
  });
  afterAll(() => sandbox.close());

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { "x-amz-access-token": token }) {
    const res = await fetch(`${sandbox.url}${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { "Content-Type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect(res.headers.get("x-amzn-ratelimit-limit"), `${method} ${path}: x-amzn-RateLimit-Limit`).toMatch(/^\d+(\.\d+)?$/);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const listing = (sku: string, extra = "") => `/listings/2021-08-01/items/${SELLER}/${sku}?marketplaceIds=${MARKETPLACE}${extra}`;

  it("Listings: GET with every data set, PATCH ACCEPTED / INVALID / VALID, and its errors", async () => {
    const item = await call("GET", listing("BAG-1", "&includedData=summaries,attributes,issues,offers,fulfillmentAvailability,procurement,relationships,productTypes"));
    expect(item.status).toBe(200);
    expectValid(v.listingsItem, item.body, "Item");

    const patch = { productType: "LUGGAGE", patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 6 }] }] };
    expectValid(v.listingsPatchRequest, patch, "request as built");
    const accepted = await call("PATCH", listing("BAG-1"), patch);
    expect(accepted.body.status).toBe("ACCEPTED");
    expectValid(v.listingsSubmissionResponse, accepted.body, "ACCEPTED");
    const invalid = await call("PATCH", listing("BAG-1"), { ...patch, patches: [{ ...patch.patches[0], value: [{ fulfillment_channel_code: "AMAZON_NA", quantity: 1 }] }] });
    expect(invalid.body.status).toBe("INVALID");
    expectValid(v.listingsSubmissionResponse, invalid.body, "INVALID");
    const preview = await call("PATCH", listing("BAG-1", "&mode=VALIDATION_PREVIEW"), patch);
    expect(preview.body.status).toBe("VALID");
    expectValid(v.listingsSubmissionResponse, preview.body, "VALID");

    const wrong = { patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: { quantity: 6 } }] };
    expect(v.listingsPatchRequest(wrong)).toBe(false);
    const rejected = await call("PATCH", listing("BAG-1"), wrong);
    expect(rejected.status).toBe(400);
    const notFound = await call("PATCH", listing("NO-SUCH-SKU"), patch);
    expect(notFound.status).toBe(404);
    const unauthorised = await call("GET", listing("BAG-1"), undefined, {});
    expect(unauthorised.status).toBe(403);
    sandbox.faults.inject("getListingsItem", { kind: 503 });
    const unavailable = await call("GET", listing("BAG-1"));
    expect(unavailable.status).toBe(503);
    for (const e of [rejected, notFound, unauthorised, unavailable]) expectValid(v.listingsErrorList, e.body, `error ${e.status}`);

    for (let i = 0; i < 10; i += 1) await call("GET", listing("BAG-2"));
    const throttled = await call("GET", listing("BAG-2"));
    expect(throttled.status).toBe(429);
    expectValid(v.listingsErrorList, throttled.body, "429");
  });

  it("Feeds: document, feed at every status, feed document and both DONE and FATAL processing reports", async () => {
    const docSpec = { contentType: "application/json; charset=UTF-8" };
    expectValid(v.createFeedDocumentSpecification, docSpec, "createFeedDocument request");
    const submit = async (content: string) => {
      const doc = await call("POST", "/feeds/2021-06-30/documents", docSpec);
      expect(doc.status).toBe(201);
      expectValid(v.createFeedDocumentResponse, doc.body, "CreateFeedDocumentResponse");
      expect((await fetch(String(doc.body.url), { method: "PUT", headers: { "Content-Type": docSpec.contentType }, body: content })).status).toBe(200);
      const spec = { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [MARKETPLACE], inputFeedDocumentId: String(doc.body.feedDocumentId) };
      expectValid(v.createFeedSpecification, spec, "createFeed request");
      const feed = await call("POST", "/feeds/2021-06-30/feeds", spec);
      expect(feed.status).toBe(202);
      expectValid(v.createFeedResponse, feed.body, "CreateFeedResponse");
      return String(feed.body.feedId);
    };
    const feedContent = {
      header: { sellerId: SELLER, version: "2.0", report: { includedData: ["summaries", "fulfillmentAvailability", "issues"], apiVersion: "2021-08-01" } },
      messages: [
        { messageId: 1, sku: "BAG-2", operationType: "PATCH", productType: "LUGGAGE", patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 2 }] }] },
        { messageId: 2, sku: "UNKNOWN-SKU", operationType: "PATCH", productType: "LUGGAGE", patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 1 }] }] },
      ],
    };
    expectValid(v.listingsFeed, feedContent, "feed as built");
    const good = await submit(JSON.stringify(feedContent));
    const fatal = await submit("<xml>not json</xml>");

    const seen = new Set<string>();
    for (let step = 0; step < 7; step += 1) { // default timing 1 s queued + 2 s processing, one feed at a time
      for (const feedId of [good, fatal]) {
        const feed = await call("GET", `/feeds/2021-06-30/feeds/${feedId}`);
        expectValid(v.feed, feed.body, `Feed ${feed.body.processingStatus}`);
        seen.add(String(feed.body.processingStatus));
      }
      t += 1000;
    }
    expect([...seen].sort()).toEqual(["DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]);

    for (const [feedId, status] of [[good, "DONE"], [fatal, "FATAL"]] as const) {
      const feed = await call("GET", `/feeds/2021-06-30/feeds/${feedId}`);
      expect(feed.body.processingStatus).toBe(status);
      const doc = await call("GET", `/feeds/2021-06-30/documents/${feed.body.resultFeedDocumentId}`);
      expectValid(v.feedDocument, doc.body, "FeedDocument");
      const report = await (await fetch(String(doc.body.url))).json();
      expectValid(v.processingReport, report, `${status} report`);
    }
    const missing = await call("GET", "/feeds/2021-06-30/feeds/404404");
    expect(missing.status).toBe(404);
    expectValid(v.feedsErrorList, missing.body, "feeds 404");
    const badSpec = await call("POST", "/feeds/2021-06-30/feeds", { feedType: "JSON_LISTINGS_FEED" });
    expect(badSpec.status).toBe(400);
    expectValid(v.feedsErrorList, badSpec.body, "feeds 400");
  });

  it("Orders: getOrders pages, getOrderItems, and their errors", async () => {
    const from = new Date(t).toISOString();
    for (let i = 0; i < 3; i += 1) {
      sandbox.createOrder({ items: [{ sku: "BAG-1", quantity: 1 }, { sku: "BAG-2", quantity: 1 }], status: i === 2 ? "Pending" : "Unshipped" });
      t += 1000;
    }
    let page = await call("GET", `/orders/v0/orders?MarketplaceIds=${MARKETPLACE}&CreatedAfter=${from}&MaxResultsPerPage=2`);
    expectValid(v.getOrdersResponse, page.body, "page 1");
    const ids: string[] = [];
    for (;;) {
      const payload = page.body.payload as { Orders: { AmazonOrderId: string }[]; NextToken?: string };
      ids.push(...payload.Orders.map((o) => o.AmazonOrderId));
      if (!payload.NextToken) break;
      page = await call("GET", `/orders/v0/orders?MarketplaceIds=${MARKETPLACE}&NextToken=${encodeURIComponent(payload.NextToken)}`);
      expectValid(v.getOrdersResponse, page.body, "next page");
    }
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      const items = await call("GET", `/orders/v0/orders/${id}/orderItems`);
      expect(items.status).toBe(200);
      expectValid(v.getOrderItemsResponse, items.body, "order items");
    }
    const badOrders = await call("GET", `/orders/v0/orders?MarketplaceIds=${MARKETPLACE}`);
    expect(badOrders.status).toBe(400);
    expectValid(v.getOrdersResponse, badOrders.body, "getOrders 400");
    const unknown = await call("GET", "/orders/v0/orders/902-0000000-0000000/orderItems");
    expect(unknown.status).toBe(404);
    expectValid(v.getOrderItemsResponse, unknown.body, "getOrderItems 404");
  });
});

describe("what the app sends Amazon (app/domain/channels/amazon-listings.ts)", () => {
  it("its Listings Items PATCH body, feed document and feed request validate against Amazon's schemas", async () => {
    const { listingsFeedDocument, listingsPatchBody } = await import("../../app/domain/channels/amazon-listings");
    const updates = [
      { sku: "BAG-1", productType: "LUGGAGE", quantity: 0 },
      { sku: "SHOE-42", productType: "SHOES", quantity: 1_250 },
    ];
    for (const u of updates) {
      const body = listingsPatchBody(u);
      expectValid(v.listingsPatchRequest, body, `patch ${u.sku}`);
      for (const patch of body.patches) expectValid(v.fulfillmentAvailabilityValue, patch.value, "attribute value");
    }
    const feed = listingsFeedDocument(SELLER, updates);
    expectValid(v.listingsFeed, feed, "feed document");
    for (const message of feed.messages) expectValid(v.listingsFeedMessage, message, `message ${message.messageId}`);
    expectValid(v.createFeedDocumentSpecification, { contentType: "application/json; charset=UTF-8" }, "createFeedDocument body");
    expectValid(v.createFeedSpecification, { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [MARKETPLACE], inputFeedDocumentId: "amzn1.tortuga.4.na.doc" }, "createFeed body");
  });
});

describe("Amazon's own Orders v0 sandbox examples map to orders (app/domain/channels/amazon-orders.ts)", () => {
  it("every getOrders example order, with the getOrderItems example's items, becomes a correct order", async () => {
    const { mapAmazonV0Order } = await import("../../app/domain/channels/amazon-orders");
    type Example = { status: string; response: { payload?: { Orders?: Record<string, unknown>[]; OrderItems?: Record<string, unknown>[]; AmazonOrderId?: string } } };
    const orders = readFixture<{ getOrders: { examples: Example[] } }>("ordersV0.getOrders.sandbox_examples.json").getOrders.examples.filter((e) => e.status === "200").flatMap((e) => e.response.payload?.Orders ?? []);
    const itemsExample = readFixture<{ getOrderItems: { examples: Example[] } }>("ordersV0.getOrderItems.sandbox_examples.json").getOrderItems.examples.find((e) => e.status === "200")!.response.payload!;
    expect(orders.length).toBeGreaterThan(0);
    for (const raw of orders) {
      const mapping = mapAmazonV0Order(raw, itemsExample.OrderItems!);
      expect(mapping.ok, JSON.stringify(mapping)).toBe(true);
      if (!mapping.ok) continue;
      const { order, fulfilledByAmazon } = mapping.mapped;
      expect(order.externalId).toBe(raw.AmazonOrderId);
      expect(fulfilledByAmazon).toBe(raw.FulfillmentChannel === "AFN");
      expect(order.currency).toBe("USD");
      if (raw.OrderTotal) expect(order.totalMinor).toBe(Math.round(Number((raw.OrderTotal as { Amount: string }).Amount) * 100));
      expect(order.lines.map((l) => [l.externalId, l.sku, l.quantity, l.priceMinor])).toEqual(itemsExample.OrderItems!.map((i) => [i.OrderItemId, i.SellerSKU, i.QuantityOrdered, Math.round((Number((i.ItemPrice as { Amount: string }).Amount) * 100) / Number(i.QuantityOrdered))]));
      expect(order.placedAt).toBe(new Date(String(raw.PurchaseDate)).toISOString());
      expect(order.cancelledAt === null).toBe(raw.OrderStatus !== "Canceled");
    }
  });

  it("the stand-in's orders validate against the Orders v0 model with their ShippingAddress", async () => {
    const amazon = await startAmazonSandbox({ sellerId: SELLER, listings: [{ sku: "BAG-1", productType: "LUGGAGE", quantity: 5 }] });
    try {
      const order = amazon.createOrder({ items: [{ sku: "BAG-1", quantity: 1 }] });
      const view = amazon.orders.orderView(order);
      expect(view.ShippingAddress).toMatchObject({ City: "Seattle", CountryCode: "US" });
      expectValid(v.getOrdersResponse, { payload: { Orders: [view], LastUpdatedBefore: "2026-03-02T10:00:00Z" } }, "getOrders response");
    } finally {
      await amazon.close();
    }
  });
});

describe("Amazon's own Orders 2026-01-01 sandbox examples map to orders", () => {
  it("every searchOrders and getOrder example order becomes a correct order", async () => {
    const { mapAmazon2026Order } = await import("../../app/domain/channels/amazon-orders");
    type Raw = Record<string, unknown> & { orderId: string; proceeds?: { grandTotal?: { amount: string; currencyCode: string } }; fulfillment?: { fulfilledBy?: string; fulfillmentStatus?: string }; orderItems: { orderItemId: string; quantityOrdered: number; product?: { sellerSku?: string; price?: { unitPrice?: { amount: string } } } }[] };
    const examples = readFixture<Record<string, { examples: { status: string; response: { orders?: Raw[]; order?: Raw } }[] }>>("orders_2026-01-01.sandbox_examples.json");
    const orders = Object.values(examples).flatMap((op) => op.examples.filter((e) => e.status === "200").flatMap((e) => e.response.orders ?? (e.response.order ? [e.response.order] : [])));
    expect(orders.length).toBeGreaterThanOrEqual(4);
    const { currencyExponent } = await import("../../app/domain/shared/money");
    for (const raw of orders) {
      const mapping = mapAmazon2026Order(raw);
      expect(mapping.ok, JSON.stringify(mapping).slice(0, 300)).toBe(true);
      if (!mapping.ok) continue;
      const { order, fulfilledByAmazon, shipped } = mapping.mapped;
      const total = raw.proceeds!.grandTotal!;
      expect(order.currency).toBe(total.currencyCode);
      expect(order.totalMinor).toBe(Math.round(Number(total.amount) * 10 ** currencyExponent(total.currencyCode)));
      expect(fulfilledByAmazon).toBe(raw.fulfillment?.fulfilledBy === "AMAZON");
      expect(order.lines.map((l) => [l.externalId, l.sku, l.quantity])).toEqual(raw.orderItems.map((i) => [i.orderItemId, i.product?.sellerSku, i.quantityOrdered]));
      if (raw.fulfillment?.fulfillmentStatus === "SHIPPED") expect(shipped.reduce((n, s) => n + s.quantity, 0)).toBe(raw.orderItems.reduce((n, i) => n + i.quantityOrdered, 0));
    }
  });
});

describe("confirmShipment requests (issue 12)", () => {
  it("Amazon's own confirmShipment example passes the validator, and our requests do too", async () => {
    const { confirmShipmentRequests } = await import("~/domain/channels/amazon-shipment");
    const examples = readFixture<{ confirmShipment: { examples: { status: string; request: { parameters: { body: { value: unknown } } } }[] } }>("ordersV0.sandbox_examples.json").confirmShipment.examples;
    const accepted = examples.find((e) => e.status === "204")!;
    expectValid(v.confirmShipmentRequest, accepted.request.parameters.body.value, "Amazon's 204 example");
    const built = confirmShipmentRequests("902-1106328-1059050", MARKETPLACE, {
      carrier: "Acme Freight", service: "Ground", trackingNumber: null, shippedAt: "2026-12-05T10:00:00.000Z",
      lines: [{ lineExternalId: "79039765272157", sku: "A", quantity: 2 }],
      cartons: [{ id: "C1", trackingNumber: "T1", lines: [{ lineExternalId: "79039765272157", quantity: 1 }] }, { id: "C2", trackingNumber: "T2", lines: [{ lineExternalId: "79039765272157", quantity: 1 }] }],
    }, 1, new Map([["79039765272157", "79039765272157"]]));
    expect(built.ok).toBe(true);
    for (const request of built.ok ? built.requests : []) expectValid(v.confirmShipmentRequest, request.body, `package ${request.packageReferenceId}`);
    // Missing the required packageDetail fields: refused by the same validator.
    expect(v.confirmShipmentRequest.issues({ marketplaceId: MARKETPLACE, packageDetail: { packageReferenceId: "1" } }).length).toBeGreaterThan(0);
  });
});

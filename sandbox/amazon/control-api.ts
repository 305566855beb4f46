// `/_sandbox/*`: the stand-in's JSON control API (no SP-API auth, no quotas) for demos and tests in other
// processes: seed listings, create orders, queue faults, advance feed processing, read state and the
// push-to-visible log. In-process callers use the same functions on the object startAmazonSandbox returns.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultInjector, FaultSpec } from "./faults";
import type { FeedService } from "./feeds";
import { parseJsonObject, readBody, sendJson } from "./http";
import type { LwaTokens } from "./lwa";
import { ORDER_STATUSES, type CreateOrderInput, type OrderBook, type OrderStatus } from "./order-book";
import { DEFAULT_USAGE_PLANS, type OperationName, type RateLimiter } from "./rate-limit";
import type { ListingSeed, ListingStore } from "./store";

export interface ControlContext {
  store: ListingStore;
  book: OrderBook;
  feeds: FeedService;
  faults: FaultInjector;
  rateLimits: RateLimiter;
  lwa: LwaTokens;
  sellerId: string;
  marketplaceId: string;
}

const OPERATIONS = Object.keys(DEFAULT_USAGE_PLANS) as OperationName[];

export function sandboxState(ctx: ControlContext) {
  return {
    sellerId: ctx.sellerId,
    marketplaceId: ctx.marketplaceId,
    listings: ctx.store.skus().map((sku) => ({
      sku,
      productType: ctx.store.get(sku)!.productType,
      acceptedQuantity: ctx.store.acceptedQuantity(sku),
      visibleQuantity: ctx.store.visibleQuantity(sku),
    })),
    orders: [...ctx.book.orders.values()].map((o) => ({
      amazonOrderId: o.amazonOrderId,
      status: o.status,
      items: o.items.map((i) => ({ sku: i.sku, quantity: i.quantity, quantityShipped: i.quantityShipped })),
      packages: (o.packages ?? []).map(({ confirmedAt: _at, ...p }) => p),
    })),
    feeds: [...ctx.feeds.feeds.values()].map((f) => ({ feedId: f.feedId, processingStatus: f.processingStatus, resultFeedDocumentId: f.resultFeedDocumentId })),
  };
}

export function createControlApi(ctx: ControlContext) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const raw = req.method === "GET" ? "" : await readBody(req, 10 * 1024 * 1024);
    const body = raw ? parseJsonObject(raw) : {};
    if (!body) return sendJson(res, 400, { error: "body must be a JSON object" });
    const route = `${req.method} ${url.pathname}`;
    try {
      if (route === "GET /_sandbox/state") return sendJson(res, 200, sandboxState(ctx));
      if (route === "POST /_sandbox/listings") {
        const seeds = body.listings as ListingSeed[] | undefined;
        if (!Array.isArray(seeds)) return sendJson(res, 400, { error: "listings: array of {sku, productType?, quantity?, ...} required" });
        return sendJson(res, 201, { listings: seeds.map((s) => ctx.store.add(s)) });
      }
      if (route === "POST /_sandbox/orders") {
        const order = ctx.book.create(body as unknown as CreateOrderInput);
        return sendJson(res, 201, { order: ctx.book.orderView(order), orderItems: ctx.book.itemViews(order) });
      }
      const status = /^POST \/_sandbox\/orders\/([^/]+)\/status$/.exec(route);
      if (status) {
        if (!(ORDER_STATUSES as readonly string[]).includes(String(body.status))) return sendJson(res, 400, { error: `status must be one of ${ORDER_STATUSES.join(", ")}` });
        return sendJson(res, 200, { order: ctx.book.orderView(ctx.book.setStatus(decodeURIComponent(status[1]), body.status as OrderStatus)) });
      }
      if (route === "POST /_sandbox/faults") {
        const operation = body.operation as OperationName | "*";
        if (operation !== "*" && !OPERATIONS.includes(operation)) return sendJson(res, 400, { error: `operation must be "*" or one of ${OPERATIONS.join(", ")}` });
        if (![500, 503, "timeout", "lost-reply"].includes(body.kind as FaultSpec["kind"])) return sendJson(res, 400, { error: 'kind must be 500, 503, "timeout" or "lost-reply"' });
        ctx.faults.inject(operation, body as unknown as FaultSpec);
        return sendJson(res, 201, { pending: ctx.faults.pending(operation) });
      }
      if (route === "DELETE /_sandbox/faults") {
        ctx.faults.clear();
        return sendJson(res, 200, { ok: true });
      }
      if (route === "POST /_sandbox/tick") return sendJson(res, 200, { finished: ctx.feeds.advance().map((f) => ({ feedId: f.feedId, processingStatus: f.processingStatus })) });
      if (route === "GET /_sandbox/visibility-log") return sendJson(res, 200, { updates: ctx.store.visibilityLog(url.searchParams.get("sku") ?? undefined) });
      if (route === "POST /_sandbox/access-tokens") return sendJson(res, 201, { access_token: ctx.lwa.issue(), token_type: "bearer", expires_in: 3600 });
      if (route === "POST /_sandbox/rate-limits/reset") {
        ctx.rateLimits.reset();
        return sendJson(res, 200, { ok: true });
      }
    } catch (error) {
      return sendJson(res, 422, { error: (error as Error).message });
    }
    sendJson(res, 404, { error: `no control route ${route}` });
  };
}

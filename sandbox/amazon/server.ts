// The Amazon Selling Partner API stand-in: one node:http server on 127.0.0.1 serving Login with Amazon
// (/auth/o2/token), Listings Items 2021-08-01, Feeds 2021-06-30 (+ presigned document URLs), Orders v0, Reports
// 2021-06-30 (order reports, gzipped documents), and the /_sandbox control API. Every SP-API call goes: advance feeds → route → x-amzn-RateLimit-Limit header →
// access token (403) → injected fault (500/503/hang) → usage-plan bucket (429) → handler.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createControlApi, sandboxState } from "./control-api";
import { FAULT_BODIES, FaultInjector } from "./faults";
import { DEFAULT_FEED_TIMING, DOCUMENT_PATH_PREFIX, FeedService, type FeedRecord, type FeedTiming } from "./feeds";
import { BodyTooLargeError, errorList, sendJson } from "./http";
import { createListingsHandlers } from "./listings";
import { createLwaHandler, LwaTokens, unauthorizedBody, type LwaCredentials } from "./lwa";
import { OrderBook, type CreateOrderInput, type StoredOrder } from "./order-book";
import { createOrdersHandlers } from "./orders-api";
import { RateLimiter, type OperationName, type UsagePlan } from "./rate-limit";
import { DEFAULT_REPORT_TIMING, REPORT_DOCUMENT_PATH_PREFIX, ReportService, type ReportTiming } from "./reports";
import { amazonValidators } from "./schemas";
import { DEFAULT_MARKETPLACE_ID, ListingStore, type Listing, type ListingSeed, type QuantityUpdate } from "./store";

export const SANDBOX_LWA_DEFAULTS: LwaCredentials = {
  clientId: "amzn1.application-oa2-client.sandbox0000000000000000",
  clientSecret: "amzn1.oa2-cs.v1.sandbox-secret",
  refreshToken: "Atzr|sandbox-refresh-token",
};

export interface StartAmazonSandboxOptions {
  /** 0 (default) = a free port. Always binds 127.0.0.1. */
  port?: number;
  sellerId?: string;
  marketplaceId?: string;
  /** The app credentials and refresh token(s) LWA accepts (default SANDBOX_LWA_DEFAULTS). */
  lwa?: Partial<LwaCredentials>;
  /** A pushed quantity becomes buyer-visible this long after it is accepted (default 0). */
  visibilityDelayMs?: number;
  /** Usage plans per operation, over DEFAULT_USAGE_PLANS. */
  rateLimits?: Partial<Record<OperationName, UsagePlan>>;
  /** Clock in epoch ms for tokens, buckets, feeds, visibility and orders (tests). Default Date.now. */
  now?: () => number;
  /** How long a feed stays IN_QUEUE and IN_PROGRESS (default 1000 / 2000 ms by the clock). */
  feedProcessing?: Partial<FeedTiming>;
  /** How long a report stays IN_QUEUE and IN_PROGRESS (default 1000 / 2000 ms by the clock). */
  reportProcessing?: Partial<ReportTiming>;
  /** The catalogue at start. */
  listings?: ListingSeed[];
  /** Seed for order and order item ids (default 1). */
  orderSeed?: number;
  /** getOrders without a "Before" lists orders up to now minus this (default 0). */
  orderListingLagMs?: number;
  /** Advance feed processing on a real timer this often; default 250 ms with the real clock, off with an injected one. */
  autoAdvanceMs?: number;
}

export interface AmazonSandbox {
  url: string;
  port: number;
  sellerId: string;
  marketplaceId: string;
  lwa: LwaCredentials;
  store: ListingStore;
  orders: OrderBook;
  feeds: FeedService;
  reports: ReportService;
  faults: FaultInjector;
  rateLimits: RateLimiter;
  tokens: LwaTokens;
  addListings(seeds: ListingSeed[]): Listing[];
  createOrder(input: CreateOrderInput): StoredOrder;
  /** Buyer-visible quantity now (after moving due feeds). */
  visibleQuantity(sku: string): number | null | undefined;
  acceptedQuantity(sku: string): number | null | undefined;
  /** (sku, quantity, acceptedAt, visibleAt, source) for every quantity update: push-to-visible lag. */
  visibilityLog(sku?: string): QuantityUpdate[];
  /** Moves feeds whose time has come by the clock; returns those that finished. */
  tick(): FeedRecord[];
  /** An access token without the LWA exchange. */
  issueAccessToken(ttlSeconds?: number): string;
  state(): ReturnType<typeof sandboxState>;
  close(): Promise<void>;
}

interface Route { method: string; pattern: RegExp; operation: OperationName; run(req: IncomingMessage, res: ServerResponse, url: URL, params: string[]): Promise<void> }

export async function startAmazonSandbox(opts: StartAmazonSandboxOptions = {}): Promise<AmazonSandbox> {
  amazonValidators(); // fail fast (clear error) when ../shared is missing
  const now = opts.now ?? (() => Date.now());
  const sellerId = opts.sellerId ?? "A1SANDBOXSELLER0";
  const marketplaceId = opts.marketplaceId ?? DEFAULT_MARKETPLACE_ID;
  const lwa: LwaCredentials = { ...SANDBOX_LWA_DEFAULTS, ...opts.lwa };
  const store = new ListingStore(now, opts.visibilityDelayMs ?? 0);
  for (const seed of opts.listings ?? []) store.add(seed);
  const listingsCtx = { store, sellerId, marketplaceId };
  let baseUrl = "";
  const feeds = new FeedService(listingsCtx, { ...DEFAULT_FEED_TIMING, ...opts.feedProcessing }, () => baseUrl);
  const book = new OrderBook(store, marketplaceId, opts.orderSeed ?? 1);
  const reports = new ReportService(book, marketplaceId, { ...DEFAULT_REPORT_TIMING, ...opts.reportProcessing }, now, () => baseUrl);
  const faults = new FaultInjector();
  const rateLimits = new RateLimiter(opts.rateLimits, now);
  const tokens = new LwaTokens(lwa, now);
  const listings = createListingsHandlers(listingsCtx);
  const orders = createOrdersHandlers({ book, marketplaceId, now, listingLagMs: opts.orderListingLagMs ?? 0 });
  const lwaHandler = createLwaHandler(tokens);
  const control = createControlApi({ store, book, feeds, faults, rateLimits, lwa: tokens, sellerId, marketplaceId });

  const routes: Route[] = [
    { method: "GET", pattern: /^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/, operation: "getListingsItem", run: (q, s, u, p) => listings.get(q, s, u, p[0], p[1]) },
    { method: "PATCH", pattern: /^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/, operation: "patchListingsItem", run: (q, s, u, p) => listings.patch(q, s, u, p[0], p[1]) },
    { method: "POST", pattern: /^\/feeds\/2021-06-30\/documents$/, operation: "createFeedDocument", run: (q, s) => feeds.createDocument(q, s) },
    { method: "GET", pattern: /^\/feeds\/2021-06-30\/documents\/([^/]+)$/, operation: "getFeedDocument", run: (q, s, _u, p) => feeds.getDocument(q, s, p[0]) },
    { method: "POST", pattern: /^\/feeds\/2021-06-30\/feeds$/, operation: "createFeed", run: (q, s) => feeds.createFeed(q, s) },
    { method: "GET", pattern: /^\/feeds\/2021-06-30\/feeds\/([^/]+)$/, operation: "getFeed", run: (q, s, _u, p) => feeds.getFeed(q, s, p[0]) },
    { method: "GET", pattern: /^\/orders\/v0\/orders$/, operation: "getOrders", run: (q, s, u) => orders.getOrders(q, s, u) },
    { method: "GET", pattern: /^\/orders\/v0\/orders\/([^/]+)\/orderItems$/, operation: "getOrderItems", run: (q, s, u, p) => orders.getOrderItems(q, s, u, p[0]) },
    { method: "POST", pattern: /^\/orders\/v0\/orders\/([^/]+)\/shipmentConfirmation$/, operation: "confirmShipment", run: (q, s, u, p) => orders.confirmShipment(q, s, u, p[0]) },
    { method: "POST", pattern: /^\/reports\/2021-06-30\/reports$/, operation: "createReport", run: (q, s) => reports.createReport(q, s) },
    { method: "GET", pattern: /^\/reports\/2021-06-30\/reports\/([^/]+)$/, operation: "getReport", run: (q, s, _u, p) => reports.getReport(q, s, p[0]) },
    { method: "GET", pattern: /^\/reports\/2021-06-30\/documents\/([^/]+)$/, operation: "getReportDocument", run: (q, s, _u, p) => reports.getReportDocument(q, s, p[0]) },
  ];
  const hangs = new Set<ReturnType<typeof setTimeout>>();

  const spApi = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const candidates = routes.filter((r) => r.pattern.test(url.pathname));
    if (candidates.length === 0) return sendJson(res, 404, errorList("NotFound", `Resource ${url.pathname} not found.`));
    const route = candidates.find((r) => r.method === req.method);
    if (!route) return sendJson(res, 405, errorList("MethodNotAllowed", `${req.method} is not allowed on ${url.pathname}.`), { Allow: candidates.map((r) => r.method).join(", ") });
    res.setHeader("x-amzn-RateLimit-Limit", rateLimits.limitHeader(route.operation));
    const denied = tokens.check(req.headers["x-amz-access-token"]);
    if (denied) return sendJson(res, 403, unauthorizedBody(denied));
    const fault = faults.take(route.operation);
    if (fault?.kind === "timeout") {
      if (fault.hangMs !== undefined) {
        const timer = setTimeout(() => {
          hangs.delete(timer);
          req.socket.destroy();
        }, fault.hangMs);
        hangs.add(timer);
      }
      return; // no response: the client's timeout fires (or the socket is reset after hangMs)
    }
    if (fault?.kind === "lost-reply") {
      // Applied, but the answer never arrives: whatever the route writes resets the connection instead.
      const drop = () => {
        req.socket.destroy();
        return res;
      };
      Object.assign(res, { writeHead: drop, end: drop, write: () => true });
    } else if (fault) return sendJson(res, fault.kind, FAULT_BODIES[fault.kind]);
    if (!rateLimits.take(route.operation)) return sendJson(res, 429, errorList("QuotaExceeded", "You exceeded your quota for the requested resource."));
    const params = route.pattern.exec(url.pathname)!.slice(1).map((p) => decodeURIComponent(p));
    await route.run(req, res, url, params);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    if (url.pathname !== "/_sandbox/tick") feeds.advance(); // /tick advances itself and reports what finished
    reports.advance();
    if (url.pathname === "/auth/o2/token") return lwaHandler(req, res);
    if (url.pathname.startsWith(DOCUMENT_PATH_PREFIX)) return feeds.documentUrl(req, res, url);
    if (url.pathname.startsWith(REPORT_DOCUMENT_PATH_PREFIX)) return reports.documentUrl(req, res, url);
    if (url.pathname.startsWith("/_sandbox/")) return control(req, res, url);
    if (url.pathname === "/healthz") return sendJson(res, 200, { ok: true, sellerId, marketplaceId });
    return spApi(req, res, url);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, errorList("RequestEntityTooLarge", error.message));
      sendJson(res, 500, errorList("InternalFailure", `sandbox error: ${(error as Error).message}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  const autoAdvanceMs = opts.autoAdvanceMs ?? (opts.now ? 0 : 250);
  const ticker = autoAdvanceMs > 0 ? setInterval(() => (feeds.advance(), reports.advance()), autoAdvanceMs) : undefined;
  ticker?.unref();

  return {
    url: baseUrl,
    port,
    sellerId,
    marketplaceId,
    lwa,
    store,
    orders: book,
    feeds,
    reports,
    faults,
    rateLimits,
    tokens,
    addListings: (seeds) => seeds.map((s) => store.add(s)),
    createOrder: (input) => {
      feeds.advance();
      return book.create(input);
    },
    visibleQuantity: (sku) => {
      feeds.advance();
      return store.visibleQuantity(sku);
    },
    acceptedQuantity: (sku) => {
      feeds.advance();
      return store.acceptedQuantity(sku);
    },
    visibilityLog: (sku) => {
      feeds.advance();
      return store.visibilityLog(sku);
    },
    tick: () => {
      reports.advance();
      return feeds.advance();
    },
    issueAccessToken: (ttlSeconds) => tokens.issue(ttlSeconds),
    state: () => {
      feeds.advance();
      return sandboxState({ store, book, feeds, faults, rateLimits, lwa: tokens, sellerId, marketplaceId });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (ticker) clearInterval(ticker);
        for (const timer of hangs) clearTimeout(timer);
        hangs.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

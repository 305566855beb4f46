// Orders API v0: getOrders (GET /orders/v0/orders) with Amazon's parameter rules and NextToken paging, and
// getOrderItems (GET /orders/v0/orders/{orderId}/orderItems). Errors use the v0 shape `{ errors: [...] }`.
import { createHmac, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorList, isoSeconds, listParam, parseJsonObject, readBody, sendJson } from "./http";
import { amazonValidators, describeIssues } from "./schemas";
import { ORDER_STATUSES, type OrderBook, type StoredOrder } from "./order-book";

/** "Before" parameters must be at least two minutes before the request (ordersV0 model). */
export const BEFORE_MIN_AGE_MS = 2 * 60 * 1000;

interface OrdersQuery {
  /** Filter on PurchaseDate ("created") or LastUpdateDate ("updated"). */
  by: "created" | "updated";
  after: number;
  before: number;
  statuses: string[];
  max: number;
  /** Paging cursor: the last (date, id) returned. */
  cursor?: [number, string];
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export interface OrdersApiContext {
  book: OrderBook;
  marketplaceId: string;
  now: () => number;
  /** Orders newer than this are not listed yet when no "Before" is given (default 0). */
  listingLagMs: number;
}

export function createOrdersHandlers(ctx: OrdersApiContext) {
  const tokenKey = randomBytes(16);
  const seal = (q: OrdersQuery) => {
    const data = Buffer.from(JSON.stringify(q)).toString("base64url");
    return `${data}.${createHmac("sha256", tokenKey).update(data).digest("base64url").slice(0, 16)}`;
  };
  const unseal = (token: string): OrdersQuery | undefined => {
    const [data, mac] = token.split(".");
    if (!data || mac !== createHmac("sha256", tokenKey).update(data).digest("base64url").slice(0, 16)) return undefined;
    return JSON.parse(Buffer.from(data, "base64url").toString("utf8")) as OrdersQuery;
  };
  const bad = (res: ServerResponse, message: string) => sendJson(res, 400, errorList("InvalidInput", message));

  const parseQuery = (url: URL): OrdersQuery | string => {
    const get = (name: string) => url.searchParams.get(name) ?? undefined;
    const date = (name: string): number | string | undefined => {
      const v = get(name);
      if (v === undefined) return undefined;
      const t = ISO_8601.test(v) ? Date.parse(v) : NaN;
      return Number.isNaN(t) ? `${name} '${v}' is not a valid ISO 8601 date.` : t;
    };
    const [createdAfter, createdBefore, updatedAfter, updatedBefore] = ["CreatedAfter", "CreatedBefore", "LastUpdatedAfter", "LastUpdatedBefore"].map(date);
    for (const d of [createdAfter, createdBefore, updatedAfter, updatedBefore]) if (typeof d === "string") return d;
    if (createdAfter === undefined && updatedAfter === undefined) return "Either CreatedAfter or LastUpdatedAfter must be specified.";
    if (createdAfter !== undefined && (updatedAfter !== undefined || updatedBefore !== undefined)) return "LastUpdatedAfter and LastUpdatedBefore cannot be set when CreatedAfter is set.";
    if (updatedAfter !== undefined && createdBefore !== undefined) return "CreatedBefore cannot be set when LastUpdatedAfter is set.";
    const by = createdAfter !== undefined ? "created" : "updated";
    const after = (createdAfter ?? updatedAfter) as number;
    const explicitBefore = (by === "created" ? createdBefore : updatedBefore) as number | undefined;
    const now = ctx.now();
    if (after > now) return `${by === "created" ? "CreatedAfter" : "LastUpdatedAfter"} cannot be in the future.`;
    if (explicitBefore !== undefined) {
      const name = by === "created" ? "CreatedBefore" : "LastUpdatedBefore";
      if (explicitBefore < after) return `${name} must be equal to or after ${by === "created" ? "CreatedAfter" : "LastUpdatedAfter"}.`;
      if (explicitBefore > now - BEFORE_MIN_AGE_MS) return `${name} must be at least two minutes before the current time.`;
    }
    const statuses = listParam(url, "OrderStatuses");
    const unknown = statuses.filter((s) => !(ORDER_STATUSES as readonly string[]).includes(s));
    if (unknown.length > 0) return `Invalid OrderStatuses: ${unknown.join(", ")}.`;
    const maxRaw = get("MaxResultsPerPage") ?? "100";
    const max = Number(maxRaw);
    if (!/^\d+$/.test(maxRaw) || max < 1 || max > 100) return "MaxResultsPerPage must be between 1 and 100.";
    return { by, after, before: explicitBefore ?? now - ctx.listingLagMs, statuses, max };
  };

  const getOrders = async (_req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const marketplaceIds = listParam(url, "MarketplaceIds");
    if (marketplaceIds.length === 0) return bad(res, "Missing required parameter MarketplaceIds.");
    if (marketplaceIds.length > 50) return bad(res, "MarketplaceIds may hold at most 50 values.");
    const foreign = marketplaceIds.filter((m) => m !== ctx.marketplaceId);
    if (foreign.length > 0) return bad(res, `Invalid MarketplaceIds: ${foreign.join(", ")}.`);
    const nextToken = url.searchParams.get("NextToken");
    let query: OrdersQuery;
    if (nextToken !== null) {
      const decoded = unseal(nextToken);
      if (!decoded) return bad(res, "Invalid NextToken.");
      query = decoded;
    } else {
      const parsed = parseQuery(url);
      if (typeof parsed === "string") return bad(res, parsed);
      query = parsed;
    }
    const key = (o: StoredOrder): [number, string] => [query.by === "created" ? o.purchaseDate : o.lastUpdateDate, o.amazonOrderId];
    const afterCursor = (k: [number, string]) => !query.cursor || k[0] > query.cursor[0] || (k[0] === query.cursor[0] && k[1] > query.cursor[1]);
    const matching = [...ctx.book.orders.values()]
      .filter((o) => {
        const [t] = key(o);
        return t >= query.after && t <= query.before && (query.statuses.length === 0 || query.statuses.includes(o.status)) && afterCursor(key(o));
      })
      .sort((a, b) => key(a)[0] - key(b)[0] || (key(a)[1] < key(b)[1] ? -1 : 1));
    const page = matching.slice(0, query.max);
    const payload: Record<string, unknown> = { Orders: page.map((o) => ctx.book.orderView(o)) };
    if (matching.length > page.length) payload.NextToken = seal({ ...query, cursor: key(page[page.length - 1]) });
    payload[query.by === "created" ? "CreatedBefore" : "LastUpdatedBefore"] = isoSeconds(query.before);
    sendJson(res, 200, { payload });
  };

  const getOrderItems = async (_req: IncomingMessage, res: ServerResponse, url: URL, orderId: string): Promise<void> => {
    if (!/^\d{3}-\d{7}-\d{7}$/.test(orderId)) return bad(res, `Invalid AmazonOrderId '${orderId}': expected the 3-7-7 format.`);
    if (url.searchParams.has("NextToken")) return bad(res, "Invalid NextToken.");
    const order = ctx.book.orders.get(orderId);
    if (!order) return sendJson(res, 404, errorList("NotFound", `Order '${orderId}' not found.`));
    sendJson(res, 200, { payload: { AmazonOrderId: order.amazonOrderId, OrderItems: ctx.book.itemViews(order) } });
  };

  const confirmShipment = async (req: IncomingMessage, res: ServerResponse, _url: URL, orderId: string): Promise<void> => {
    if (!/^\d{3}-\d{7}-\d{7}$/.test(orderId)) return bad(res, `Invalid AmazonOrderId '${orderId}': expected the 3-7-7 format.`);
    const body = parseJsonObject(await readBody(req, 1024 * 1024));
    if (!body) return bad(res, "The request body is not a JSON object.");
    const issues = amazonValidators().confirmShipmentRequest.issues(body);
    if (issues.length > 0) return sendJson(res, 400, errorList("InvalidInput", "Invalid Input", describeIssues(issues)));
    if (body.marketplaceId !== ctx.marketplaceId) return bad(res, `Invalid marketplaceId '${String(body.marketplaceId)}'.`);
    if (!ctx.book.orders.has(orderId)) return sendJson(res, 404, errorList("NotFound", `Order '${orderId}' not found.`));
    const pkg = body.packageDetail as { packageReferenceId: string; carrierCode: string; carrierName?: string; trackingNumber: string; shipDate: string; orderItems: { orderItemId: string; quantity: number }[] };
    if (pkg.carrierCode === "Other" && !pkg.carrierName) return bad(res, "carrierName is required when carrierCode is Other.");
    const refused = ctx.book.confirmShipment(orderId, { packageReferenceId: pkg.packageReferenceId, carrierCode: pkg.carrierCode, carrierName: pkg.carrierName, trackingNumber: pkg.trackingNumber, shipDate: pkg.shipDate, items: pkg.orderItems.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })) });
    if (refused) return bad(res, refused);
    res.writeHead(204).end();
  };

  return { getOrders, getOrderItems, confirmShipment };
}

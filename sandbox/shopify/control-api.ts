// A small JSON control API for demos, tests and benchmarks (not part of Shopify):
//   POST /_sandbox/orders               {shop?, count?, seed?, deliver?}    create orders (+ orders/create webhooks)
//   POST /_sandbox/orders/:id/cancel    {shop?, reason?, deliver?}          cancel (+ orders/cancelled, orders/updated)
//   POST /_sandbox/orders/:id/update    {shop?, note?, tags?, email?, deliver?}  (+ orders/updated)
//   POST /_sandbox/webhooks             {shop?, topic, payload, uri?, copies?, hmac?}
//   POST /_sandbox/tokens               {shop?} → {access_token}: an offline token without token exchange
//   GET  /_sandbox/state?shop=          counts and the throttle status
//   GET  /_sandbox/webhook-log          every delivery attempt so far
//   GET  /_sandbox/flow/triggers?shop=  flowTriggerReceive calls so far; GET /_sandbox/flow/runs: action runs
//   POST /_sandbox/flow/workflows       {shop?, trigger, action, properties}  run `action` on each such trigger
//   POST /_sandbox/flow/actions/:handle {shop?, properties, actionRunId?}     run an action against the app, as Flow
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "./http-util";
import { parseGid } from "./ids";
import { cancelOrder, updateOrder, type OrderFactory } from "./order-factory";
import type { RestOrderPayload } from "./order-payload";
import type { SandboxStore } from "./store";
import type { CostBucket } from "./throttle";
import type { FlowStandIn } from "./flow";
import type { DeliveryResult, WebhookSender } from "./webhook-sender";

export interface ControlApiDeps {
  store: SandboxStore;
  webhooks: WebhookSender;
  factory(shop: string, seed?: number | string): OrderFactory;
  bucket(shop: string): CostBucket;
  flow?: FlowStandIn;
}

type Body = Record<string, unknown>;

export function createControlApi(deps: ControlApiDeps) {
  const shopOf = (body: Body, url: URL) => String(body.shop ?? url.searchParams.get("shop") ?? [...deps.store.shops.keys()][0] ?? "");
  const summary = (r: DeliveryResult) => ({ eventId: r.eventId, webhookIds: r.webhookIds, statuses: r.attempts.map((a) => a.status), ok: r.ok });
  const deliverOrder = async (shop: string, topic: string, payload: RestOrderPayload) =>
    summary(await deps.webhooks.deliver({ shop, topic, payload }));

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const text = req.method === "POST" ? await readBody(req) : "";
    let body: Body;
    try {
      body = text ? (JSON.parse(text) as Body) : {};
    } catch {
      return sendJson(res, 400, { error: "body must be JSON" });
    }
    const shop = shopOf(body, url);
    if (!deps.store.findShop(shop)) return sendJson(res, 404, { error: `unknown shop ${shop}` });
    const deliver = body.deliver !== false;
    const path = url.pathname.replace(/^\/_sandbox/, "");
    const orderAction = /^\/orders\/([^/]+)\/(cancel|update)$/.exec(path);

    if (req.method === "POST" && path === "/orders") {
      const count = Math.min(Math.max(Number(body.count ?? 1), 1), 10_000);
      const orders = deps.factory(shop, body.seed as number | string | undefined).createMany(count);
      const deliveries = [];
      if (deliver) for (const o of orders) deliveries.push(await deliverOrder(shop, "orders/create", o));
      return sendJson(res, 201, { orders: orders.map((o) => ({ id: o.id, admin_graphql_api_id: o.admin_graphql_api_id, name: o.name })), deliveries });
    }
    if (req.method === "POST" && orderAction) {
      const id = parseGid(decodeURIComponent(orderAction[1]))?.id;
      if (id === undefined || !deps.store.shop(shop).orders.has(id)) return sendJson(res, 404, { error: "unknown order" });
      const deliveries = [];
      if (orderAction[2] === "cancel") {
        const payload = cancelOrder(deps.store, shop, id, (body.reason as "customer") ?? "customer");
        if (deliver) deliveries.push(await deliverOrder(shop, "orders/cancelled", payload), await deliverOrder(shop, "orders/updated", payload));
        return sendJson(res, 200, { order: payload, deliveries });
      }
      const payload = updateOrder(deps.store, shop, id, {
        note: body.note as string | undefined, tags: body.tags as string | undefined, email: body.email as string | undefined,
      });
      if (deliver) deliveries.push(await deliverOrder(shop, "orders/updated", payload));
      return sendJson(res, 200, { order: payload, deliveries });
    }
    if (req.method === "POST" && path === "/webhooks") {
      if (typeof body.topic !== "string") return sendJson(res, 400, { error: "topic is required" });
      const result = await deps.webhooks.deliver({
        shop, topic: body.topic, payload: body.payload ?? {}, uri: body.uri as string | undefined,
        copies: body.copies as number | undefined, hmac: body.hmac as "valid" | undefined,
      });
      return sendJson(res, 200, summary(result));
    }
    if (req.method === "POST" && path === "/tokens") {
      return sendJson(res, 201, { access_token: deps.store.issueToken(shop, { scope: String(body.scope ?? "") }).token });
    }
    if (req.method === "GET" && path === "/state") {
      const s = deps.store.shop(shop);
      return sendJson(res, 200, {
        shop, locations: s.locations.length, variants: s.variants.length, orders: s.orders.size,
        fulfillmentOrders: s.fulfillmentOrders.size, throttleStatus: deps.bucket(shop).status(),
      });
    }
    if (req.method === "GET" && path === "/webhook-log") return sendJson(res, 200, { attempts: deps.webhooks.log });
    // Shopify Flow (flow.ts): what the app triggered, workflows to run on a trigger, an action run against the app.
    const flowAction = /^\/flow\/actions\/([a-z0-9-]+)$/.exec(path);
    if (deps.flow && req.method === "GET" && path === "/flow/triggers") return sendJson(res, 200, { triggers: deps.flow.triggers.filter((t) => t.shop === shop) });
    if (deps.flow && req.method === "GET" && path === "/flow/runs") return sendJson(res, 200, { runs: deps.flow.runs.filter((r) => r.shop === shop) });
    if (deps.flow && req.method === "POST" && path === "/flow/workflows") {
      if (typeof body.trigger !== "string" || typeof body.action !== "string") return sendJson(res, 400, { error: "trigger and action are required" });
      const properties = body.properties && typeof body.properties === "object" ? (body.properties as Record<string, unknown>) : {};
      return sendJson(res, 201, { workflow: deps.flow.addWorkflow({ shop, trigger: body.trigger, action: body.action, properties }) });
    }
    if (deps.flow && req.method === "POST" && flowAction) {
      const properties = body.properties && typeof body.properties === "object" ? (body.properties as Record<string, unknown>) : {};
      const run = await deps.flow.runAction({ shop, handle: flowAction[1], properties, actionRunId: typeof body.actionRunId === "string" ? body.actionRunId : undefined });
      return sendJson(res, 200, { run });
    }
    return sendJson(res, 404, { error: "Not Found" });
  };
}

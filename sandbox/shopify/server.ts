// The Shopify stand-in: one node:http server on 127.0.0.1 serving the Admin GraphQL API, token
// exchange, the stand-in admin page with its App Bridge script, session tokens, the storefront's app proxy
// (/apps/orders), /healthz and the /_sandbox control API. Webhooks go out to the app through `webhooks`.
import { FlowStandIn } from "./flow";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createAdminPageHandlers } from "./admin-page";
import { APP_PROXY_PREFIX, createAppProxyHandler } from "./app-proxy";
import { createControlApi } from "./control-api";
import { demoShopSeed, type SandboxShopSeed } from "./demo-catalog";
import { createGraphqlHandler } from "./graphql-handler";
import { sendJson } from "./http-util";
import { orderFactory, type OrderFactory } from "./order-factory";
import { durableIdCounter, loadStoreState, persistStore } from "./persistence";
import { mintSessionToken, type MintSessionTokenOptions } from "./session-token";
import { SandboxStore } from "./store";
import { createTokenExchangeHandler } from "./token-exchange";
import { WebhookSender } from "./webhook-sender";

export const DEFAULT_SCOPES =
  "read_orders,write_orders,read_products,read_locations,read_inventory,write_inventory," +
  "read_assigned_fulfillment_orders,write_assigned_fulfillment_orders," +
  "read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders,read_fulfillments";

export interface StartShopifySandboxOptions {
  /** 0 (default) = a free port. Always binds 127.0.0.1. */
  port?: number;
  apiKey: string;
  apiSecret: string;
  /** Where webhooks and the admin iframe go, e.g. http://127.0.0.1:3000. */
  appUrl: string;
  apiVersion?: string;
  /** Initial shops; default one demoShopSeed(). */
  shops?: SandboxShopSeed[];
  /** Leaky bucket per shop; default 2000 points, 100 per second. */
  throttle?: { maximumAvailable: number; restoreRate: number };
  scopes?: string;
  /** Clock for timestamps, token expiry and the bucket (tests). */
  now?: () => Date;
  /**
   * Keep the stand-in's state here (the demo: beside its database): ids never handed out twice, and
   * shops, orders and tokens restored on the next start (persistence.ts). Default: in memory only.
   */
  dataDir?: string;
}

export interface ShopifySandbox {
  url: string;
  port: number;
  store: SandboxStore;
  webhooks: WebhookSender;
  /** Shopify Flow: triggers received, stored workflows, action runs against the app (flow.ts). */
  flow: FlowStandIn;
  /** A seeded order factory per shop and seed (created on first use). */
  orders(shop?: string, seed?: number | string): OrderFactory;
  mintSessionToken(shop: string, opts?: MintSessionTokenOptions): string;
  /** Issues an offline access token directly (skipping token exchange). */
  issueAccessToken(shop: string): string;
  close(): Promise<void>;
}

export async function startShopifySandbox(opts: StartShopifySandboxOptions): Promise<ShopifySandbox> {
  const stateFile = opts.dataDir ? path.join(opts.dataDir, "shopify-state.json") : undefined;
  const store = new SandboxStore({ now: opts.now, newId: opts.dataDir ? durableIdCounter(path.join(opts.dataDir, "shopify-ids.json")) : undefined });
  const restored = stateFile ? loadStoreState(store, stateFile) : [];
  for (const seed of opts.shops ?? [demoShopSeed()]) if (!restored.includes(seed.domain)) store.addShop(seed);
  const persistence = stateFile ? persistStore(store, stateFile) : undefined;
  const apiVersion = opts.apiVersion ?? "2026-01";
  const scopes = opts.scopes ?? DEFAULT_SCOPES;
  const webhooks = new WebhookSender({ appUrl: opts.appUrl, apiSecret: opts.apiSecret, apiVersion });
  const factories = new Map<string, OrderFactory>();
  const orders = (shop = [...store.shops.keys()][0], seed: number | string = 1) => {
    const key = `${shop}\u0000${seed}`;
    if (!factories.has(key)) factories.set(key, orderFactory(store, shop, seed));
    return factories.get(key)!;
  };
  const graphql = createGraphqlHandler({ store, throttle: opts.throttle });
  const tokenExchange = createTokenExchangeHandler({ store, apiKey: opts.apiKey, apiSecret: opts.apiSecret, scopes });
  const admin = createAdminPageHandlers({ store, apiKey: opts.apiKey, apiSecret: opts.apiSecret, appUrl: opts.appUrl });
  const flow = new FlowStandIn({ store, appUrl: opts.appUrl, apiSecret: opts.apiSecret });
  const control = createControlApi({ store, webhooks, factory: orders, bucket: graphql.bucket, flow });
  const appProxy = createAppProxyHandler({ store, apiSecret: opts.apiSecret, appUrl: opts.appUrl });

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    const graphqlPath = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/.exec(url.pathname);
    if (graphqlPath) return graphql(req, res, graphqlPath[1]);
    if (url.pathname === "/admin/oauth/access_token") return tokenExchange(req, res);
    if (url.pathname === "/admin/apps" && req.method === "GET") return admin.page(req, res, url);
    if (url.pathname === "/app-bridge.js" && req.method === "GET") return admin.appBridge(req, res);
    if (url.pathname === "/admin/session-token") return admin.sessionToken(req, res);
    if (url.pathname === "/healthz") return sendJson(res, 200, { ok: true, shops: [...store.shops.keys()] });
    if (url.pathname.startsWith("/_sandbox/")) return control(req, res, url);
    // The storefront's app proxy (https://{shop}/apps/orders → the app's /proxy, signed).
    if (url.pathname === APP_PROXY_PREFIX || url.pathname.startsWith(`${APP_PROXY_PREFIX}/`)) return appProxy(req, res, url);
    return sendJson(res, 404, { errors: "Not Found" });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: `sandbox error: ${(error as Error).message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    webhooks,
    flow,
    orders,
    mintSessionToken: (shop, tokenOpts) => mintSessionToken(opts, shop, { now: store.now(), ...tokenOpts }),
    issueAccessToken: (shop) => store.issueToken(shop, { scope: scopes }).token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          persistence?.stop(); // the last, clean snapshot once no request can change the store
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

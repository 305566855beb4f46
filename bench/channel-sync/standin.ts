import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startShopifySandbox } from "../../sandbox/shopify/server";
import { benchShopSeed } from "./catalog";

// The Shopify stand-in of the channel-sync bench in a process of its own, as Shopify is: its GraphQL parsing,
// validation and cost accounting do not take the app's event loop. The parent (measure.ts) starts it with
// `startStandIn`, gets its URL and an offline token per shop, and at the end asks it what safety_stock each level of
// a shop holds (the stand-in's own figures, to check the answers the app saw against). Plan budget: a bucket of
// 2,000 points refilled at 100 a second per shop (Shopify's standard plan; the stand-in's default, stated here).

export const BUDGET = { maximumAvailable: 2_000, restoreRate: 100 };

export interface StandInShop {
  domain: string;
  slot: number;
}

export interface StandIn {
  url: string;
  tokens: Record<string, string>;
  /** safety_stock per level of the shop: `gid://shopify/InventoryItem/…|gid://shopify/Location/…` → units. */
  safetyStock(domain: string): Promise<Map<string, number>>;
  close(): Promise<void>;
}

type Message = { type: "ready"; url: string; tokens: Record<string, string> } | { type: "safety"; domain: string; levels: [string, number][] };

export function startStandIn(shops: StandInShop[]): Promise<StandIn> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_STANDIN_SHOPS: JSON.stringify(shops) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const waiting = new Map<string, (levels: Map<string, number>) => void>();
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the Shopify stand-in exited with ${code} before it was ready`)));
    child.on("message", (m: Message) => {
      if (m.type === "safety") waiting.get(m.domain)?.(new Map(m.levels));
      if (m.type !== "ready") return;
      child.removeAllListeners("exit");
      resolve({
        url: m.url,
        tokens: m.tokens,
        safetyStock: (domain) => new Promise((done) => {
          waiting.set(domain, done);
          child.send({ type: "safety", domain });
        }),
        close: () => new Promise<void>((done) => {
          child.once("exit", () => done());
          child.send({ type: "close" });
        }),
      });
    });
  });
}

// The child: serve the shops until told to close.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const shops = JSON.parse(process.env.BENCH_STANDIN_SHOPS ?? "[]") as StandInShop[];
  const sandbox = await startShopifySandbox({ port: 0, apiKey: "sync-push-bench-key", apiSecret: "sync-push-bench-secret", appUrl: "http://127.0.0.1:1", shops: shops.map((s) => benchShopSeed(s.domain, s.slot)), throttle: BUDGET });
  process.on("disconnect", () => process.exit(0)); // the bench went away
  process.on("message", async (m: { type: string; domain?: string }) => {
    if (m.type === "safety" && m.domain) {
      const shop = sandbox.store.shop(m.domain);
      const levels: [string, number][] = [...shop.levels.values()].map((l) => [`gid://shopify/InventoryItem/${l.inventoryItemId}|gid://shopify/Location/${l.locationId}`, l.quantities.safety_stock]);
      process.send!({ type: "safety", domain: m.domain, levels });
    }
    if (m.type === "close") {
      await sandbox.close();
      process.exit(0);
    }
  });
  process.send!({ type: "ready", url: sandbox.url, tokens: Object.fromEntries(shops.map((s) => [s.domain, sandbox.issueAccessToken(s.domain)])) });
}

import { createHmac } from "node:crypto";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { toExactJson } from "../../sandbox/shopify/exact-json";
import { orderFactory } from "../../sandbox/shopify/order-factory";
import { SandboxStore } from "../../sandbox/shopify/store";

// Pre-built, pre-signed orders/create bodies for the intake bench: realistic Shopify REST payloads
// (~7.6 KB, 1–4 lines) from the sandbox order factory, each with its own 64-bit order id.
// The factory costs ~0.7 ms per order, too slow for tens of thousands, so it makes a few hundred
// templates and every body is a template with a fresh order id written into it (ids are above 2^53,
// as Shopify's are). All hashing happens here, before anything is timed.

export interface SignedPool {
  bodies: Buffer[];
  /** base64 HMAC-SHA256 of bodies[i] with the app secret: X-Shopify-Hmac-Sha256. */
  hmacs: string[];
}

/** Above the sandbox's own ids (5e18…), below 2^63. */
const ORDER_ID_BASE = 8_000_000_000_000_000_000n;

/** The Shopify order id carried by pool entry i (as stored: a legacy numeric string). */
export function orderIdOf(i: number): string {
  return (ORDER_ID_BASE + BigInt(i)).toString();
}

export function buildSignedPool(opts: { count: number; shop: string; secret: string; templates?: number }): SignedPool {
  const store = new SandboxStore();
  store.addShop(demoShopSeed(opts.shop));
  const factory = orderFactory(store, opts.shop, "intake-bench");
  // Each template split around its order id, so a new body is one join.
  const templates = factory.createMany(opts.templates ?? 300).map((order) => {
    const parts = toExactJson(order).split(order.id.toString());
    if (parts.length < 2) throw new Error("order id not found in its own payload");
    return parts;
  });

  const bodies: Buffer[] = new Array(opts.count);
  const hmacs: string[] = new Array(opts.count);
  for (let i = 0; i < opts.count; i++) {
    const body = Buffer.from(templates[i % templates.length].join(orderIdOf(i)), "utf8");
    bodies[i] = body; // Buffers live off the V8 heap: less GC work in the load generator
    hmacs[i] = createHmac("sha256", opts.secret).update(body).digest("base64");
  }
  return { bodies, hmacs };
}

import { z } from "zod";

// Shopify Flow action requests (ADR 0031), read without I/O: the body Flow POSTs to an action's runtime_url
// (extensions/flow-action-<handle>/shopify.extension.toml), and each action's properties — the keys are the field
// keys its TOML declares (an order_reference arrives as `order_id`).

export const FLOW_ACTIONS = ["reroute-order", "set-channel-buffer", "hold-fulfillment", "release-fulfillment", "create-cycle-count"] as const;
export type FlowActionHandle = (typeof FLOW_ACTIONS)[number];
export const isFlowAction = (value: string): value is FlowActionHandle => (FLOW_ACTIONS as readonly string[]).includes(value);

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

const requestSchema = z.object({
  shop_id: z.union([z.number(), z.string()]).nullable().optional(),
  shopify_domain: z.string().regex(SHOP_DOMAIN).optional(),
  shop_domain: z.string().regex(SHOP_DOMAIN).optional(),
  action_run_id: z.string().min(1).max(200),
  action_definition_id: z.string().optional(),
  handle: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).default({}),
});

export interface FlowActionRequest {
  shopDomain: string;
  actionRunId: string;
  properties: Record<string, unknown>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const problemsOf = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");

/** The verified body's envelope: the shop (Flow's `shopify_domain`), the run id, the properties. */
export function parseFlowActionRequest(body: unknown): Parsed<FlowActionRequest> {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, problem: problemsOf(parsed.error) };
  const shopDomain = parsed.data.shopify_domain ?? parsed.data.shop_domain;
  if (!shopDomain) return { ok: false, problem: "shopify_domain: required" };
  return { ok: true, value: { shopDomain: shopDomain.toLowerCase(), actionRunId: parsed.data.action_run_id, properties: parsed.data.properties } };
}

/** Shopify's numeric id from a number, a numeric string or a gid of `type`. */
export function legacyId(value: unknown, type: string): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value !== "string") return null;
  const m = new RegExp(`^(?:gid://shopify/${type}/)?(\\d{1,20})$`).exec(value.trim());
  return m ? m[1] : null;
}

const optionalText = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().max(200).optional());

const rerouteSchema = z.object({ order_id: z.unknown(), "Exclude location": optionalText, Reason: optionalText });
export interface RerouteProperties {
  shopifyOrderId: string;
  excludeLocation: string | null;
  reason: string | null;
}

export function parseRerouteProperties(properties: Record<string, unknown>): Parsed<RerouteProperties> {
  const parsed = rerouteSchema.safeParse(properties);
  if (!parsed.success) return { ok: false, problem: problemsOf(parsed.error) };
  const orderId = legacyId(parsed.data.order_id, "Order");
  if (!orderId) return { ok: false, problem: "order_id: a Shopify order id (number or gid://shopify/Order/…) is required" };
  return { ok: true, value: { shopifyOrderId: orderId, excludeLocation: parsed.data["Exclude location"] ?? null, reason: parsed.data.Reason ?? null } };
}

const bufferSchema = z.object({
  Channel: z.string().trim().min(1).max(200),
  SKU: optionalText,
  "Buffer units": z.preprocess((v) => (typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v), z.number().int().min(0).max(1_000_000)),
});
export interface BufferProperties {
  channel: string;
  sku: string | null;
  units: number;
}

export function parseBufferProperties(properties: Record<string, unknown>): Parsed<BufferProperties> {
  const parsed = bufferSchema.safeParse(properties);
  if (!parsed.success) return { ok: false, problem: problemsOf(parsed.error) };
  return { ok: true, value: { channel: parsed.data.Channel, sku: parsed.data.SKU ?? null, units: parsed.data["Buffer units"] } };
}

const holdSchema = z.object({ order_id: z.unknown(), Reason: optionalText });
export interface HoldProperties {
  shopifyOrderId: string;
  reason: string | null;
}

/** hold-fulfillment and release-fulfillment: the order (order_reference), and a reason kept on the order. */
export function parseHoldProperties(properties: Record<string, unknown>): Parsed<HoldProperties> {
  const parsed = holdSchema.safeParse(properties);
  if (!parsed.success) return { ok: false, problem: problemsOf(parsed.error) };
  const orderId = legacyId(parsed.data.order_id, "Order");
  if (!orderId) return { ok: false, problem: "order_id: a Shopify order id (number or gid://shopify/Order/…) is required" };
  return { ok: true, value: { shopifyOrderId: orderId, reason: parsed.data.Reason ?? null } };
}

const cycleCountSchema = z.object({ Location: z.string().trim().min(1).max(200), Bin: optionalText, SKU: optionalText });
export interface CycleCountProperties {
  location: string;
  bin: string | null;
  sku: string | null;
}

/** create-cycle-count: the location (name or id), and a bin (its code) or a SKU — at least one. */
export function parseCycleCountProperties(properties: Record<string, unknown>): Parsed<CycleCountProperties> {
  const parsed = cycleCountSchema.safeParse(properties);
  if (!parsed.success) return { ok: false, problem: problemsOf(parsed.error) };
  const bin = parsed.data.Bin?.trim() || null;
  const sku = parsed.data.SKU?.trim() || null;
  if (!bin && !sku) return { ok: false, problem: "Bin or SKU: name the bin (its code) or the SKU to count" };
  return { ok: true, value: { location: parsed.data.Location, bin, sku } };
}

/** Any action's properties, by its handle (the extension test checks every TOML against these). */
export function parseFlowActionProperties(handle: FlowActionHandle, properties: Record<string, unknown>): Parsed<unknown> {
  switch (handle) {
    case "reroute-order":
      return parseRerouteProperties(properties);
    case "set-channel-buffer":
      return parseBufferProperties(properties);
    case "hold-fulfillment":
    case "release-fulfillment":
      return parseHoldProperties(properties);
    case "create-cycle-count":
      return parseCycleCountProperties(properties);
  }
}

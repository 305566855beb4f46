import { z } from "zod";
import { documentLines, positiveLineQuantity } from "../shared/bounded-input";
import { MAX_MONEY_MINOR, MAX_SKU_LENGTH } from "../shared/limits";
import type { ChannelOrder, ShipTo } from "./channel-order";

// An order posted to the API (POST /api/v1/orders) by an ERP or an integration: a manual or wholesale order.
// The schema says what the body may hold (types, sizes); `checkApiOrder` the rules that need the shop's catalog
// (every SKU known, one id per line, a total that fits), all listed at once; `toChannelOrder` maps it into the
// shape every channel's order takes, so it goes through the one ingestion path (reserved the moment it lands).

export const API_ORDER_CHANNELS = ["manual", "wholesale"] as const;
export type ApiOrderChannel = (typeof API_ORDER_CHANNELS)[number];

/** An id as an ERP prints it (order or line number): safe in a query string. */
export const EXTERNAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:#/-]{0,63}$/;
const externalId = () => z.string().regex(EXTERNAL_ID, "1–64 letters, digits or . _ : # / -, starting with a letter or digit");
const isoTime = () =>
  z
    .string()
    .max(40)
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, "an ISO 8601 time with its zone (2026-11-20T10:00:00Z)")
    .refine((v) => !Number.isNaN(Date.parse(v)), "not a real time");
const money = () => z.number().int("whole minor units (cents)").min(0).max(MAX_MONEY_MINOR, `more than the limit of ${MAX_MONEY_MINOR}`);
const text = (max: number) => z.string().max(max);

const shipToSchema = z
  .object({
    name: text(200).optional(),
    address1: text(200).optional(),
    city: text(120).optional(),
    province: text(120).optional(),
    countryCode: z.string().regex(/^[A-Z]{2}$/, "a two-letter ISO 3166 code (US)").optional(),
    zip: text(20).optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  })
  .strict();

const lineSchema = z
  .object({
    /** The line's id in the client's system; default its position (1, 2, …). */
    externalId: externalId().optional(),
    sku: z.string().min(1).max(MAX_SKU_LENGTH),
    title: text(255).optional(),
    quantity: positiveLineQuantity(),
    /** Unit price in minor units; default 0 (a wholesale order may be invoiced elsewhere). */
    priceMinor: money().optional(),
  })
  .strict();

export const apiOrderSchema = z
  .object({
    /** The kind of channel it comes in on; default manual. */
    channel: z.enum(API_ORDER_CHANNELS).optional(),
    /** A specific channel of the shop (a wholesale buyer's own); default the shop's oldest of the kind. */
    channelId: z.string().min(1).max(64).optional(),
    /** The order's id in the client's system: its natural key (posting it again answers the same order). */
    externalId: externalId().optional(),
    name: z.string().min(1).max(120).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, "a three-letter ISO 4217 code (USD)").optional(),
    placedAt: isoTime().optional(),
    promisedBy: isoTime().optional(),
    financialStatus: text(40).optional(),
    email: z.string().email().max(254).optional(),
    phone: text(40).optional(),
    customer: z.object({ externalId: text(64).optional(), name: text(200).optional() }).strict().optional(),
    shipTo: shipToSchema.optional(),
    shippingMethod: text(120).optional(),
    /** Default: Σ quantity × priceMinor. */
    totalMinor: money().optional(),
    lines: documentLines(lineSchema).min(1, "an order needs at least one line"),
  })
  .strict();

export type ApiOrderInput = z.output<typeof apiOrderSchema>;

/** Every problem of a body, as `path: message` (the body itself is "(body)"). */
export function schemaProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
}

/** The id of each line: its own, or its position. */
export function lineExternalIds(input: Pick<ApiOrderInput, "lines">): string[] {
  return input.lines.map((l, i) => l.externalId ?? String(i + 1));
}

function computedTotal(input: ApiOrderInput): number {
  return input.lines.reduce((sum, l) => sum + l.quantity * (l.priceMinor ?? 0), 0);
}

/**
 * What the shop's catalog refuses in an order that parsed, every problem at once: a SKU no variant of the shop
 * has, a line id given twice, a total past the limit. `knownSkus`: the SKUs of the order the shop has.
 */
export function checkApiOrder(input: ApiOrderInput, knownSkus: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  lineExternalIds(input).forEach((id, i) => {
    const first = seen.get(id);
    if (first !== undefined) problems.push(`lines.${i}.externalId: ${id} is also line ${first}'s id`);
    else seen.set(id, i);
  });
  input.lines.forEach((l, i) => {
    if (!knownSkus.has(l.sku)) problems.push(`lines.${i}.sku: no product variant of this shop has SKU ${l.sku}`);
  });
  if (input.totalMinor === undefined && computedTotal(input) > MAX_MONEY_MINOR) problems.push(`totalMinor: the lines add up to more than the limit of ${MAX_MONEY_MINOR}`);
  return problems;
}

/**
 * The order as every channel's is stored. `placedAt` when the body names none (the time the API first took it);
 * `updatedAt` is `placedAt`: the API only creates, so taking the same order in again is never newer than it.
 */
export function toChannelOrder(input: ApiOrderInput, ids: { externalId: string }, defaults: { currency: string; placedAt: Date }): ChannelOrder {
  const placedAt = new Date(input.placedAt ? Date.parse(input.placedAt) : defaults.placedAt.getTime()).toISOString();
  const lineIds = lineExternalIds(input);
  const s = input.shipTo;
  const shipTo: ShipTo | null = s
    ? { name: s.name ?? null, address1: s.address1 ?? null, city: s.city ?? null, province: s.province ?? null, countryCode: s.countryCode ?? null, zip: s.zip ?? null, latitude: s.latitude ?? null, longitude: s.longitude ?? null }
    : null;
  return {
    externalId: ids.externalId,
    name: input.name ?? ids.externalId,
    currency: input.currency ?? defaults.currency,
    totalMinor: input.totalMinor ?? computedTotal(input),
    financialStatus: input.financialStatus ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    customerExternalId: input.customer?.externalId ?? null,
    customerName: input.customer?.name ?? s?.name ?? null,
    shipTo,
    placedAt,
    updatedAt: placedAt,
    cancelledAt: null,
    lines: input.lines.map((l, i) => ({ externalId: lineIds[i], sku: l.sku, variantExternalId: null, title: l.title ?? l.sku, quantity: l.quantity, priceMinor: l.priceMinor ?? 0 })),
    shippingMethod: input.shippingMethod ?? null,
    promisedBy: input.promisedBy ? new Date(input.promisedBy).toISOString() : null,
  };
}

/**
 * The request as a stable text (keys sorted at every level, the channel it resolved to included), for the
 * idempotency fingerprint: the same order sent with its keys in another order is the same request.
 */
export function canonicalRequest(input: ApiOrderInput, channelId: string): string {
  return stableJson({ ...input, channel: undefined, channelId });
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

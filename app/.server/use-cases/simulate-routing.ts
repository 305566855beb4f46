import { defaultPolicy, parsePolicy, policySchema, type RoutingPolicy } from "~/domain/routing-policy/policy";
import { DEFAULT_SIMULATION_ORDERS, inPlacedOrder, MAX_SIMULATION_ORDERS, startComparison, type SimulationLocation, type SimulationComparison, type SimulationOrder } from "~/domain/routing-policy/simulate";
import { available } from "~/domain/inventory/availability";
import { levelsOfVariants, listLocations } from "../db/catalog";
import { database } from "../db/database";
import { ordersForReplay, type ReplayLine } from "../db/orders";
import { getActive, getDraft } from "../db/routing-rules";

/** Route this long, then let the event loop breathe (webhooks and the hot path keep flowing). */
const SLICE_MS = 25;

export interface SimulateRoutingRequest {
  orders?: number;
  /** The policy to try; the shop's saved draft when omitted. */
  draft?: RoutingPolicy;
  withinDays?: number;
}

export type SimulateRoutingResult =
  | ({ ok: true } & SimulationComparison)
  | { ok: false; code: "ROUTING.NO_DRAFT"; message: string };

/**
 * Replay the shop's last N orders under the draft and under the live policy, side by side. Stock starts
 * from today's available units plus what the replayed orders hold now (they must not compete with
 * themselves); each policy then depletes its own copy in placedAt order. Nothing is written.
 */
export async function simulateRouting(shopId: string, request: SimulateRoutingRequest = {}): Promise<SimulateRoutingResult> {
  const started = Date.now();
  const take = Math.min(Math.max(Math.floor(request.orders ?? DEFAULT_SIMULATION_ORDERS), 1), MAX_SIMULATION_ORDERS);
  const [active, saved] = await Promise.all([getActive(database(), shopId), request.draft ? null : getDraft(database(), shopId)]);
  const draft = request.draft ?? saved?.policy ?? null;
  if (!draft) return { ok: false, code: "ROUTING.NO_DRAFT", message: saved ? `The saved draft is invalid: ${saved.error}` : "There is no saved draft: save one, or send `draft` in the request." };
  const current = active?.policy ?? defaultPolicy();

  const { orders, locations } = await loadNetwork(shopId, take);
  const comparison = startComparison(locations, { current, draft }, { withinDays: request.withinDays });
  let slice = Date.now();
  for (const order of orders) {
    comparison.routeNext(order);
    if (Date.now() - slice > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = Date.now();
    }
  }
  const result = comparison.result();
  return { ok: true, orders: orders.length, ...result, sources: { current: active?.policy ? "active" : "default", draft: request.draft ? "given" : "saved" }, elapsedMs: Date.now() - started };
}

export interface PolicyIssue {
  path: string;
  message: string;
}

/** parsePolicy decides; the schema's issues (with paths) let the page put each message on its field. */
export function validateDraftPolicy(input: unknown, locationIds: Set<string>): { ok: true; policy: RoutingPolicy } | { ok: false; error: string; issues: PolicyIssue[] } {
  const parsed = parsePolicy(input);
  if (!parsed.ok) {
    const detail = policySchema.safeParse(input);
    const issues = detail.success ? [{ path: "", message: parsed.error }] : detail.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return { ok: false, error: parsed.error, issues };
  }
  const issues: PolicyIssue[] = [];
  parsed.policy.rules.forEach((rule, i) => {
    if ((rule.type === "exclude_locations" || rule.type === "prefer_locations") && rule.ids.length === 0) issues.push({ path: `rules.${i}.ids`, message: "choose at least one location" });
    const unknown = "ids" in rule ? rule.ids.filter((id) => !locationIds.has(id)) : [];
    if (unknown.length > 0) issues.push({ path: `rules.${i}.ids`, message: `not a location of this shop: ${unknown.join(", ")}` });
  });
  if (issues.length > 0) return { ok: false, error: issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues };
  return parsed;
}

// As live routing sees it: only a line matched to a variant can hold stock.
const skuOf = (line: Pick<ReplayLine, "id" | "variant">) => line.variant?.sku ?? `unknown-line:${line.id}`;

/** The last `take` orders (not cancelled) in placedAt order, and the network as the replay starts it. */
async function loadNetwork(shopId: string, take: number): Promise<{ orders: SimulationOrder[]; locations: SimulationLocation[] }> {
  const q = database();
  const [rows, allLocations] = await Promise.all([ordersForReplay(q, shopId, take), listLocations(q, shopId)]);
  const locationRows = allLocations.filter((l) => l.active && l.latitude !== null && l.longitude !== null).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const variantIds = [...new Set(rows.flatMap((o) => o.lines.map((l) => l.variantId)).filter((v): v is string => Boolean(v)))];
  const levels = await levelsOfVariants(q, shopId, variantIds);
  const stock = new Map<string, Record<string, number>>(locationRows.map((l) => [l.id, {}]));
  const add = (locationId: string, sku: string, quantity: number) => {
    const bucket = stock.get(locationId);
    if (bucket) bucket[sku] = (bucket[sku] ?? 0) + quantity;
  };
  for (const level of levels) add(level.locationId, level.sku, available(level));
  // Give back what the replayed orders hold now: in the replay they compete for it again.
  for (const order of rows) for (const line of order.lines) for (const a of line.allocations) if (a.locationId) add(a.locationId, skuOf(line), a.quantity);
  for (const bucket of stock.values()) for (const sku of Object.keys(bucket)) bucket[sku] = Math.max(0, bucket[sku]);

  const locations: SimulationLocation[] = locationRows.map((l) => ({
    id: l.id, name: l.name, latitude: l.latitude!, longitude: l.longitude!, stock: stock.get(l.id)!,
    dailyCapacity: l.dailyCapacity, carrierCutoff: l.carrierCutoff, timezone: l.timezone, handlingCostMinor: l.handlingCostMinor,
  }));
  const n = Math.max(locations.length, 1);
  const centre = { latitude: locations.reduce((s, l) => s + l.latitude, 0) / n, longitude: locations.reduce((s, l) => s + l.longitude, 0) / n };
  const orders = rows.map((o) => ({
    id: o.id,
    placedAt: o.placedAt,
    promisedBy: o.promisedBy,
    // Without coordinates, cost from the middle of the network, as live routing does.
    destination: o.shipLatitude !== null && o.shipLongitude !== null ? { latitude: o.shipLatitude, longitude: o.shipLongitude, countryCode: o.shipCountryCode ?? undefined, zip: o.shipZip ?? undefined } : centre,
    lines: o.lines.filter((l) => l.quantity > 0).map((l) => ({ lineId: l.id, sku: skuOf(l), quantity: l.quantity, weightGrams: l.variant?.weightGrams || 500 })),
  }));
  return { orders: inPlacedOrder(orders), locations };
}

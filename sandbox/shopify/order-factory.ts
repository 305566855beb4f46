// Creates realistic orders in the store (seeded: customers, US addresses across regions, 1–4 lines,
// quantities mostly 1–2) and returns Shopify's REST webhook payloads for orders/create,
// orders/updated and orders/cancelled.
import { buildOrderPayload, formatInZone, type RestAddress, type RestOrderPayload } from "./order-payload";
import { createRng, type Rng } from "./prng";
import type { SandboxStore, ShopState } from "./store";

const FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas", "Mia", "Mateo",
  "Amelia", "Ethan", "Harper", "Aiden", "Camila", "Daniel", "Priya", "Kenji", "Fatima", "Diego", "Grace", "Marcus",
  "Chloe", "Andre", "Nora", "Samuel", "Leah", "Omar"];
const LAST = ["Smith", "Johnson", "Garcia", "Nguyen", "Brown", "Martinez", "Davis", "Lopez", "Wilson", "Anderson", "Kim",
  "Thomas", "Patel", "Moore", "Jackson", "Okafor", "Lee", "Harris", "Clark", "Rivera", "Walker", "Young", "Chen",
  "Hall", "Allen", "Wright", "Scott", "Green", "Baker", "Adams"];
const STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Park Blvd", "Washington St", "Lake Rd", "Hillcrest Ave",
  "Elm St", "Sunset Blvd", "Broadway", "Pine St", "Highland Ave", "River Rd", "Church St"];
// [city, province, province code, zip, latitude, longitude]: spread over the Northeast, South, Midwest and West.
const CITIES: [string, string, string, string, number, number][] = [
  ["New York", "New York", "NY", "10001", 40.7506, -73.9972], ["Brooklyn", "New York", "NY", "11201", 40.694, -73.9903],
  ["Boston", "Massachusetts", "MA", "02116", 42.3496, -71.0746], ["Philadelphia", "Pennsylvania", "PA", "19103", 39.9523, -75.174],
  ["Baltimore", "Maryland", "MD", "21202", 39.2905, -76.6104], ["Washington", "District of Columbia", "DC", "20001", 38.9123, -77.0177],
  ["Pittsburgh", "Pennsylvania", "PA", "15222", 40.4469, -79.9901], ["Atlanta", "Georgia", "GA", "30303", 33.7525, -84.3915],
  ["Miami", "Florida", "FL", "33130", 25.767, -80.2044], ["Orlando", "Florida", "FL", "32801", 28.5421, -81.379],
  ["Charlotte", "North Carolina", "NC", "28202", 35.227, -80.8431], ["Nashville", "Tennessee", "TN", "37203", 36.149, -86.7923],
  ["Chicago", "Illinois", "IL", "60607", 41.8743, -87.6525], ["Detroit", "Michigan", "MI", "48226", 42.3316, -83.0478],
  ["Minneapolis", "Minnesota", "MN", "55401", 44.984, -93.27], ["Columbus", "Ohio", "OH", "43215", 39.965, -83.005],
  ["St. Louis", "Missouri", "MO", "63101", 38.6318, -90.1932], ["Houston", "Texas", "TX", "77002", 29.7566, -95.3621],
  ["Austin", "Texas", "TX", "78701", 30.2707, -97.7431], ["San Antonio", "Texas", "TX", "78205", 29.4241, -98.4898],
  ["Oklahoma City", "Oklahoma", "OK", "73102", 35.472, -97.52], ["Denver", "Colorado", "CO", "80202", 39.7525, -104.9995],
  ["Phoenix", "Arizona", "AZ", "85004", 33.451, -112.069], ["Salt Lake City", "Utah", "UT", "84101", 40.754, -111.9],
  ["Las Vegas", "Nevada", "NV", "89101", 36.1727, -115.1447], ["Los Angeles", "California", "CA", "90012", 34.0614, -118.2385],
  ["San Diego", "California", "CA", "92101", 32.7197, -117.1628], ["San Francisco", "California", "CA", "94103", 37.7725, -122.411],
  ["Portland", "Oregon", "OR", "97205", 45.52, -122.688], ["Seattle", "Washington", "WA", "98101", 47.611, -122.336],
  ["Boise", "Idaho", "ID", "83702", 43.615, -116.202], ["Albuquerque", "New Mexico", "NM", "87102", 35.084, -106.651],
];

export interface CreateOrderOptions {
  /** Creation time; default the store clock. */
  at?: Date;
  /** Exact lines instead of random ones. */
  lines?: Array<{ sku: string; quantity: number }>;
  financialStatus?: string;
  /** Shipping destination city (one of the built-in US cities), else random. */
  city?: string;
  /** Custom attributes (`note_attributes`), e.g. those a completed draft order carries over. */
  noteAttributes?: { name: string; value: string }[];
}

export interface OrderFactory {
  create(opts?: CreateOrderOptions): RestOrderPayload;
  createMany(count: number, opts?: Omit<CreateOrderOptions, "lines">): RestOrderPayload[];
}

/** A seeded order generator for one shop; successive calls give different but reproducible orders. */
export function orderFactory(store: SandboxStore, shopDomain: string, seed: number | string = 1): OrderFactory {
  const rng = createRng(`orders:${shopDomain}:${seed}`);
  const shop = store.shop(shopDomain);
  const factory: OrderFactory = {
    create: (opts = {}) => createOrder(store, shop, rng, opts),
    createMany: (count, opts = {}) => Array.from({ length: count }, () => factory.create(opts)),
  };
  return factory;
}

function createOrder(store: SandboxStore, shop: ShopState, rng: Rng, opts: CreateOrderOptions): RestOrderPayload {
  const firstName = rng.pick(FIRST);
  const lastName = rng.pick(LAST);
  const city = (opts.city && CITIES.find((c) => c[0] === opts.city)) || rng.pick(CITIES);
  const [cityName, province, provinceCode, zip, lat, lng] = city;
  const picked = opts.lines ?? randomLines(store, shop, rng);
  const lines = picked.map(({ sku, quantity }) => {
    const variant = store.variantBySku(shop, sku);
    if (!variant) throw new Error(`unknown SKU ${sku} in ${shop.domain}`);
    const product = store.product(shop, variant.productId)!;
    return {
      id: store.newId(), variantId: variant.id, productId: product.id, sku, productTitle: product.title,
      variantTitle: variant.title, vendor: product.vendor, price: variant.price, quantity, grams: variant.weightGrams,
    };
  });
  const subtotal = lines.reduce((s, l) => s + Number(l.price) * l.quantity, 0);
  const orderId = store.newId();
  const payload = buildOrderPayload({
    id: orderId, orderNumber: shop.nextOrderNumber++, shopDomain: shop.domain, shopId: shop.id, currency: shop.currencyCode,
    timezone: shop.ianaTimezone, createdAt: opts.at ?? store.now(), financialStatus: opts.financialStatus ?? "paid", noteAttributes: opts.noteAttributes,
    token: randomHex(rng, 32), shippingLineId: store.newId(), shippingPrice: subtotal >= 100 ? "0.00" : "6.95",
    customer: {
      id: store.newId(), addressId: store.newId(), firstName, lastName, phone: null, createdAt: opts.at ?? store.now(),
      email: `${firstName}.${lastName}${rng.int(1, 99)}@example.com`.toLowerCase(),
    },
    address: {
      company: null, address1: `${rng.int(10, 9899)} ${rng.pick(STREETS)}`, address2: rng.chance(0.2) ? `Apt ${rng.int(1, 40)}` : null,
      city: cityName, province, province_code: provinceCode, country: "United States", country_code: "US", zip,
      phone: null, latitude: jitter(rng, lat), longitude: jitter(rng, lng),
    },
    lines,
  });
  store.insertOrder(shop, payload);
  return payload;
}

/** 1–4 distinct SKUs that are in stock somewhere, quantities mostly 1–2. */
function randomLines(store: SandboxStore, shop: ShopState, rng: Rng): Array<{ sku: string; quantity: number }> {
  const inStock = shop.variants.filter((v) => store.levelsOfItem(shop, v.inventoryItemId).some((l) => l.quantities.available > 0));
  const pool = inStock.length > 0 ? inStock : shop.variants;
  const count = Math.min(pool.length, rng.weighted([1, 2, 3, 4], [50, 30, 13, 7]));
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(rng.pick(pool).sku);
  return [...chosen].map((sku) => ({ sku, quantity: rng.weighted([1, 2, 3, 4], [70, 22, 6, 2]) }));
}

/** Changes an order (note, tags, email, shipping address), bumps updated_at and returns the orders/updated payload. */
export function updateOrder(
  store: SandboxStore, shopDomain: string, orderId: bigint,
  patch: { note?: string | null; tags?: string; email?: string; shippingAddress?: Partial<RestAddress> },
): RestOrderPayload {
  const { shop, stored } = find(store, shopDomain, orderId);
  const p = stored.payload;
  if (patch.note !== undefined) p.note = patch.note;
  if (patch.tags !== undefined) p.tags = patch.tags;
  if (patch.email !== undefined) p.email = p.contact_email = patch.email;
  if (patch.shippingAddress && p.shipping_address) Object.assign(p.shipping_address, patch.shippingAddress);
  touch(store, shop, stored);
  return p;
}

/** Cancels an order like Shopify (restocks open fulfillment orders) and returns the orders/cancelled payload. */
export function cancelOrder(
  store: SandboxStore, shopDomain: string, orderId: bigint, reason: "customer" | "fraud" | "inventory" | "declined" | "other" = "customer",
): RestOrderPayload {
  const { shop, stored } = find(store, shopDomain, orderId);
  const p = stored.payload;
  if (p.cancelled_at) return p;
  const at = formatInZone(store.now(), shop.ianaTimezone);
  p.cancelled_at = at;
  p.cancel_reason = reason;
  p.closed_at = at;
  p.financial_status = p.financial_status === "paid" ? "refunded" : "voided";
  for (const fo of store.fulfillmentOrdersOf(shop, orderId)) {
    if (fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
    for (const line of fo.lineItems) store.commit(shop, line.inventoryItemId, fo.locationId, -line.remainingQuantity);
    fo.status = "CANCELLED";
    fo.updatedAt = store.nowIso();
  }
  touch(store, shop, stored);
  return p;
}

export function find(store: SandboxStore, shopDomain: string, orderId: bigint) {
  const shop = store.shop(shopDomain);
  const stored = shop.orders.get(orderId);
  if (!stored) throw new Error(`no order ${orderId} in ${shopDomain}`);
  return { shop, stored };
}

/** Bumps updated_at, always strictly later than before (so updated_at:> sync never misses a change). */
export function touch(store: SandboxStore, shop: ShopState, stored: { payload: RestOrderPayload; updatedAt: string }): void {
  let at = store.now();
  const previous = Date.parse(stored.updatedAt);
  if (at.getTime() <= previous) at = new Date(previous + 1000);
  stored.payload.updated_at = formatInZone(at, shop.ianaTimezone);
  stored.updatedAt = at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function jitter(rng: Rng, value: number): number {
  return Math.round((value + (rng.next() - 0.5) * 0.06) * 1e6) / 1e6;
}

function randomHex(rng: Rng, length: number): string {
  // Seeded, so a rerun with the same seed yields the same order tokens.
  let out = "";
  while (out.length < length) out += Math.floor(rng.next() * 16).toString(16);
  return out;
}

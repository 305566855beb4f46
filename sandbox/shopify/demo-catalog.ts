// Deterministic demo data for one shop: 3 US fulfillment locations and ~50 SKUs with uneven stock.
// Plain data only (no classes), so the app's own DB seed can import the same function and both
// sides agree on every id, SKU and quantity.
import { gid, seedId } from "./ids";
import { createRng } from "./prng";

export interface SandboxAddressSeed {
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  provinceCode: string;
  country: string;
  countryCode: string;
  zip: string;
  phone: string | null;
  latitude: number;
  longitude: number;
}

export interface SandboxLocationSeed {
  id: string; // gid://shopify/Location/...
  name: string;
  isActive: boolean;
  address: SandboxAddressSeed;
  /** IANA zone the cut-off is expressed in. Not a Shopify field: used by the OMS routing. */
  timezone: string;
  /** Last carrier pickup, local "HH:MM". Not a Shopify field. */
  carrierCutoff: string;
  /** Orders the site can ship per day. Not a Shopify field. */
  dailyCapacity: number;
}

export interface SandboxVariantSeed {
  id: string; // gid://shopify/ProductVariant/...
  inventoryItemId: string; // gid://shopify/InventoryItem/...
  sku: string;
  title: string;
  price: string; // decimal string, e.g. "24.00"
  weightGrams: number;
  /** Available units per location gid. A location missing here does not stock the item. */
  stock: Record<string, number>;
}

export interface SandboxProductSeed {
  id: string; // gid://shopify/Product/...
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  variants: SandboxVariantSeed[];
}

export interface SandboxShopSeed {
  id: string; // gid://shopify/Shop/...
  domain: string; // e.g. demo-oms.myshopify.com
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  locations: SandboxLocationSeed[];
  products: SandboxProductSeed[];
}

// [title, vendor, productType, sku prefix, base price, grams, [variant title, sku suffix, price delta]...]
type Row = [string, string, string, string, number, number, [string, string, number?][]];
const SIZES = (d = 0): [string, string, number?][] => [["S", "S"], ["M", "M"], ["L", "L"], ["XL", "XL", d]];
const CATALOG: Row[] = [
  ["Organic Cotton Tee", "Northbound Apparel", "T-Shirts", "TEE", 28, 180, [
    ["Black / S", "BLK-S"], ["Black / M", "BLK-M"], ["Black / L", "BLK-L"],
    ["White / S", "WHT-S"], ["White / M", "WHT-M"], ["White / L", "WHT-L"]]],
  ["Heavyweight Hoodie", "Northbound Apparel", "Sweatshirts", "HOOD", 68, 720, SIZES(4)],
  ["Merino Crew Socks", "Trailhead Knits", "Socks", "SOCK", 18, 80, [["Charcoal", "CHR"], ["Oatmeal", "OAT"], ["Navy", "NVY"]]],
  ["Ribbed Beanie", "Trailhead Knits", "Hats", "BEAN", 32, 110, [["Rust", "RST"], ["Forest", "FOR"], ["Black", "BLK"]]],
  ["Canvas Tote Bag", "Harbor Goods", "Bags", "TOTE", 36, 420, [["Natural", "NAT"], ["Black", "BLK"]]],
  ["Denim Work Jacket", "Northbound Apparel", "Outerwear", "JKT", 148, 1150, SIZES(6)],
  ["Linen Button-Down Shirt", "Coastline Linen", "Shirts", "LINSH", 84, 260, [["S", "S"], ["M", "M"], ["L", "L"]]],
  ["Stoneware Mug 12 oz", "Kiln & Co", "Mugs", "MUG", 24, 410, [["Speckled White", "SPK"], ["Slate", "SLT"], ["Sage", "SAG"]]],
  ["Soy Wax Candle", "Ember House", "Candles", "CNDL", 34, 540, [["Cedar & Sage", "CED"], ["Fig", "FIG"], ["Sea Salt", "SEA"]]],
  ["Waffle Knit Throw Blanket", "Coastline Linen", "Blankets", "THRW", 129, 1600, [["Ivory", "IVY"], ["Charcoal", "CHR"]]],
  ["Linen Napkins (Set of 4)", "Coastline Linen", "Table Linens", "NAPK", 42, 300, [["Natural", "NAT"], ["Clay", "CLY"], ["Olive", "OLV"]]],
  ["Acacia Cutting Board", "Harbor Goods", "Kitchen", "BOARD", 56, 1350, [["Small", "SM", -10], ["Large", "LG"]]],
  ["Ceramic Bud Vase", "Kiln & Co", "Decor", "VASE", 38, 380, [["Matte White", "WHT"], ["Terracotta", "TER"]]],
  ["Turkish Cotton Bath Towel", "Coastline Linen", "Bath", "TOWL", 48, 650, [["White", "WHT"], ["Sand", "SND"], ["Stone", "STN"]]],
  ["Wool Slippers", "Trailhead Knits", "Footwear", "SLIP", 74, 480, SIZES()],
  ["Glass Water Carafe", "Kiln & Co", "Kitchen", "CARF", 39, 900, [["Clear", "CLR"], ["Smoke", "SMK"], ["Amber", "AMB"]]],
];

const LOCATIONS: Omit<SandboxLocationSeed, "id">[] = [
  {
    name: "Newark NJ Fulfillment Center", isActive: true, timezone: "America/New_York", carrierCutoff: "15:00", dailyCapacity: 1200,
    address: { address1: "600 Doremus Ave", address2: null, city: "Newark", province: "New Jersey", provinceCode: "NJ",
      country: "United States", countryCode: "US", zip: "07105", phone: "+19735550100", latitude: 40.7135, longitude: -74.1332 },
  },
  {
    name: "Dallas TX Warehouse", isActive: true, timezone: "America/Chicago", carrierCutoff: "16:00", dailyCapacity: 800,
    address: { address1: "2200 Irving Blvd", address2: null, city: "Dallas", province: "Texas", provinceCode: "TX",
      country: "United States", countryCode: "US", zip: "75207", phone: "+12145550100", latitude: 32.7893, longitude: -96.8268 },
  },
  {
    name: "Reno NV Warehouse", isActive: true, timezone: "America/Los_Angeles", carrierCutoff: "17:00", dailyCapacity: 500,
    address: { address1: "1200 Terminal Way", address2: null, city: "Reno", province: "Nevada", provinceCode: "NV",
      country: "United States", countryCode: "US", zip: "89502", phone: "+17755550100", latitude: 39.5118, longitude: -119.7757 },
  },
];

// Relative depth of each site's stock (Newark is the main DC) and how often it skips an item.
const DEPTH = [1.0, 0.6, 0.35];
const SKIP = [0.05, 0.25, 0.4];
/** Indices of variants that are out of stock everywhere they are stocked. */
const SOLD_OUT = new Set([7, 23, 41]);

export function demoShopSeed(domain = "demo-oms.myshopify.com"): SandboxShopSeed {
  const slot = shopSlot(domain);
  const id = (kind: number, n: number) => seedId(kind, slot * 1_000_000 + n);
  const rng = createRng(`catalog:${domain}`);
  const locations = LOCATIONS.map((l, i) => ({ ...l, address: { ...l.address }, id: gid("Location", id(2, i + 1)) }));
  let variantIndex = 0;
  const products = CATALOG.map(([title, vendor, productType, prefix, base, grams, variants], p): SandboxProductSeed => ({
    id: gid("Product", id(3, p + 1)),
    title,
    handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/(^-|-$)/g, ""),
    vendor,
    productType,
    variants: variants.map(([vTitle, suffix, delta = 0]) => {
      const n = ++variantIndex;
      const stock: Record<string, number> = {};
      locations.forEach((loc, i) => {
        if (i > 0 && rng.chance(SKIP[i])) return; // not stocked here (Newark stocks everything)
        const qty = SOLD_OUT.has(n) ? 0 : Math.round(rng.int(0, 60) * DEPTH[i] * (rng.chance(0.15) ? 0 : 1));
        stock[loc.id] = qty;
      });
      return {
        id: gid("ProductVariant", id(4, n)),
        inventoryItemId: gid("InventoryItem", id(5, n)),
        sku: `${prefix}-${suffix}`,
        title: vTitle,
        price: (base + delta).toFixed(2),
        weightGrams: grams,
        stock,
      };
    }),
  }));
  return {
    id: gid("Shop", id(1, 1)),
    domain,
    name: domain === "demo-oms.myshopify.com" ? "Demo OMS Outfitters" : titleFromDomain(domain),
    email: `owner@${domain.replace(".myshopify.com", "")}.example`,
    currencyCode: "USD",
    ianaTimezone: "America/New_York",
    locations,
    products,
  };
}

/** A stable 0..999 slot per domain so two seeded shops never share ids. */
function shopSlot(domain: string): number {
  let h = 0;
  for (const ch of domain) h = (h * 31 + ch.charCodeAt(0)) % 1000;
  return h;
}

function titleFromDomain(domain: string): string {
  return domain.replace(".myshopify.com", "").split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
}

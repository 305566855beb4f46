import type { Queryable, Tx } from "./engine/types";
import { marks } from "./engine/sql-dialect";
import { newId, sqlTime } from "./ids";
import { bumpConfigVersion } from "./shops";

// Locations, products and variants as mirrored from the shop. App-owned settings of a location
// (capacity, cut-off, handling cost) are never overwritten by a sync.

export interface LocationRow {
  id: string;
  shopId: string;
  externalId: string;
  name: string;
  address1: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  zip: string | null;
  latitude: number | null;
  longitude: number | null;
  dailyCapacity: number;
  carrierCutoff: string;
  timezone: string;
  handlingCostMinor: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface LocationInput {
  externalId: string;
  name: string;
  active: boolean;
  address1?: string | null;
  city?: string | null;
  province?: string | null;
  countryCode?: string | null;
  zip?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

export interface LocationSettings {
  dailyCapacity?: number;
  carrierCutoff?: string;
  timezone?: string;
  handlingCostMinor?: number;
}

const LOCATION_COLUMNS = `"id","shopId","externalId","name","address1","city","province","countryCode","zip","latitude","longitude","dailyCapacity","carrierCutoff","timezone","handlingCostMinor","active","createdAt","updatedAt"`;
/** What a sync mirrors from the shop; a field left undefined keeps its stored value. */
const MIRRORED = ["name", "active", "address1", "city", "province", "countryCode", "zip", "latitude", "longitude"] as const;
const SETTINGS = ["dailyCapacity", "carrierCutoff", "timezone", "handlingCostMinor"] as const;

const locationRow = (row: LocationRow): LocationRow => ({ ...row, active: Boolean(row.active) });

/**
 * Insert or refresh a location from the shop (settings only apply to a new one). When anything routing
 * reads changed, the shop's config version moves in the same transaction (caches in other processes key on it).
 */
export async function upsertLocation(tx: Tx, shopId: string, input: LocationInput, settings: LocationSettings = {}): Promise<LocationRow> {
  const mirrored = MIRRORED.filter((c) => input[c] !== undefined);
  const given = SETTINGS.filter((c) => settings[c] !== undefined);
  const columns = ["id", "shopId", "externalId", ...mirrored, ...given, "createdAt", "updatedAt"];
  const now = sqlTime();
  const { changes } = await tx.run(
    `INSERT INTO "Location" (${columns.map((c) => `"${c}"`).join(",")}) VALUES (${marks(columns.length)})
     ON CONFLICT ("shopId","externalId") DO UPDATE SET ${mirrored.map((c) => `"${c}" = excluded."${c}"`).join(", ")}, "updatedAt" = excluded."updatedAt"
     WHERE ${mirrored.map((c) => `"Location"."${c}" IS DISTINCT FROM excluded."${c}"`).join(" OR ")}`,
    newId(), shopId, input.externalId, ...mirrored.map((c) => input[c]), ...given.map((c) => settings[c]), now, now,
  );
  if (changes > 0) await bumpConfigVersion(tx, shopId);
  return locationRow((await tx.get<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM "Location" WHERE "shopId" = ? AND "externalId" = ?`, shopId, input.externalId))!);
}

export async function listLocations(q: Queryable, shopId: string): Promise<LocationRow[]> {
  return (await q.all<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM "Location" WHERE "shopId" = ? ORDER BY "name", "id"`, shopId)).map(locationRow);
}

/**
 * The app-owned settings of one location of the shop; false when the shop has no such location. The caller
 * bumps the shop's config version in the same transaction (routing reads these settings).
 */
export async function setLocationSettings(tx: Tx, shopId: string, locationId: string, settings: { dailyCapacity: number; carrierCutoff: string; handlingCostMinor: number }): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE "Location" SET "dailyCapacity" = ?, "carrierCutoff" = ?, "handlingCostMinor" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "id" = ?`,
    settings.dailyCapacity, settings.carrierCutoff, settings.handlingCostMinor, sqlTime(), shopId, locationId,
  );
  return changes > 0;
}

export interface VariantRow {
  id: string;
  shopId: string;
  productId: string;
  externalId: string;
  inventoryItemExternalId: string | null;
  sku: string;
  title: string;
  priceMinor: number;
  weightGrams: number;
  createdAt: string;
  updatedAt: string;
}

export interface VariantInput {
  externalId: string;
  inventoryItemExternalId?: string | null;
  sku: string;
  title: string;
  priceMinor: number;
  weightGrams?: number;
  product: { externalId: string; title: string; vendor?: string | null };
}

const VARIANT_COLUMNS = `"id","shopId","productId","externalId","inventoryItemExternalId","sku","title","priceMinor","weightGrams","createdAt","updatedAt"`;

/** The variant (and its product) as the shop has it now. */
export async function upsertVariant(q: Queryable, shopId: string, input: VariantInput): Promise<VariantRow> {
  const now = sqlTime();
  await q.run(
    `INSERT INTO "Product" ("id","shopId","externalId","title","vendor","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?)
     ON CONFLICT ("shopId","externalId") DO UPDATE SET "title" = excluded."title", "vendor" = excluded."vendor", "updatedAt" = excluded."updatedAt"`,
    newId(), shopId, input.product.externalId, input.product.title, input.product.vendor ?? null, now, now,
  );
  const product = (await q.get<{ id: string }>(`SELECT "id" FROM "Product" WHERE "shopId" = ? AND "externalId" = ?`, shopId, input.product.externalId))!;
  const fields: [string, unknown][] = [
    ["productId", product.id],
    ["inventoryItemExternalId", input.inventoryItemExternalId ?? null],
    ["sku", input.sku],
    ["title", input.title],
    ["priceMinor", input.priceMinor],
    ...(input.weightGrams !== undefined ? [["weightGrams", input.weightGrams] as [string, unknown]] : []),
  ];
  await q.run(
    `INSERT INTO "Variant" ("id","shopId","externalId",${fields.map(([c]) => `"${c}"`).join(",")},"createdAt","updatedAt") VALUES (${marks(fields.length + 5)})
     ON CONFLICT ("shopId","externalId") DO UPDATE SET ${fields.map(([c]) => `"${c}" = excluded."${c}"`).join(", ")}, "updatedAt" = excluded."updatedAt"`,
    newId(), shopId, input.externalId, ...fields.map(([, v]) => v), now, now,
  );
  return (await q.get<VariantRow>(`SELECT ${VARIANT_COLUMNS} FROM "Variant" WHERE "shopId" = ? AND "externalId" = ?`, shopId, input.externalId))!;
}

/** A variant as an order form needs it: its SKU, Shopify id, names and price. */
export interface CatalogVariant {
  id: string;
  sku: string;
  externalId: string;
  title: string;
  productTitle: string;
  priceMinor: number;
}

const CATALOG_VARIANT = `SELECT v."id", v."sku", v."externalId", v."title", p."title" AS "productTitle", v."priceMinor"
  FROM "Variant" v JOIN "Product" p ON p."id" = v."productId" AND p."shopId" = v."shopId"`;

/** The shop's variants with these SKUs (SKUs it has no variant for are absent). */
export async function variantsBySku(q: Queryable, shopId: string, skus: string[]): Promise<CatalogVariant[]> {
  return catalogVariants(q, shopId, "sku", skus);
}

/** The shop's variants with these ids. */
export async function variantsById(q: Queryable, shopId: string, ids: string[]): Promise<CatalogVariant[]> {
  return catalogVariants(q, shopId, "id", ids);
}

async function catalogVariants(q: Queryable, shopId: string, column: "sku" | "id", values: string[]): Promise<CatalogVariant[]> {
  const unique = [...new Set(values)];
  const rows: CatalogVariant[] = [];
  for (let i = 0; i < unique.length; i += IN_CHUNK) {
    const chunk = unique.slice(i, i + IN_CHUNK);
    const found = await q.all<CatalogVariant>(`${CATALOG_VARIANT} WHERE v."shopId" = ? AND v."${column}" IN (${marks(chunk.length)})`, shopId, ...chunk);
    rows.push(...found.map((r) => ({ ...r, priceMinor: Number(r.priceMinor) })));
  }
  return rows;
}

export interface LevelRow {
  variantId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  incoming: number;
  safety: number;
}

export interface VariantOverview extends VariantRow {
  product: { title: string };
  inventoryLevels: LevelRow[];
}

/** `LIKE` pattern for "contains", case-insensitive on both dialects, wildcards in the text taken literally. */
const containing = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Per-location stock of every variant, for the Inventory page (a page of variants by SKU, then their levels). */
export async function inventoryOverview(q: Queryable, shopId: string, opts: { take?: number; skip?: number; query?: string } = {}): Promise<VariantOverview[]> {
  const search = opts.query
    ? ` AND (LOWER(v."sku") LIKE ? ESCAPE '\\' OR LOWER(v."title") LIKE ? ESCAPE '\\' OR LOWER(p."title") LIKE ? ESCAPE '\\')`
    : "";
  const pattern = opts.query ? [containing(opts.query), containing(opts.query), containing(opts.query)] : [];
  const variants = await q.all<VariantRow & { productTitle: string }>(
    `SELECT ${VARIANT_COLUMNS.split(",").map((c) => `v.${c}`).join(",")}, p."title" AS "productTitle"
     FROM "Variant" v JOIN "Product" p ON p."id" = v."productId" AND p."shopId" = v."shopId"
     WHERE v."shopId" = ?${search} ORDER BY v."sku" LIMIT ? OFFSET ?`,
    shopId, ...pattern, opts.take ?? 100, opts.skip ?? 0,
  );
  if (variants.length === 0) return [];
  const levels = await q.all<LevelRow>(
    `SELECT "variantId","locationId","onHand","reserved","incoming","safety" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" IN (${marks(variants.length)})`,
    shopId, ...variants.map((v) => v.id),
  );
  const byVariant = new Map<string, LevelRow[]>();
  for (const level of levels) {
    const list = byVariant.get(level.variantId);
    if (list) list.push(level);
    else byVariant.set(level.variantId, [level]);
  }
  return variants.map(({ productTitle, ...v }) => ({ ...v, product: { title: productTitle }, inventoryLevels: byVariant.get(v.id) ?? [] }));
}

export interface VariantLevelRow {
  locationId: string;
  sku: string;
  onHand: number;
  reserved: number;
  safety: number;
}

/** Stock of these variants at every location of the shop (the routing simulation's starting point). */
export async function levelsOfVariants(q: Queryable, shopId: string, variantIds: string[]): Promise<VariantLevelRow[]> {
  const rows: VariantLevelRow[] = [];
  for (let i = 0; i < variantIds.length; i += IN_CHUNK) {
    const chunk = variantIds.slice(i, i + IN_CHUNK);
    rows.push(
      ...(await q.all<VariantLevelRow>(
        `SELECT i."locationId", v."sku", i."onHand", i."reserved", i."safety" FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" AND v."shopId" = i."shopId"
         WHERE i."shopId" = ? AND i."variantId" IN (${marks(chunk.length)})`,
        shopId, ...chunk,
      )),
    );
  }
  return rows;
}

/** Ids per IN list: far below both dialects' parameter limits. */
const IN_CHUNK = 1_000;

export interface StockTotals {
  locations: number;
  skus: number;
  onHand: number;
  reserved: number;
  safety: number;
}

/** The dashboard's catalogue figures: active locations, SKUs, and the shop's stock buckets summed. */
export async function stockTotals(q: Queryable, shopId: string): Promise<StockTotals> {
  const row = await q.get<StockTotals>(
    `SELECT (SELECT COUNT(*) FROM "Location" WHERE "shopId" = ? AND "active" = TRUE) AS "locations",
            (SELECT COUNT(*) FROM "Variant" WHERE "shopId" = ?) AS "skus",
            COALESCE(SUM("onHand"), 0) AS "onHand", COALESCE(SUM("reserved"), 0) AS "reserved", COALESCE(SUM("safety"), 0) AS "safety"
     FROM "InventoryLevel" WHERE "shopId" = ?`,
    shopId, shopId, shopId,
  );
  return { locations: Number(row?.locations ?? 0), skus: Number(row?.skus ?? 0), onHand: Number(row?.onHand ?? 0), reserved: Number(row?.reserved ?? 0), safety: Number(row?.safety ?? 0) };
}

import { checkBinRow, generateLayout, MAX_BINS, validateLayoutSpec, type BinRowInput, type BinSpec, type LayoutSpec } from "~/domain/warehouse/bins";
import { readDelimitedText } from "~/domain/imports/delimited-text";
import { validatePickInput, type WarehouseLayout } from "~/domain/warehouse/layout";
import { database, type Queryable, type Tx } from "../db/database";
import { findLocationId } from "../db/receipt-sql";
import { binsOf, binStockAt, deleteStorageBinsExcept, ensureReceivingBin, findWarehouse, levelsWithStock, locationsWithManaged, moveBinStock, onHandAgainstBins, saveWarehouse, upsertBins } from "../db/warehouse-sql";
import { addToPutaway } from "../db/receiving-sql";
import { AppError } from "../errors";
import { suggestPutaways } from "./bin-arrivals";

// Warehouse layouts and bins (issue 13, item 1; ADR 0029): a location becomes managed by the warehouse module when
// its first layout is stored, and from then on its on hand is the sum of its bins.

export type LayoutInput = { generate: LayoutSpec } | { layout: WarehouseLayout };

export interface LayoutOutcome {
  location: string;
  /** The location became managed by this call (its on hand moved into the receiving bin). */
  managed: boolean;
  layout: WarehouseLayout;
  bins: number;
  binsRemoved: number;
  /** Units moved into the receiving bin when the location became managed. */
  unitsToReceiving: number;
}

/** The location's id, or 404. */
export async function requireLocation(q: Queryable, shopId: string, location: string): Promise<string> {
  const id = await findLocationId(q, shopId, location);
  if (!id) throw new AppError("not_found", "WAREHOUSE.UNKNOWN_LOCATION", `No location ${JSON.stringify(location)} in this shop`);
  return id;
}

/**
 * Stores a location's layout: generated from a few numbers (its bins replace the generated ones: bins no longer
 * in it are removed, refused while one holds stock), or the geometry alone (bins come from a CSV import). The
 * first layout makes the location managed: in the same transaction its on hand moves into the receiving bin, so
 * the sums agree from the first moment (a negative on hand is refused), with a putaway per SKU to shelve it.
 * Every problem is listed at once.
 */
export async function storeLayout(shopId: string, location: string, input: LayoutInput): Promise<LayoutOutcome> {
  let layout: WarehouseLayout;
  let bins: BinSpec[] | null = null;
  if ("generate" in input) {
    const issues = validateLayoutSpec(input.generate);
    if (issues.length > 0) throw new AppError("invalid_data", "WAREHOUSE.LAYOUT_INVALID", `Layout not stored: ${issues.join("; ")}`, { issues });
    try {
      ({ layout, bins } = generateLayout(input.generate));
    } catch (error) {
      throw new AppError("invalid_data", "WAREHOUSE.LAYOUT_INVALID", `Layout not stored: ${(error as Error).message}`);
    }
  } else {
    layout = input.layout;
    const issues = validatePickInput(layout, []);
    if (issues.length > 0) throw new AppError("invalid_data", "WAREHOUSE.LAYOUT_INVALID", `Layout not stored: ${issues.join("; ")}`, { issues });
  }
  return database().transaction(async (tx) => {
    const locationId = await requireLocation(tx, shopId, location);
    const existing = await binsOf(tx, shopId, locationId);
    const keep = new Set((bins ?? existing).map((b) => b.code));
    const stranded = existing.filter((b) => b.kind === "storage" && b.used > 0 && (!keep.has(b.code) || b.aisle >= layout.aisles || b.yM > layout.aisleLengthM));
    if (stranded.length > 0) throw new AppError("conflict", "WAREHOUSE.BINS_HOLD_STOCK", `Layout not stored: bins ${stranded.slice(0, 20).map((b) => b.code).join(", ")}${stranded.length > 20 ? ` and ${stranded.length - 20} more` : ""} hold stock and would be removed or fall outside the layout; move their stock first`);
    if (bins) {
      const tooSmall = bins.filter((b) => (existing.find((e) => e.code === b.code)?.used ?? 0) > b.capacity);
      if (tooSmall.length > 0) throw new AppError("conflict", "WAREHOUSE.BINS_OVER_CAPACITY", `Layout not stored: bins ${tooSmall.slice(0, 20).map((b) => b.code).join(", ")} hold more than the new capacity ${tooSmall[0].capacity}`);
    } else {
      const outside = existing.filter((b) => b.kind === "storage" && (b.aisle >= layout.aisles || b.yM > layout.aisleLengthM));
      if (outside.length > 0) throw new AppError("conflict", "WAREHOUSE.BINS_OUTSIDE", `Layout not stored: bins ${outside.slice(0, 20).map((b) => b.code).join(", ")} fall outside it; import them again first`);
    }
    const managed = await saveWarehouse(tx, shopId, locationId, layout, "generate" in input ? input.generate : null);
    const receivingBinId = await ensureReceivingBin(tx, shopId, locationId, layout.depot);
    let binsRemoved = 0;
    if (bins) {
      binsRemoved = await deleteStorageBinsExcept(tx, shopId, locationId, keep);
      await upsertBins(tx, shopId, locationId, bins);
    }
    const unitsToReceiving = managed ? await moveOnHandToReceiving(tx, shopId, locationId, receivingBinId) : 0;
    return { location: locationId, managed, layout, bins: bins ? bins.length : existing.filter((b) => b.kind === "storage").length, binsRemoved, unitsToReceiving };
  });
}

async function moveOnHandToReceiving(tx: Tx, shopId: string, locationId: string, binId: string): Promise<number> {
  const levels = await levelsWithStock(tx, shopId, locationId);
  const negative = levels.filter((l) => l.onHand < 0);
  if (negative.length > 0) throw new AppError("conflict", "WAREHOUSE.NEGATIVE_ON_HAND", `Location not managed: on hand is negative for ${negative.map((l) => `${l.sku} (${l.onHand})`).join(", ")}; correct it first`);
  let units = 0;
  const putaways: { locationId: string; putawayId: string }[] = [];
  for (const l of levels) {
    await moveBinStock(tx, shopId, { locationId, binId, variantId: l.variantId, lot: "", delta: l.onHand, reason: "managed", idempotencyKey: `managed:${locationId}:${l.variantId}`, ref: { type: "location", id: locationId } });
    putaways.push({ locationId, putawayId: await addToPutaway(tx, shopId, { locationId, variantId: l.variantId, lot: "", expiresAt: null, quantity: l.onHand }) });
    units += l.onHand;
  }
  // What was on the shelves is in the receiving bin now: each SKU gets a putaway to a bin, like a receipt.
  await suggestPutaways(tx, shopId, putaways);
  return units;
}

export interface BinImportOutcome {
  imported: number;
  errors: { line: number; message: string }[];
}

const HEADER = ["bin", "zone", "yM", "capacity"];

/**
 * Bins from CSV (header `bin,zone,yM,capacity`; zone may be empty) into a managed location: added, or updated
 * by code. Every bad row is reported with its file line and nothing is imported if any row is bad (a bad address,
 * an aisle past the layout, yM outside the aisle, a capacity below what the bin holds, a code twice).
 */
export async function importBinsCsv(shopId: string, location: string, text: string): Promise<BinImportOutcome> {
  return database().transaction(async (tx) => {
    const locationId = await requireLocation(tx, shopId, location);
    const warehouse = await findWarehouse(tx, shopId, locationId);
    if (!warehouse) throw new AppError("conflict", "WAREHOUSE.NOT_MANAGED", `Location ${location} is not managed by the warehouse module: store its layout first (PUT /api/v1/warehouses/${location}/layout)`);
    const { records, problems } = readDelimitedText(text, ",");
    const errors: { line: number; message: string }[] = problems.map((p) => ({ line: p.line, message: p.message }));
    const rows = records.filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ""));
    const header = rows.shift();
    const columns = header?.fields.map((f) => f.trim()) ?? [];
    const missing = ["bin", "yM", "capacity"].filter((c) => !columns.includes(c));
    if (!header || missing.length > 0) throw new AppError("invalid_data", "WAREHOUSE.CSV_HEADER", `The first line must name the columns ${HEADER.join(",")} (missing: ${missing.join(", ") || "all"}); nothing was imported`);
    if (rows.length > MAX_BINS) throw new AppError("invalid_data", "WAREHOUSE.CSV_TOO_LONG", `At most ${MAX_BINS} bins per file (got ${rows.length}); nothing was imported`);
    const existing = new Map((await binsOf(tx, shopId, locationId)).map((b) => [b.code, b]));
    const seen = new Map<string, number>();
    const bins: BinSpec[] = [];
    for (const r of rows) {
      const value = (name: string) => r.fields[columns.indexOf(name)] ?? "";
      const input: BinRowInput = { bin: value("bin").trim(), zone: columns.includes("zone") ? value("zone") : "", yM: value("yM").trim(), capacity: value("capacity").trim() };
      const check = checkBinRow(input, warehouse.layout);
      if (!check.ok) {
        errors.push({ line: r.line, message: `line ${r.line}: ${check.error}` });
        continue;
      }
      const first = seen.get(check.bin.code);
      if (first !== undefined) errors.push({ line: r.line, message: `line ${r.line}: bin ${check.bin.code} is already on line ${first}` });
      seen.set(check.bin.code, first ?? r.line);
      const used = existing.get(check.bin.code)?.used ?? 0;
      if (used > check.bin.capacity) errors.push({ line: r.line, message: `line ${r.line}: bin ${check.bin.code} holds ${used} units, more than the capacity ${check.bin.capacity}` });
      bins.push(check.bin);
    }
    if (errors.length > 0) return { imported: 0, errors: errors.sort((a, b) => a.line - b.line) };
    await upsertBins(tx, shopId, locationId, bins);
    await saveWarehouse(tx, shopId, locationId, warehouse.layout, null);
    return { imported: bins.length, errors: [] };
  });
}

export interface WarehouseView {
  location: string;
  layout: WarehouseLayout;
  managedAt: string;
  generator: unknown;
  bins: { code: string; kind: string; zone: string; aisle: number; bay: number; level: number; side: string; yM: number; capacity: number | null; used: number; stock: { sku: string; lot: string; expiresAt: string | null; quantity: number }[] }[];
  /** Per SKU: location on hand and the sum of its bins; `agrees` false names a difference to look at. */
  totals: { sku: string; onHand: number; inBins: number; agrees: boolean }[];
}

/** A managed location's layout, every bin with what it holds, and on hand against the bins per SKU. */
export async function readWarehouse(shopId: string, location: string): Promise<WarehouseView> {
  return database().readSnapshot(async (q) => {
    const locationId = await requireLocation(q, shopId, location);
    const warehouse = await findWarehouse(q, shopId, locationId);
    if (!warehouse) throw new AppError("not_found", "WAREHOUSE.NOT_MANAGED", `Location ${location} is not managed by the warehouse module`);
    const stock = await binStockAt(q, shopId, locationId);
    const byBin = new Map<string, { sku: string; lot: string; expiresAt: string | null; quantity: number }[]>();
    for (const s of stock) byBin.set(s.binId, [...(byBin.get(s.binId) ?? []), { sku: s.sku, lot: s.lot, expiresAt: s.expiresAt, quantity: s.quantity }]);
    const bins = (await binsOf(q, shopId, locationId)).map(({ id, ...b }) => ({ ...b, stock: byBin.get(id) ?? [] }));
    const totals = (await onHandAgainstBins(q, shopId, locationId)).map((t) => ({ sku: t.sku, onHand: t.onHand, inBins: t.inBins, agrees: t.onHand === t.inBins }));
    return { location: locationId, layout: warehouse.layout, managedAt: warehouse.managedAt, generator: warehouse.generator, bins, totals };
  });
}

/** The shop's locations, and which are managed. */
export async function listWarehouseLocations(shopId: string): Promise<{ id: string; externalId: string; name: string; managed: boolean }[]> {
  return locationsWithManaged(database(), shopId);
}

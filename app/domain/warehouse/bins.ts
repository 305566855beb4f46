import { validatePickInput, type WarehouseLayout } from "./layout";

// Bins of a parallel-aisle warehouse (issue 13, item 1; ADR 0029): their addresses (aisle-bay-level-side, e.g.
// A03-12-2-L), a layout generated from a few numbers, and the checks on bins imported from a file. A bin sits on
// its aisle's centre line at yM (both sides of an aisle share it), so a pick route reads (aisle, yM) straight
// from it. Pure: plain data in, plain data out.

export type BinSide = "L" | "R";

export interface BinAddress {
  /** 0-based aisle of the layout; the address shows it 1-based (aisle 0 is A01). */
  aisle: number;
  /** 1-based bay along the aisle, from the front. */
  bay: number;
  /** 1-based shelf level, from the floor. */
  level: number;
  side: BinSide;
}

export interface BinSpec extends BinAddress {
  code: string;
  zone: string;
  yM: number;
  capacity: number;
}

export const MAX_BINS = 20_000;
export const RECEIVING_BIN = "RECEIVING";
const ADDRESS = /^A(\d{2,3})-(\d{2,3})-(\d{1,2})-([LR])$/;
const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** A03-12-2-L: aisle (1-based, two digits or three past 99), bay (two or three), level, side. */
export function binCode(a: BinAddress): string {
  return `A${pad(a.aisle + 1, 2)}-${pad(a.bay, 2)}-${a.level}-${a.side}`;
}

/** The address a code names, or null when it is not one (the receiving bin has no address). */
export function parseBinCode(code: string): BinAddress | null {
  const m = ADDRESS.exec(code.trim().toUpperCase());
  if (!m) return null;
  const [aisle, bay, level] = [Number(m[1]) - 1, Number(m[2]), Number(m[3])];
  if (aisle < 0 || bay < 1 || level < 1) return null;
  return { aisle, bay, level, side: m[4] as BinSide };
}

/** The numbers a layout is generated from. */
export interface LayoutSpec {
  aisles: number;
  /** Bays along each aisle (per side). */
  baysPerAisle: number;
  levels: number;
  /** Length of one bay along the aisle. */
  bayWidthM: number;
  /** Aisle centre to aisle centre. */
  aisleSpacingM: number;
  /** Width of each cross aisle; half of it is walked past at each end of an aisle. Default: one bay. */
  crossAisleWidthM?: number;
  /** Middle cross aisles, each after this many bays from the front (e.g. [23]): increasing, inside the aisle. */
  crossAisleAfterBays?: number[];
  /** Units each bin holds. */
  capacityPerBin: number;
  /** Default: the front of aisle 0. */
  depot?: { aisle: number; yM: number };
  /** Named zones over aisle ranges (0-based, inclusive); aisles in none are zone MAIN. */
  zones?: { name: string; fromAisle: number; toAisle: number }[];
}

export interface GeneratedLayout {
  layout: WarehouseLayout;
  bins: BinSpec[];
}

/** Every problem with the numbers, as "field: what is wrong" (empty when usable). */
export function validateLayoutSpec(spec: LayoutSpec): string[] {
  const issues: string[] = [];
  const whole = (name: keyof LayoutSpec, value: number, min: number, max: number) => {
    if (!(Number.isInteger(value) && value >= min && value <= max)) issues.push(`${name}: must be a whole number from ${min} to ${max} (got ${value})`);
  };
  whole("aisles", spec.aisles, 1, 500);
  whole("baysPerAisle", spec.baysPerAisle, 1, 999);
  whole("levels", spec.levels, 1, 9);
  whole("capacityPerBin", spec.capacityPerBin, 1, 1_000_000);
  for (const key of ["bayWidthM", "aisleSpacingM"] as const) if (!(Number.isFinite(spec[key]) && spec[key] > 0)) issues.push(`${key}: must be a positive number of metres (got ${spec[key]})`);
  if (spec.crossAisleWidthM !== undefined && !(Number.isFinite(spec.crossAisleWidthM) && spec.crossAisleWidthM > 0)) issues.push(`crossAisleWidthM: must be a positive number of metres (got ${spec.crossAisleWidthM})`);
  (spec.crossAisleAfterBays ?? []).forEach((b, i, all) => {
    if (!(Number.isInteger(b) && b >= 1 && b < spec.baysPerAisle)) issues.push(`crossAisleAfterBays[${i}]: must be a bay from 1 to ${spec.baysPerAisle - 1} (got ${b})`);
    else if (i > 0 && b <= all[i - 1]) issues.push(`crossAisleAfterBays[${i}]: must be increasing (${b} after ${all[i - 1]})`);
  });
  const bins = spec.aisles * spec.baysPerAisle * spec.levels * 2;
  if (issues.length === 0 && bins > MAX_BINS) issues.push(`at most ${MAX_BINS} bins per warehouse (these numbers make ${bins})`);
  (spec.zones ?? []).forEach((z, i) => {
    if (!/^[A-Za-z0-9_-]{1,20}$/.test(z.name)) issues.push(`zones[${i}].name: 1 to 20 letters, digits, - or _ (got ${JSON.stringify(z.name)})`);
    if (!(Number.isInteger(z.fromAisle) && Number.isInteger(z.toAisle) && z.fromAisle >= 0 && z.fromAisle <= z.toAisle && z.toAisle < spec.aisles)) issues.push(`zones[${i}]: aisles must satisfy 0 ≤ fromAisle ≤ toAisle < ${spec.aisles}`);
  });
  return issues;
}

/**
 * The layout and its bins from a few numbers: each aisle is a half cross aisle, the bays (with a cross aisle
 * after each bay listed in crossAisleAfterBays), and a half cross aisle again; a bin's yM is its bay's centre,
 * measured from the front cross aisle's centre line. Every aisle has both sides and every level. Throws on
 * numbers validateLayoutSpec refuses (callers at the edge check first).
 */
export function generateLayout(spec: LayoutSpec): GeneratedLayout {
  const issues = validateLayoutSpec(spec);
  if (issues.length > 0) throw new RangeError(`Invalid layout: ${issues.join("; ")}`);
  const cross = spec.crossAisleWidthM ?? spec.bayWidthM;
  const after = spec.crossAisleAfterBays ?? [];
  const round = (m: number) => Math.round(m * 1000) / 1000;
  const bayCentre = (bay: number) => cross / 2 + (bay - 0.5) * spec.bayWidthM + after.filter((b) => b < bay).length * cross;
  const crossAislesAtM = after.map((b, i) => round(cross / 2 + b * spec.bayWidthM + i * cross + cross / 2));
  const aisleLengthM = round(cross + spec.baysPerAisle * spec.bayWidthM + after.length * cross);
  const layout: WarehouseLayout = { aisles: spec.aisles, aisleLengthM, aisleSpacingM: spec.aisleSpacingM, crossAislesAtM, depot: spec.depot ?? { aisle: 0, yM: 0 } };
  const depotIssues = validatePickInput(layout, []);
  if (depotIssues.length > 0) throw new RangeError(`Invalid layout: ${depotIssues.join("; ")}`);
  const zoneOf = (aisle: number) => spec.zones?.find((z) => aisle >= z.fromAisle && aisle <= z.toAisle)?.name ?? "MAIN";
  const bins: BinSpec[] = [];
  for (let aisle = 0; aisle < spec.aisles; aisle++) {
    for (let bay = 1; bay <= spec.baysPerAisle; bay++) {
      for (let level = 1; level <= spec.levels; level++) {
        for (const side of ["L", "R"] as const) {
          const address = { aisle, bay, level, side };
          bins.push({ ...address, code: binCode(address), zone: zoneOf(aisle), yM: round(bayCentre(bay)), capacity: spec.capacityPerBin });
        }
      }
    }
  }
  return { layout, bins };
}

/** A bin row as read from a file, before it is checked. */
export interface BinRowInput {
  bin: string;
  zone?: string;
  yM: string;
  capacity: string;
}

export type BinRowCheck = { ok: true; bin: BinSpec } | { ok: false; error: string };

/** One imported row against the stored layout: a valid address in an existing aisle, yM inside the aisle, whole capacity ≥ 1. */
export function checkBinRow(row: BinRowInput, layout: WarehouseLayout): BinRowCheck {
  const problems: string[] = [];
  const address = parseBinCode(row.bin ?? "");
  if (!address) problems.push(`bin ${JSON.stringify(row.bin ?? "")} is not an address like A03-12-2-L`);
  else if (address.aisle >= layout.aisles) problems.push(`bin ${row.bin}: aisle A${pad(address.aisle + 1, 2)} is past the layout's ${layout.aisles} aisles`);
  const yM = Number(row.yM);
  if ((row.yM ?? "").trim() === "" || !Number.isFinite(yM) || yM < 0 || yM > layout.aisleLengthM) problems.push(`yM ${JSON.stringify(row.yM ?? "")} must be a number from 0 to the aisle length ${layout.aisleLengthM}`);
  const capacity = Number(row.capacity);
  if ((row.capacity ?? "").trim() === "" || !Number.isInteger(capacity) || capacity < 1) problems.push(`capacity ${JSON.stringify(row.capacity ?? "")} must be a whole number of units ≥ 1`);
  const zone = (row.zone ?? "").trim() || "MAIN";
  if (!/^[A-Za-z0-9_-]{1,20}$/.test(zone)) problems.push(`zone ${JSON.stringify(zone)} must be 1 to 20 letters, digits, - or _`);
  if (problems.length > 0 || !address) return { ok: false, error: problems.join("; ") };
  return { ok: true, bin: { ...address, code: binCode(address), zone, yM, capacity } };
}

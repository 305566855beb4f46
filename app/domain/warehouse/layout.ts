// A parallel-aisle warehouse (issue 13, item 4): aisles 0..n−1 from the left, `aisleSpacingM` centre to centre,
// a front cross aisle at y = 0, a back one at y = aisleLengthM and optional middle cross aisles between them.
// Travel is along aisle and cross-aisle centre lines only, so every distance here is a shortest path on that
// graph. Pure: plain data in, plain data out.

export interface WarehouseLocation {
  /** 0-based aisle, from the left. */
  aisle: number;
  /** Distance from the front cross aisle's centre line, along the aisle. */
  yM: number;
}

export interface WarehouseLayout {
  aisles: number;
  aisleLengthM: number;
  aisleSpacingM: number;
  /** Middle cross aisles: 0 < y < aisleLengthM, increasing. None = one block. */
  crossAislesAtM?: readonly number[];
  depot: WarehouseLocation;
}

export const MAX_PICKS = 500;
export const MAX_AISLES = 500;
export const MAX_MIDDLE_CROSS_AISLES = 20;

/** Every problem with a layout and its picks, as "path: what is wrong" (empty when the input is usable). */
export function validatePickInput(layout: WarehouseLayout, picks: readonly WarehouseLocation[]): string[] {
  const issues: string[] = [];
  const { aisles, aisleLengthM: length, aisleSpacingM: spacing } = layout;
  const aislesOk = Number.isInteger(aisles) && aisles >= 1 && aisles <= MAX_AISLES;
  if (!aislesOk) issues.push(`layout.aisles: must be a whole number from 1 to ${MAX_AISLES} (got ${aisles})`);
  const lengthOk = Number.isFinite(length) && length > 0;
  if (!lengthOk) issues.push(`layout.aisleLengthM: must be a positive number of metres (got ${length})`);
  if (!(Number.isFinite(spacing) && spacing > 0)) issues.push(`layout.aisleSpacingM: must be a positive number of metres (got ${spacing})`);
  const cross = layout.crossAislesAtM ?? [];
  if (cross.length > MAX_MIDDLE_CROSS_AISLES) issues.push(`layout.crossAislesAtM: at most ${MAX_MIDDLE_CROSS_AISLES} middle cross aisles (got ${cross.length})`);
  cross.forEach((y, i) => {
    if (!Number.isFinite(y) || (lengthOk && (y <= 0 || y >= length))) issues.push(`layout.crossAislesAtM[${i}]: must lie strictly between 0 and the aisle length ${length} (got ${y})`);
    else if (i > 0 && y === cross[i - 1]) issues.push(`layout.crossAislesAtM[${i}]: duplicate cross aisle at ${y}`);
    else if (i > 0 && y < cross[i - 1]) issues.push(`layout.crossAislesAtM[${i}]: cross aisles must be sorted increasing (${y} after ${cross[i - 1]})`);
  });
  const checkLocation = (where: string, l: WarehouseLocation) => {
    if (aislesOk && !(Number.isInteger(l.aisle) && l.aisle >= 0 && l.aisle < aisles)) issues.push(`${where}.aisle: must be an aisle from 0 to ${aisles - 1} (got ${l.aisle})`);
    if (lengthOk && !(Number.isFinite(l.yM) && l.yM >= 0 && l.yM <= length)) issues.push(`${where}.yM: must lie within the aisle, 0 to ${length} (got ${l.yM})`);
  };
  checkLocation("layout.depot", layout.depot);
  if (picks.length > MAX_PICKS) issues.push(`picks: at most ${MAX_PICKS} picks per route (got ${picks.length})`);
  else picks.forEach((p, i) => checkLocation(`picks[${i}]`, p));
  return issues;
}

/** Thrown by pickRoute on input that validatePickInput refuses (callers at the edge check first). */
export class InvalidPickInputError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid pick-route input: ${issues.join("; ")}`);
    this.name = "InvalidPickInputError";
  }
}

/** The layout as the algorithms use it: the y of every cross aisle, front to back, and aisle positions. */
export interface Geometry {
  aisles: number;
  length: number;
  spacing: number;
  /** [0, ...middle cross aisles, length]: the cross aisles' centre lines, front to back. */
  crossYs: number[];
}

export function geometryOf(layout: WarehouseLayout): Geometry {
  return { aisles: layout.aisles, length: layout.aisleLengthM, spacing: layout.aisleSpacingM, crossYs: [0, ...(layout.crossAislesAtM ?? []), layout.aisleLengthM] };
}

/**
 * Shortest travel between two locations. In the same aisle: straight along it. Otherwise the walk must change
 * aisle on some cross aisle c, and any detour over several cross aisles is no shorter than |ya−c|+|c−yb| for
 * one of them (triangle inequality), so the distance is |Δx| + min over c of that — Dijkstra's answer on the
 * aisle graph, in O(cross aisles). The tests check it against Floyd–Warshall on the explicit graph.
 */
export function travelM(g: Geometry, a: WarehouseLocation, b: WarehouseLocation): number {
  if (a.aisle === b.aisle) return Math.abs(a.yM - b.yM);
  let vertical = Infinity;
  for (const c of g.crossYs) vertical = Math.min(vertical, Math.abs(a.yM - c) + Math.abs(b.yM - c));
  return Math.abs(a.aisle - b.aisle) * g.spacing + vertical;
}

/** Length of the tour depot → stops in order → depot, with shortest-path legs. */
export function tourLengthM(g: Geometry, depot: WarehouseLocation, stops: readonly WarehouseLocation[]): number {
  let total = 0;
  let at = depot;
  for (const s of stops) {
    total += travelM(g, at, s);
    at = s;
  }
  return total + travelM(g, at, depot);
}

export const locationKey = (l: WarehouseLocation) => `${l.aisle}:${l.yM}`;

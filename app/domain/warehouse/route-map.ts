// A pick route drawn on the warehouse map (issue 13, item 4; ADR 0030): a pure function from layout, picks and
// route to an SVG document. Aisles with racks on both sides (bins marked when their number is given), cross
// aisles, the depot, the picked locations numbered in visiting order, the walk as arrows along aisle and
// cross-aisle centre lines (each leg takes the cross aisle that makes it shortest, as travelM does), and a legend
// with the length in metres, the method and any lengths to compare with. Accessible: role="img", <title> and a
// <desc> listing the stops. Every text is escaped; numbers are formatted here, so nothing reaches the markup raw.
import { type WarehouseLayout, type WarehouseLocation, geometryOf, locationKey, tourLengthM } from "./layout";
import { type PickRouteAlgorithm, type PickRouteMethod, type PickStop } from "./pick-route";

export interface RouteMapInput {
  layout: WarehouseLayout;
  route: { lengthM: number; method: PickRouteMethod; algorithm: PickRouteAlgorithm; exact: boolean; sequence: readonly PickStop[] };
  /** Bins per aisle side, to draw the bin divisions (none drawn when absent). */
  binsPerSide?: number;
  /** Other routes' lengths for the legend, e.g. S-shape and largest gap. */
  compare?: readonly { label: string; lengthM: number }[];
  title?: string;
  /** Prefix for element ids (several maps on one page); letters, digits, "-" and "_" only. */
  idPrefix?: string;
}

const ALGORITHM_WORDS: Record<PickRouteAlgorithm, string> = {
  ratliff_rosenthal_dp: "optimal (exact, Ratliff & Rosenthal dynamic program)",
  roodbergen_de_koster_dp: "optimal (exact, Roodbergen & de Koster dynamic program)",
  nearest_neighbour_2opt_oropt: "heuristic (nearest neighbour + 2-opt/Or-opt, not proven optimal)",
  s_shape: "S-shape",
  largest_gap: "largest gap",
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** A number for the markup: finite, at most two decimals. */
const num = (v: number) => {
  if (!Number.isFinite(v)) throw new Error("route map: a coordinate is not a finite number");
  return String(Math.round(v * 100) / 100);
};
const metres = (v: number) => `${(Math.round(v * 10) / 10).toFixed(1)} m`;

export function renderRouteMap(input: RouteMapInput): string {
  const { layout, route } = input;
  const g = geometryOf(layout);
  const prefix = (input.idPrefix ?? "route-map").replace(/[^A-Za-z0-9_-]/g, "") || "route-map";
  const span = layout.aisles * layout.aisleSpacingM;
  const scale = Math.min(24, Math.max(3, 900 / Math.max(span, layout.aisleLengthM * 0.8)));
  const margin = 24;
  const crossBand = Math.max(1.2, layout.aisleSpacingM * 0.3);
  const top = margin + crossBand * scale;
  const x = (aisle: number) => margin + (aisle + 0.5) * layout.aisleSpacingM * scale;
  const y = (yM: number) => top + (layout.aisleLengthM - yM) * scale;
  const mapBottom = y(0) + crossBand * scale;
  const width = margin * 2 + span * scale;

  const stops = distinctStops(layout, route.sequence);
  const compare = input.compare ?? [];
  const legendLines = [
    `Route: ${metres(route.lengthM)} — ${ALGORITHM_WORDS[route.algorithm]}`,
    ...compare.map((c) => `${c.label}: ${metres(c.lengthM)}${route.lengthM > 0 ? ` (${c.lengthM >= route.lengthM ? "+" : ""}${(((c.lengthM - route.lengthM) / route.lengthM) * 100).toFixed(1)} %)` : ""}`),
    `${route.sequence.length} picks at ${stops.length} stops · ${layout.aisles} aisles of ${num(layout.aisleLengthM)} m, ${num(layout.aisleSpacingM)} m apart · depot at aisle ${layout.depot.aisle + 1}, ${num(layout.depot.yM)} m`,
  ];
  const drawnM = tourLengthM(g, layout.depot, stops.map((s) => s.location));
  if (Math.abs(drawnM - route.lengthM) > 1e-6) legendLines.push(`Drawn: the same stops with the shortest walk between them, ${metres(drawnM)}`);
  const lineHeight = 18;
  const legendTop = mapBottom + 28;
  const height = legendTop + lineHeight * (legendLines.length + 1) + margin;

  const title = input.title ?? `Pick route, ${metres(route.lengthM)}`;
  const desc = `${legendLines[0]}. Stops in order: ${stops.length === 0 ? "none" : stops.map((s, i) => `${i + 1}. aisle ${s.location.aisle + 1} at ${num(s.location.yM)} m`).join("; ")}.`;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" role="img" aria-labelledby="${prefix}-title ${prefix}-desc" font-family="system-ui, sans-serif" font-size="12" data-scale="${num(scale)}">`,
    `<title id="${prefix}-title">${escapeXml(title)}</title>`,
    `<desc id="${prefix}-desc">${escapeXml(desc)}</desc>`,
    `<defs><marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#1f5fbf"/></marker></defs>`,
    `<rect x="0" y="0" width="${num(width)}" height="${num(height)}" fill="#ffffff"/>`,
  );

  // Racks, both sides of every aisle, per block; bins as divisions along the whole aisle.
  const rackNear = layout.aisleSpacingM * 0.16 * scale;
  const rackFar = layout.aisleSpacingM * 0.46 * scale;
  const racks: string[] = [];
  for (let a = 0; a < layout.aisles; a++) {
    for (let k = 0; k + 1 < g.crossYs.length; k++) {
      const y0 = y(g.crossYs[k + 1]) + (crossBand / 2) * scale;
      const y1 = y(g.crossYs[k]) - (crossBand / 2) * scale;
      if (y1 <= y0) continue;
      for (const side of [-1, 1]) {
        const left = side < 0 ? x(a) - rackFar : x(a) + rackNear;
        racks.push(`<rect class="rack" x="${num(left)}" y="${num(y0)}" width="${num(rackFar - rackNear)}" height="${num(y1 - y0)}"/>`);
      }
    }
  }
  out.push(`<g fill="#e8e2d6" stroke="#a89f8c" stroke-width="1">${racks.join("")}</g>`);
  if (input.binsPerSide && Number.isInteger(input.binsPerSide) && input.binsPerSide > 1 && input.binsPerSide <= 200) {
    const bin = layout.aisleLengthM / input.binsPerSide;
    const d: string[] = [];
    for (let a = 0; a < layout.aisles; a++) {
      for (let i = 1; i < input.binsPerSide; i++) {
        const yy = num(y(i * bin));
        d.push(`M${num(x(a) - rackFar)} ${yy}H${num(x(a) - rackNear)}M${num(x(a) + rackNear)} ${yy}H${num(x(a) + rackFar)}`);
      }
    }
    out.push(`<path class="bins" d="${d.join("")}" stroke="#c9bfa9" stroke-width="0.5" fill="none"/>`);
  }
  // Cross aisles (floor bands) and the centre lines travel follows.
  for (const c of g.crossYs) {
    out.push(`<rect class="cross-aisle" x="${num(x(0) - rackFar)}" y="${num(y(c) - (crossBand / 2) * scale)}" width="${num(x(layout.aisles - 1) - x(0) + 2 * rackFar)}" height="${num(crossBand * scale)}" fill="#f4f1ea"/>`);
  }
  for (let a = 0; a < layout.aisles; a++) {
    out.push(`<line class="aisle-centre" data-aisle="${a}" x1="${num(x(a))}" y1="${num(y(layout.aisleLengthM))}" x2="${num(x(a))}" y2="${num(y(0))}" stroke="#c8c8c8" stroke-dasharray="3 3"/>`);
    out.push(`<text x="${num(x(a))}" y="${num(mapBottom + 14)}" text-anchor="middle" fill="#555">${a + 1}</text>`);
  }
  for (const c of g.crossYs) {
    out.push(`<line class="cross-centre" data-y-m="${num(c)}" x1="${num(x(0))}" y1="${num(y(c))}" x2="${num(x(layout.aisles - 1))}" y2="${num(y(c))}" stroke="#c8c8c8" stroke-dasharray="3 3"/>`);
  }

  // The walk: depot → stops → depot, one path per leg with an arrow at its end.
  const walk = [layout.depot, ...stops.map((s) => s.location), layout.depot];
  const legs: string[] = [];
  for (let i = 0; i + 1 < walk.length; i++) {
    const points = legPoints(g.crossYs, walk[i], walk[i + 1]);
    if (points.length < 2) continue;
    legs.push(`<path class="route-leg" data-leg="${i}" d="${points.map((p, j) => `${j === 0 ? "M" : "L"}${num(x(p.aisle))} ${num(y(p.yM))}`).join("")}" marker-end="url(#${prefix}-arrow)"/>`);
  }
  out.push(`<g fill="none" stroke="#1f5fbf" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round">${legs.join("")}</g>`);

  // Depot and stops.
  const depotSize = 12;
  out.push(
    `<rect class="depot" x="${num(x(layout.depot.aisle) - depotSize / 2)}" y="${num(y(layout.depot.yM) - depotSize / 2)}" width="${depotSize}" height="${depotSize}" fill="#2b2b2b"><title>Depot</title></rect>`,
    `<text x="${num(x(layout.depot.aisle) + depotSize)}" y="${num(y(layout.depot.yM) + depotSize + 2)}" fill="#2b2b2b">Depot</text>`,
  );
  const radius = Math.max(5, Math.min(9, layout.aisleSpacingM * scale * 0.14));
  stops.forEach((s, i) => {
    const picks = s.picks.map((p) => `#${p + 1}`).join(", ");
    out.push(
      `<circle class="pick" data-stop="${i + 1}" cx="${num(x(s.location.aisle))}" cy="${num(y(s.location.yM))}" r="${num(radius)}" fill="#e8590c" stroke="#ffffff" stroke-width="1.5"><title>${escapeXml(`Stop ${i + 1}: aisle ${s.location.aisle + 1} at ${num(s.location.yM)} m (pick ${picks})`)}</title></circle>`,
      `<text class="stop-number" x="${num(x(s.location.aisle) + radius + 2)}" y="${num(y(s.location.yM) - radius)}" fill="#b23c00" font-weight="bold">${i + 1}</text>`,
    );
  });

  // Legend.
  const swatchY = legendTop - 4;
  out.push(
    `<g class="legend">`,
    `<line x1="${margin}" y1="${num(swatchY)}" x2="${margin + 24}" y2="${num(swatchY)}" stroke="#1f5fbf" stroke-width="2.5" marker-end="url(#${prefix}-arrow)"/>`,
    `<text x="${margin + 30}" y="${num(legendTop)}" font-weight="bold">${escapeXml(legendLines[0])}</text>`,
    ...legendLines.slice(1).map((line, i) => `<text x="${margin + 30}" y="${num(legendTop + lineHeight * (i + 1))}">${escapeXml(line)}</text>`),
    `<circle cx="${margin + 12}" cy="${num(legendTop + lineHeight * legendLines.length - 4)}" r="5" fill="#e8590c"/>`,
    `<text x="${margin + 30}" y="${num(legendTop + lineHeight * legendLines.length)}">${escapeXml("Pick location (number: visiting order)   ■ Depot   ▭ Rack")}</text>`,
    `</g>`,
    `</svg>`,
  );
  return out.join("\n");
}

/** Distinct pick locations in visiting order (the depot left out), with the input indexes picked there. */
function distinctStops(layout: WarehouseLayout, sequence: readonly PickStop[]): { location: WarehouseLocation; picks: number[] }[] {
  const depotKey = locationKey(layout.depot);
  const byKey = new Map<string, { location: WarehouseLocation; picks: number[] }>();
  for (const s of sequence) {
    const key = locationKey(s);
    if (key === depotKey) continue;
    if (!byKey.has(key)) byKey.set(key, { location: { aisle: s.aisle, yM: s.yM }, picks: [] });
    byKey.get(key)!.picks.push(s.index);
  }
  return [...byKey.values()];
}

/** The corners of the shortest walk between two locations along centre lines (as travelM measures it). */
export function legPoints(crossYs: readonly number[], a: WarehouseLocation, b: WarehouseLocation): WarehouseLocation[] {
  if (a.aisle === b.aisle) return a.yM === b.yM ? [a] : [a, b];
  let best = crossYs[0];
  for (const c of crossYs) if (Math.abs(a.yM - c) + Math.abs(b.yM - c) < Math.abs(a.yM - best) + Math.abs(b.yM - best)) best = c;
  const points = [a, { aisle: a.aisle, yM: best }, { aisle: b.aisle, yM: best }, b];
  return points.filter((p, i) => i === 0 || p.aisle !== points[i - 1].aisle || p.yM !== points[i - 1].yM);
}

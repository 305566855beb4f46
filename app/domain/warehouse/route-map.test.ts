import { describe, expect, it } from "vitest";
import { createRng } from "../routing/seeded-random";
import { type WarehouseLayout, type WarehouseLocation } from "./layout";
import { pickRoute } from "./pick-route";
import { escapeXml, renderRouteMap } from "./route-map";

// The SVG is read back here with regular expressions and a small tag-balance check (no XML dependency): the
// drawn legs, joined, start and end at the depot, pass the stops in the route's order and run only along aisle
// and cross-aisle centre lines, and their length is the route's.

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  if (!m) throw new Error(`no ${name} in ${tag}`);
  return m[1];
};
const tags = (svg: string, selector: RegExp) => [...svg.matchAll(selector)].map((m) => m[0]);

/** Every element closed in order, attributes quoted, no raw "<" or "&" in text. */
function wellFormed(svg: string) {
  const stack: string[] = [];
  const tokens = svg.match(/<[^>]*>|[^<]+/g) ?? [];
  for (const t of tokens) {
    if (!t.startsWith("<")) {
      expect(t).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
      continue;
    }
    expect(t).toMatch(/^<\/?[a-zA-Z][\w-]*(\s+[\w:-]+="[^"<]*")*\s*\/?>$/);
    if (t.startsWith("</")) expect(stack.pop()).toBe(t.slice(2, -1));
    else if (!t.endsWith("/>")) stack.push(/^<([\w-]+)/.exec(t)![1]);
  }
  expect(stack).toEqual([]);
}

function readMap(svg: string, layout: WarehouseLayout) {
  const aisleX = new Map(tags(svg, /<line class="aisle-centre"[^>]*>/g).map((t) => [Number(attr(t, "data-aisle")), Number(attr(t, "x1"))]));
  const crossY = tags(svg, /<line class="cross-centre"[^>]*>/g).map((t) => Number(attr(t, "y1")));
  const scale = (aisleX.get(1)! - aisleX.get(0)!) / layout.aisleSpacingM;
  const stops = tags(svg, /<circle class="pick"[^>]*>/g).map((t) => ({ n: Number(attr(t, "data-stop")), x: Number(attr(t, "cx")), y: Number(attr(t, "cy")) }));
  const depotTag = tags(svg, /<rect class="depot"[^>]*>/g)[0];
  const depot = { x: Number(attr(depotTag, "x")) + Number(attr(depotTag, "width")) / 2, y: Number(attr(depotTag, "y")) + Number(attr(depotTag, "height")) / 2 };
  const legs = tags(svg, /<path class="route-leg"[^>]*>/g).map((t) => ({
    leg: Number(attr(t, "data-leg")),
    points: [...attr(t, "d").matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) })),
  }));
  return { aisleX: [...aisleX.values()], crossY, scale, stops, depot, legs };
}

const close = (a: number, b: number) => Math.abs(a - b) < 0.02;
const samePoint = (p: { x: number; y: number }, q: { x: number; y: number }) => close(p.x, q.x) && close(p.y, q.y);

function checkDrawing(layout: WarehouseLayout, picks: WarehouseLocation[], method: "optimal" | "s_shape" = "optimal") {
  const route = pickRoute(layout, picks, method);
  const svg = renderRouteMap({ layout, route, binsPerSide: 10 });
  wellFormed(svg);
  const map = readMap(svg, layout);
  // Stops are numbered in the route's order, at the route's locations.
  const distinct = [...new Map(route.sequence.filter((s) => !(s.aisle === layout.depot.aisle && s.yM === layout.depot.yM)).map((s) => [`${s.aisle}:${s.yM}`, s])).values()];
  expect(map.stops.map((s) => s.n)).toEqual(distinct.map((_, i) => i + 1));
  const legsInOrder = [...map.legs].sort((a, b) => a.leg - b.leg);
  expect(legsInOrder.map((l) => l.leg)).toEqual(map.legs.map((l) => l.leg));
  const path = legsInOrder.flatMap((l, i) => (i === 0 ? l.points : l.points.slice(1)));
  if (distinct.length === 0) return expect(map.legs).toEqual([]);
  // Each leg starts where the previous one ended; the walk starts and ends at the depot.
  for (let i = 1; i < legsInOrder.length; i++) expect(samePoint(legsInOrder[i].points[0], legsInOrder[i - 1].points.at(-1)!)).toBe(true);
  expect(samePoint(path[0], map.depot)).toBe(true);
  expect(samePoint(path.at(-1)!, map.depot)).toBe(true);
  // The stops are passed in visiting order (each leg ends at the next stop).
  const ends = legsInOrder.map((l) => l.points.at(-1)!);
  distinct.forEach((_, i) => expect(samePoint(ends[i], map.stops[i])).toBe(true));
  // Every segment runs along an aisle centre line or a cross-aisle centre line.
  let lengthPx = 0;
  for (let i = 1; i < path.length; i++) {
    const [p, q] = [path[i - 1], path[i]];
    const vertical = close(p.x, q.x) && map.aisleX.some((x) => close(x, p.x));
    const horizontal = close(p.y, q.y) && map.crossY.some((y) => close(y, p.y));
    expect(vertical || horizontal, `segment ${JSON.stringify(p)} → ${JSON.stringify(q)}`).toBe(true);
    lengthPx += Math.abs(q.x - p.x) + Math.abs(q.y - p.y);
  }
  if (method === "optimal") expect(Math.abs(lengthPx / map.scale - route.lengthM)).toBeLessThan(0.05 * path.length);
  return svg;
}

describe("renderRouteMap", () => {
  it("draws the route's sequence in order along centre lines, on random one-, two- and three-block layouts", () => {
    const rng = createRng(4001);
    for (let t = 0; t < 150; t++) {
      const aisleLengthM = rng.int(8, 40);
      const blocks = t % 3;
      const layout: WarehouseLayout = {
        aisles: rng.int(2, 12),
        aisleLengthM,
        aisleSpacingM: rng.int(2, 6),
        crossAislesAtM: blocks === 0 ? [] : blocks === 1 ? [aisleLengthM / 2] : [aisleLengthM / 3, (2 * aisleLengthM) / 3],
        depot: { aisle: 0, yM: 0 },
      };
      if (t % 5 === 0) layout.depot = { aisle: rng.int(0, layout.aisles - 1), yM: rng.int(0, aisleLengthM) };
      const picks = Array.from({ length: rng.int(0, 15) }, () => ({ aisle: rng.int(0, layout.aisles - 1), yM: rng.int(0, aisleLengthM * 4) / 4 }));
      checkDrawing(layout, picks, t % 7 === 0 ? "s_shape" : "optimal");
    }
  });

  it("is accessible, has a legend with length and method, and escapes every text", () => {
    const layout: WarehouseLayout = { aisles: 3, aisleLengthM: 10, aisleSpacingM: 3, depot: { aisle: 0, yM: 0 } };
    const picks = [{ aisle: 2, yM: 5 }, { aisle: 1, yM: 8 }, { aisle: 2, yM: 5 }];
    const route = pickRoute(layout, picks);
    const svg = renderRouteMap({ layout, route, title: `Wave <1> & "rush" 'A'`, idPrefix: "m1<x>", compare: [{ label: "S-shape <walk>", lengthM: 40 }] });
    wellFormed(svg);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="m1x-title m1x-desc"/);
    expect(svg).toContain(`<title id="m1x-title">Wave &lt;1&gt; &amp; &quot;rush&quot; &apos;A&apos;</title>`);
    expect(svg).toContain(`Route: ${route.lengthM.toFixed(1)} m — optimal (exact, Ratliff &amp; Rosenthal dynamic program)`);
    expect(svg).toContain("S-shape &lt;walk&gt;: 40.0 m (+");
    expect(svg).toContain("3 picks at 2 stops");
    expect(svg).toMatch(/<desc id="m1x-desc">[^<]*Stops in order: 1\. aisle [23] at [58] m; 2\. aisle [23] at [58] m\.<\/desc>/);
    // Both picks at one location are one stop whose tooltip names both.
    expect(svg).toMatch(/Stop \d: aisle 3 at 5 m \(pick #1, #3\)/);
    expect(escapeXml(`<&>"'`)).toBe("&lt;&amp;&gt;&quot;&apos;");
  });

  it("draws bins on both sides of every aisle and marks a baseline's drawing as the shortest walk through its order", () => {
    const layout: WarehouseLayout = { aisles: 4, aisleLengthM: 12, aisleSpacingM: 4, depot: { aisle: 0, yM: 0 } };
    const picks = [{ aisle: 1, yM: 2 }, { aisle: 3, yM: 11 }, { aisle: 2, yM: 1 }];
    const svg = checkDrawing(layout, picks, "s_shape")!;
    expect(tags(svg, /<rect class="rack"[^>]*>/g)).toHaveLength(8);
    expect(attr(tags(svg, /<path class="bins"[^>]*>/g)[0], "d").match(/M/g)).toHaveLength(4 * 9 * 2);
    expect(svg).toContain("Drawn: the same stops with the shortest walk between them");
  });
});

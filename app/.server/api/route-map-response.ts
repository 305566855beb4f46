import { pickRoute, type PickRoute } from "~/domain/warehouse/pick-route";
import { type WarehouseLayout, type WarehouseLocation } from "~/domain/warehouse/layout";
import { renderRouteMap } from "~/domain/warehouse/route-map";

// The SVG answer of POST /api/v1/pick-routes (ADR 0030): chosen when the Accept header ranks image/svg+xml above
// application/json (by q, then by the order listed); the JSON answer is unchanged otherwise.

/** Whether the caller asks for the SVG map rather than JSON. */
export function prefersSvg(request: Request): boolean {
  const ranked = (request.headers.get("Accept") ?? "")
    .split(",")
    .map((part, position) => {
      const [type, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, position };
    })
    .filter((m) => Number.isFinite(m.q) && m.q > 0);
  const svg = ranked.find((m) => m.type === "image/svg+xml");
  if (!svg) return false;
  const json = ranked.find((m) => m.type === "application/json" || m.type === "*/*" || m.type === "application/*");
  return !json || svg.q > json.q || (svg.q === json.q && svg.position < json.position);
}

/** The route drawn on the map; for an optimal route the baselines' lengths go in the legend beside it. */
export function routeMapResponse(layout: WarehouseLayout, picks: readonly WarehouseLocation[], route: PickRoute): Response {
  const compare =
    route.method === "optimal"
      ? [
          { label: "S-shape", lengthM: pickRoute(layout, picks, "s_shape").lengthM },
          { label: "Largest gap", lengthM: pickRoute(layout, picks, "largest_gap").lengthM },
        ]
      : [];
  return new Response(renderRouteMap({ layout, route, compare }), { headers: { "Content-Type": "image/svg+xml; charset=utf-8", Vary: "Accept" } });
}

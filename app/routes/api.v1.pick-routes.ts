import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { prefersSvg, routeMapResponse } from "~/.server/api/route-map-response";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { resolveBins } from "~/.server/use-cases/resolve-bins";
import { MAX_PICKS, validatePickInput } from "~/domain/warehouse/layout";
import { pickRoute } from "~/domain/warehouse/pick-route";

const location = z.object({ aisle: z.number().int().min(0), yM: z.number().finite().min(0) }).strict();
const body = z
  .object({
    layout: z
      .object({
        aisles: z.number().int().min(1),
        aisleLengthM: z.number().finite().positive(),
        aisleSpacingM: z.number().finite().positive(),
        crossAislesAtM: z.array(z.number().finite()).optional(),
        depot: location,
      })
      .strict(),
    picks: z.array(location).max(MAX_PICKS),
    method: z.enum(["optimal", "s_shape", "largest_gap"]).optional(),
  })
  .strict()
  // What needs the whole layout (an aisle past the last, y past the aisle's end, cross aisles out of order).
  .superRefine((value, ctx) => {
    for (const message of validatePickInput(value.layout, value.picks)) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  });

// The stored form: bins of a managed location, resolved to (aisle, yM) through its stored layout (ADR 0029).
const stored = z
  .object({
    location: z.string().min(1).max(120),
    bins: z.array(z.string().min(1).max(40)).min(1).max(MAX_PICKS),
    method: z.enum(["optimal", "s_shape", "largest_gap"]).optional(),
  })
  .strict();

// POST /api/v1/pick-routes { location, bins: ["A03-12-2-L", …], method? } — the same answer for bins of a stored
// warehouse (each sequence entry also names its bin); a bin the location does not have: 422 naming it.
// POST /api/v1/pick-routes {layout, picks, method?} — the order to walk a pick list in and its length in metres:
// { lengthM, method, algorithm, exact, sequence: [{ aisle, yM, index }] }. Pure computation: no shop data is
// read or written, but the caller is authenticated.
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors } = await requireApiShop(request);
    const json = await readJsonBody(request);
    if (json !== null && typeof json === "object" && "bins" in json) {
      const asked = stored.safeParse(json);
      if (!asked.success) {
        const issues = asked.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
        throw new AppError("invalid_data", "BODY.INVALID", issues.join("; "), { issues });
      }
      const { layout, picks, unknown, codes } = await resolveBins(shop.id, asked.data.location, asked.data.bins);
      if (unknown.length > 0) {
        return cors(Response.json({ error: { type: "invalid_data", code: "PICK_ROUTE.UNKNOWN_BIN", message: `Location ${asked.data.location} has no bin ${unknown.join(", ")}`, details: { unknownBins: unknown } } }, { status: 422 }));
      }
      const route = pickRoute(layout, picks, asked.data.method);
      return cors(Response.json({ ...route, lengthM: Math.round(route.lengthM * 1000) / 1000, sequence: route.sequence.map((s) => ({ ...s, bin: codes[s.index] })) }));
    }
    const parsed = body.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => (i.code === z.ZodIssueCode.custom ? i.message : `${i.path.join(".") || "(body)"}: ${i.message}`));
      throw new AppError("invalid_data", "BODY.INVALID", issues.join("; "), { issues });
    }
    const route = pickRoute(parsed.data.layout, parsed.data.picks, parsed.data.method);
    // Accept: image/svg+xml → the route drawn on the map (ADR 0030); otherwise the JSON below, unchanged.
    if (prefersSvg(request)) return cors(routeMapResponse(parsed.data.layout, parsed.data.picks, route));
    return cors(Response.json({ ...route, lengthM: Math.round(route.lengthM * 1000) / 1000 }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);

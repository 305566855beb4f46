import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { readWarehouse, storeLayout } from "~/.server/use-cases/manage-warehouse";

const point = z.object({ aisle: z.number().int().min(0), yM: z.number().finite().min(0) }).strict();
// Types and sizes here; the rules (ranges, cross aisles inside the aisle, the bin count) in app/domain/warehouse/bins.ts.
const generate = z
  .object({
    aisles: z.number(),
    baysPerAisle: z.number(),
    levels: z.number(),
    bayWidthM: z.number(),
    aisleSpacingM: z.number(),
    crossAisleWidthM: z.number().optional(),
    crossAisleAfterBays: z.array(z.number()).max(20).optional(),
    capacityPerBin: z.number(),
    depot: point.optional(),
    zones: z.array(z.object({ name: z.string().max(40), fromAisle: z.number(), toAisle: z.number() }).strict()).max(50).optional(),
  })
  .strict();
const layout = z.object({ aisles: z.number().int().min(1), aisleLengthM: z.number().finite().positive(), aisleSpacingM: z.number().finite().positive(), crossAislesAtM: z.array(z.number().finite()).max(20).optional(), depot: point }).strict();
const body = z.union([z.object({ generate }).strict(), z.object({ layout }).strict()]);

// GET /api/v1/warehouses/:location/layout — the stored layout with its bins (404 when the location is not managed).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const { location, layout, managedAt, generator, bins } = await readWarehouse(shop.id, params.location!);
    return cors(Response.json({ location, layout, managedAt, generator, bins: bins.length }));
  } catch (error) {
    return errorResponse(error);
  }
}

// PUT /api/v1/warehouses/:location/layout — { generate: { aisles, baysPerAisle, levels, bayWidthM, aisleSpacingM,
// capacityPerBin, crossAisleAfterBays?, crossAisleWidthM?, depot?, zones? } } makes the layout and its bins; { layout:
// { aisles, aisleLengthM, aisleSpacingM, crossAislesAtM?, depot } } stores the geometry alone (bins by CSV). The first
// layout makes the location managed (managed: true; its on hand moves into the receiving bin). 400 listing every
// problem; 409 when bins holding stock would go; nothing stored then.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "PUT") return methodNotAllowed(["GET", "PUT"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "WAREHOUSE.LAYOUT_INVALID", `Layout not stored: send { generate: {...} } or { layout: {...} }: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ")}`);
    return cors(Response.json(await storeLayout(shop.id, params.location!, parsed.data)));
  } catch (error) {
    return errorResponse(error);
  }
}

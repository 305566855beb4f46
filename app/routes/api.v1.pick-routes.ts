import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
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

// POST /api/v1/pick-routes {layout, picks, method?} — the order to walk a pick list in and its length in metres:
// { lengthM, method, algorithm, exact, sequence: [{ aisle, yM, index }] }. Pure computation: no shop data is
// read or written (stored warehouse layouts and bins do not exist yet, ADR 0025), but the caller is authenticated.
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => (i.code === z.ZodIssueCode.custom ? i.message : `${i.path.join(".") || "(body)"}: ${i.message}`));
      throw new AppError("invalid_data", "BODY.INVALID", issues.join("; "), { issues });
    }
    const route = pickRoute(parsed.data.layout, parsed.data.picks, parsed.data.method);
    return cors(Response.json({ ...route, lengthM: Math.round(route.lengthM * 1000) / 1000 }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);

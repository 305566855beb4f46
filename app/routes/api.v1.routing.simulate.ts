import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { listLocations } from "~/.server/db/catalog";
import { database } from "~/.server/db/database";
import { AppError, errorResponse } from "~/.server/errors";
import { simulateRouting, validateDraftPolicy } from "~/.server/use-cases/simulate-routing";
import { MAX_SIMULATION_ORDERS } from "~/domain/routing-policy/simulate";

const body = z
  .object({
    orders: z.number().int().min(1).max(MAX_SIMULATION_ORDERS).optional(),
    draft: z.object({ rules: z.unknown(), rateTable: z.unknown(), promise: z.unknown().optional() }).strict().optional(),
  })
  .strict();

// POST /api/v1/routing/simulate {orders?, draft?: {rules, rateTable, promise?}} — the shop's last N orders replayed
// under the draft (the saved one when omitted) and under the live policy: { current, draft, orders }.
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "BODY.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    let draft;
    if (parsed.data.draft) {
      const locations = await listLocations(database(), shop.id);
      const valid = validateDraftPolicy(parsed.data.draft, new Set(locations.map((l) => l.id)));
      if (!valid.ok) throw new AppError("invalid_data", "POLICY.INVALID", valid.error, { issues: valid.issues });
      draft = valid.policy;
    }
    const result = await simulateRouting(shop.id, { orders: parsed.data.orders, draft });
    if (!result.ok) throw new AppError("invalid_data", result.code, result.message);
    return cors(Response.json({ orders: result.orders, current: result.current, draft: result.draft, ordersRoutedDifferently: result.ordersRoutedDifferently, sources: result.sources }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);

import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiShop } from "~/.server/auth/api-shop";
import { listLocations } from "~/.server/db/catalog";
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
    const { shop, cors } = await requireApiShop(request);
    if (request.method !== "POST") return cors(methodNotAllowed());
    let json: unknown;
    try {
      json = await request.json();
    } catch {
      throw new AppError("invalid_data", "BODY.INVALID_JSON", "The body must be a JSON object.");
    }
    const parsed = body.safeParse(json);
    if (!parsed.success) throw new AppError("invalid_data", "BODY.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    let draft;
    if (parsed.data.draft) {
      const locations = await listLocations(shop.id);
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

const methodNotAllowed = () => Response.json({ error: { type: "invalid_data", code: "METHOD.NOT_ALLOWED", message: "Use POST." } }, { status: 405, headers: { Allow: "POST" } });

export async function loader() {
  return methodNotAllowed();
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { createPurchaseOrder } from "~/.server/use-cases/create-purchase-order";
import { listPurchaseOrders } from "~/.server/use-cases/read-purchase-orders";
import { MAX_PURCHASE_ORDER_LINES, PURCHASE_ORDER_STATUSES } from "~/domain/inventory/purchase-orders";
import { MAX_SKU_LENGTH } from "~/domain/shared/limits";

// Types and sizes here; the rules (number format, known SKUs and location, whole positive quantities, a date
// from today on, one line per SKU) in app/domain/inventory/purchase-orders.ts, which lists every problem at once.
const body = z
  .object({
    number: z.string().min(1).max(64),
    supplier: z.string().max(200),
    location: z.string().min(1).max(120),
    expectedAt: z.string().max(40),
    status: z.enum(["draft", "open"]).optional(),
    lines: z.array(z.object({ sku: z.string().min(1).max(MAX_SKU_LENGTH), quantity: z.number() }).strict()).max(MAX_PURCHASE_ORDER_LINES, `more than the limit of ${MAX_PURCHASE_ORDER_LINES} lines`),
  })
  .strict();

const query = z.object({
  status: z.enum(PURCHASE_ORDER_STATUSES).optional(),
  cursor: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");

// GET /api/v1/purchase-orders?status=&cursor=&limit= — the shop's purchase orders, newest first, with their lines.
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("invalid_data", "PURCHASE_ORDER.QUERY_INVALID", issues(parsed.error));
    return cors(Response.json(await listPurchaseOrders(shop.id, parsed.data)));
  } catch (error) {
    return errorResponse(error);
  }
}

// POST /api/v1/purchase-orders — { number, supplier, location, expectedAt, lines: [{ sku, quantity }], status? }: an
// open order's units become its location's incoming at once. 201 when recorded; the same order again answers 200
// (created: false); another order under a number already used, 409. Anything wrong: 400 listing it, nothing stored.
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "PURCHASE_ORDER.INVALID", `Purchase order not recorded: ${issues(parsed.error)}`);
    const result = await createPurchaseOrder(shop.id, parsed.data);
    return cors(Response.json(result, { status: result.created ? 201 : 200 }));
  } catch (error) {
    return errorResponse(error);
  }
}

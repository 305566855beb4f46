import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { recordReceipt } from "~/.server/use-cases/record-receipt";

const body = z.object({
  reference: z.string().min(1).max(120),
  lines: z
    .array(z.object({ sku: z.string().min(1).max(120), location: z.string().min(1).max(64), quantity: z.number().int().positive().max(1_000_000) }))
    .min(1)
    .max(250),
});

// POST /api/v1/inventory/receipts — stock received (ERP, purchase order, transfer). Idempotent per reference.
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return Response.json({ error: { type: "not_allowed", code: "METHOD", message: "Use POST" } }, { status: 405 });
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new AppError("invalid_data", "RECEIPT.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    return cors(Response.json(await recordReceipt(shop.id, parsed.data.reference, parsed.data.lines)));
  } catch (error) {
    return errorResponse(error);
  }
}

import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { recordReceipt } from "~/.server/use-cases/record-receipt";
import { positiveLineQuantity } from "~/domain/shared/bounded-input";
import { MAX_RECEIPT_LINES, MAX_RECEIPT_REFERENCE_LENGTH, MAX_SKU_LENGTH } from "~/domain/shared/limits";

const body = z.object({
  reference: z.string().min(1).max(MAX_RECEIPT_REFERENCE_LENGTH),
  /** The purchase order's number the lines are received against (their location may then be left out). */
  purchaseOrder: z.string().min(1).max(64).optional(),
  lines: z
    .array(z.object({ sku: z.string().min(1).max(MAX_SKU_LENGTH), location: z.string().min(1).max(64).optional(), quantity: positiveLineQuantity() }))
    .min(1)
    .max(MAX_RECEIPT_LINES, `more than the limit of ${MAX_RECEIPT_LINES} lines`),
});

// POST /api/v1/inventory/receipts — stock received (ERP, purchase order, transfer), applied whole or not at all.
// The same reference with the same lines again is a replay (200, lines already applied); with other lines, 409.
// With `purchaseOrder`, the lines count as received against that order (its incoming falls as on hand rises).
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "RECEIPT.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    return cors(Response.json(await recordReceipt(shop.id, parsed.data.reference, parsed.data.lines, { purchaseOrder: parsed.data.purchaseOrder })));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);

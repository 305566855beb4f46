import type { LoaderFunctionArgs } from "@remix-run/node";
import { onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { getReturn } from "~/.server/use-cases/read-returns";
import { issueReturnLabel } from "~/.server/use-cases/issue-return-label";

// GET /api/v1/returns/:rma/label.pdf — the RMA's prepaid return label (issued now from the carrier port when it was not yet).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const rma = await getReturn(shop.id, String(params.rma ?? "")); // 404 for an unknown or another shop's RMA
    const label = await issueReturnLabel(shop.id, rma.number);
    return cors(new Response(new Uint8Array(label.pdf), { headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="return-label-${rma.number}.pdf"`, "X-Tracking-Number": label.trackingNumber } }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const action = onlyMethods(["GET"]);

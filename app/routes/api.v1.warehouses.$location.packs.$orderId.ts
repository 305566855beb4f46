import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { apiActor, requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { closePackage, packScan, readPack } from "~/.server/use-cases/pick-pack-ship";

const scanBody = z.object({ scan: z.object({ code: z.string().min(1).max(120), quantity: z.number().int().min(1).optional(), scanId: z.string().min(1).max(80), worker: z.string().min(1).max(80).optional() }).strict() }).strict();
const packageSchema = z.object({ weightGrams: z.number(), lengthCm: z.number().optional(), widthCm: z.number().optional(), heightCm: z.number().optional() }).strict();
const closeBody = z.object({ close: z.object({ carrier: z.string(), trackingNumber: z.string(), service: z.string().optional(), packages: z.array(packageSchema), worker: z.string().min(1).max(80).optional() }).strict() }).strict();

// GET /api/v1/warehouses/:location/packs/:orderId — what was picked for the order here and what is verified.
// POST { scan: { code, quantity?, scanId, worker? } } — verifies picked units by scan (an item not picked for the
// order, or one too many: 409, nothing recorded).
// POST { close: { carrier, trackingNumber, service?, packages: [{ weightGrams, lengthCm?, widthCm?, heightCm? }] } }
// — closes the package once every picked unit is verified: the order becomes packed and a job creates the
// fulfillment in the channel (Shopify: fulfillmentCreate with the tracking), which makes it shipped (ADR 0033).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    return cors(Response.json(await readPack(shop.id, params.location!, params.orderId!)));
  } catch (error) {
    return errorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const { shop, cors, caller } = await requireApiShop(request);
    const raw = await readJsonBody(request);
    const scan = scanBody.safeParse(raw);
    if (scan.success) return cors(Response.json(await packScan(shop.id, params.location!, params.orderId!, scan.data.scan)));
    const close = closeBody.safeParse(raw);
    if (close.success) return cors(Response.json(await closePackage(shop.id, params.location!, params.orderId!, close.data.close, { actor: apiActor(caller) })));
    throw new AppError("invalid_data", "PACK.INVALID", `Send { scan: { code, scanId } } or { close: { carrier, trackingNumber, packages } }: ${[...scan.error.issues, ...close.error.issues].map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ")}`);
  } catch (error) {
    return errorResponse(error);
  }
}

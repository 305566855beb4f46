import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { setChannelBuffer } from "~/.server/use-cases/read-channel-stock";
import { MAX_SKU_LENGTH } from "~/domain/shared/limits";

// The buffer itself is checked by the channel configuration's schema (app/domain/channels/channel-config.ts).
const body = z.object({ sku: z.string().min(1).max(MAX_SKU_LENGTH).optional(), buffer: z.unknown() }).strict();

// PUT /api/v1/channels/:id/buffer — { buffer } sets the channel's buffer; { sku, buffer } one SKU's on it
// (`buffer: null` removes the SKU's own). Answers with the channel's whole configuration.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "PUT") return methodNotAllowed(["PUT"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new AppError("invalid_data", "CHANNEL.BUFFER_INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
    if (!("buffer" in parsed.data)) throw new AppError("invalid_data", "CHANNEL.BUFFER_INVALID", "buffer: required");
    return cors(Response.json({ channelId: params.id, config: await setChannelBuffer(shop.id, params.id!, { sku: parsed.data.sku, buffer: parsed.data.buffer }) }));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["PUT"]);

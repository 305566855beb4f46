import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed, readJsonBody } from "~/.server/api/http";
import { apiActor, requireApiShop } from "~/.server/auth/api-shop";
import { errorResponse } from "~/.server/errors";
import { readPartnerDelivery, removePartnerDelivery, setPartnerDelivery } from "~/.server/use-cases/deliver-partner-documents";

// Sending a trading partner its documents by SFTP (ADR 0023); :id = the partner's id or code.
// GET: { delivery: null } or { delivery: { kind, host, port, username, authKind, directory, hostKeySha256, startsAt,
//   lastRunAt, lastError, counts: { sent, failed, givenUp } } } (the secret is never shown).
// PUT { kind: "sftp", host, port?, username, password | privateKey, directory, hostKeySha256: "SHA256:…" }: sets it;
//   documents kept from then on are sent by the worker. DELETE: stops sending (the merchant downloads them again).
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const { delivery } = await readPartnerDelivery(shop.id, String(params.id ?? "").slice(0, 64));
    return cors(Response.json({ delivery }));
  } catch (error) {
    return errorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "PUT" && request.method !== "DELETE") return methodNotAllowed(["GET", "PUT", "DELETE"]);
    const { shop, cors, caller } = await requireApiShop(request);
    const reference = String(params.id ?? "").slice(0, 64);
    const actor = apiActor(caller);
    if (request.method === "DELETE") return cors(Response.json({ removed: await removePartnerDelivery(shop.id, reference, { actor }) }));
    return cors(Response.json({ delivery: await setPartnerDelivery(shop.id, reference, await readJsonBody(request), { actor }) }));
  } catch (error) {
    return errorResponse(error);
  }
}

import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { returnRefusal } from "~/.server/returns/http";
import { changeReturn } from "~/.server/use-cases/change-return";
import type { ReturnAction } from "~/domain/returns/status";

const lineId = z.string().min(1).max(64);
const quantity = z.number();
const reason = z.object({ reason: z.string().max(500) }).strict();
const BODIES = {
  approve: z.object({}).strict(),
  decline: reason,
  "in-transit": z.object({}).strict(),
  receive: z.object({ lines: z.array(z.object({ returnLineId: lineId, quantity, disposition: z.enum(["restock", "qc_hold", "refurbish", "scrap"]) }).strict()).min(1).max(250) }).strict(),
  release: z.object({ lines: z.array(z.object({ returnLineId: lineId, quantity, disposition: z.enum(["restock", "refurbish", "scrap"]) }).strict()).min(1).max(250) }).strict(),
  refund: z.object({}).strict(),
  close: reason,
} as const;
type Verb = keyof typeof BODIES;

function toAction(verb: Verb, data: Record<string, unknown>): ReturnAction {
  switch (verb) {
    case "in-transit":
      return { type: "mark_in_transit" };
    case "decline":
    case "close":
      return { type: verb, reason: String(data.reason) };
    case "receive":
      return { type: "receive", lines: data.lines as Extract<ReturnAction, { type: "receive" }>["lines"] };
    case "release":
      return { type: "release", lines: data.lines as Extract<ReturnAction, { type: "release" }>["lines"] };
    default:
      return { type: verb };
  }
}

// POST /api/v1/returns/:rma/{approve|decline|in-transit|receive|release|refund|close} — moves the RMA on. decline and
// close take { reason }; receive takes { lines: [{ returnLineId, quantity, disposition: restock|qc_hold|refurbish|scrap }] };
// release takes { lines: [{ returnLineId, quantity, disposition: restock|refurbish|scrap }] }. A transition the
// RMA's status does not allow answers 409, bad figures 400, another shop's RMA 404; nothing changes then.
export async function action({ request, params }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { shop, cors } = await requireApiShop(request);
    const verb = String(params.action ?? "");
    if (!(verb in BODIES)) throw new AppError("not_found", "RETURN.UNKNOWN_ACTION", `No return action ${JSON.stringify(verb)}; one of ${Object.keys(BODIES).join(", ")}.`);
    const text = await request.text();
    let raw: unknown = {};
    try {
      if (text.trim() !== "") raw = JSON.parse(text);
    } catch {
      throw new AppError("invalid_data", "BODY.INVALID_JSON", "The body must be JSON.");
    }
    const parsed = BODIES[verb as Verb].safeParse(raw);
    if (!parsed.success) throw new AppError("invalid_data", "RETURN.INVALID", `Return not changed: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ")}`);
    const result = await changeReturn(shop.id, String(params.rma ?? ""), toAction(verb as Verb, parsed.data as Record<string, unknown>), { actor: "api" });
    return cors(result.ok ? Response.json({ rma: result.rma }) : returnRefusal(result));
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);

// A refused return request or change, answered like every other API error ({ error: { type, code, message } }).

const TYPE: Record<number, string> = { 400: "invalid_data", 404: "not_found", 409: "conflict", 422: "invalid_data" };
const CODE: Record<number, string> = { 400: "RETURN.INVALID", 404: "RETURN.NOT_FOUND", 409: "RETURN.CONFLICT", 422: "RETURN.NOT_ELIGIBLE" };

export function returnRefusal(refusal: { status: 400 | 404 | 409 | 422; error: string }): Response {
  return Response.json({ error: { type: TYPE[refusal.status], code: CODE[refusal.status], message: refusal.error } }, { status: refusal.status });
}

import { AppError } from "../errors";

// HTTP answers every route gives the same way: a method the route does not take (405 with Allow), a form
// action sent something other than a form (415), a body that does not parse (400). Used by the /api/v1 routes
// and every admin form action, so no route lets a wrong request reach its use case and end as a 500.

/** 405 with the Allow header: the methods this route answers. */
export function methodNotAllowed(allowed: readonly string[]): Response {
  const allow = allowed.join(", ");
  return Response.json(
    { error: { type: "not_allowed", code: "METHOD.NOT_ALLOWED", message: `This endpoint answers ${allow} only.` } },
    { status: 405, headers: { Allow: allow } },
  );
}

/** A loader/action that answers every request with 405 (the other half of a route that takes one method). */
export function onlyMethods(allowed: readonly string[]): () => Response {
  return () => methodNotAllowed(allowed);
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * The form a form action was sent. Throws a Response (Remix answers with it): 415 when the body is not a form
 * (e.g. JSON), 400 when it claims to be one and does not parse.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = mediaType(request);
  if (!FORM_TYPES.includes(type)) {
    throw Response.json(
      { error: { type: "invalid_data", code: "BODY.UNSUPPORTED_MEDIA_TYPE", message: `Send this form as ${FORM_TYPES.join(" or ")}${type ? `, not ${type}` : ""}.` } },
      { status: 415, headers: { "Accept-Post": FORM_TYPES.join(", ") } },
    );
  }
  try {
    return await request.formData();
  } catch {
    throw Response.json({ error: { type: "invalid_data", code: "BODY.INVALID_FORM", message: "The form body does not parse." } }, { status: 400 });
  }
}

/** The JSON body of an API request; anything that does not parse is invalid data (400). */
export async function readJsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("invalid_data", "BODY.INVALID_JSON", "The body must be JSON.");
  }
}

/**
 * The raw body, or null when it is longer than `maxBytes` (a declared Content-Length says so before anything
 * is read; otherwise reading stops at the first byte over). The caller answers 413.
 */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

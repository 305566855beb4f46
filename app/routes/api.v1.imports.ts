import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, readBodyWithin } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { importFormat } from "~/.server/imports/formats";
import { importModeOf, MAX_IMPORT_BYTES } from "~/.server/use-cases/create-import";
import { listImports } from "~/.server/use-cases/read-imports";
import { previewImport } from "~/.server/use-cases/preview-import";
import { receiveImport } from "~/.server/use-cases/receive-import";

// Imports as records (ADR 0016).

const listQuery = z.object({ cursor: z.string().min(1).max(64).optional(), limit: z.coerce.number().int().min(1).max(100).optional() });
const postQuery = z.object({
  format: z.string().max(64).optional(),
  channel: z.string().min(1).max(64).optional(),
  partner: z.string().min(1).max(64).optional(),
  mode: z.string().max(32).optional(),
  filename: z.string().max(200).optional(),
  preview: z.enum(["1", "true", "0", "false"]).optional(),
});

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "(query)"}: ${i.message}`).join("; ");

// GET /api/v1/imports?cursor=&limit= — the shop's imports, newest first, with status and progress.
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, cors } = await requireApiShop(request);
    const parsed = listQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("invalid_data", "QUERY.INVALID", issues(parsed.error));
    return cors(Response.json(await listImports(shop.id, parsed.data)));
  } catch (error) {
    return errorResponse(error);
  }
}

function filenameOf(request: Request, given: string | undefined): string | null {
  if (given) return given;
  const disposition = request.headers.get("content-disposition") ?? "";
  return /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
}

// POST /api/v1/imports?format=amazon-orders-report|csv-po|x12[&partner=<id or code>][&channel=<id>][&mode=line-by-line]
// [&filename=][&preview=1] with the raw file as
// the body (at most 50 MB: 413 beyond). A file up to 256 KB runs while the caller waits: 200 with the finished import
// (status done or failed, its orders and line results); a larger one, or with `Prefer: respond-async`, is queued:
// 202 with the import and a Location to follow. An unknown format is 400 listing the supported ones. The same
// document again while its import is still running answers that import. A wholesale format takes the trading partner
// (partner=, or the shop's only one); preview=1 reads and checks the file the same way and answers 200 with the same
// body, status "preview", no id and no orders: nothing is stored (ADR 0018). x12 finds each interchange's partner by
// its ISA sender (partner= then only says whose it must be) and answers `acknowledgement`: the 997 (ADR 0021).
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const { shop, cors } = await requireApiShop(request);
    const parsed = postQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("invalid_data", "QUERY.INVALID", issues(parsed.error));
    const format = importFormat(parsed.data.format);
    importModeOf(parsed.data.mode);
    const bytes = await readBodyWithin(request, MAX_IMPORT_BYTES);
    if (bytes === null) {
      return cors(Response.json({ error: { type: "invalid_data", code: "IMPORT.TOO_LARGE", message: `The file is larger than the limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it (a report per month, say).` } }, { status: 413 }));
    }
    const charset = /charset=([^;]+)/i.exec(request.headers.get("content-type") ?? "")?.[1]?.trim() ?? null;
    const input = { format: format.id, bytes, filename: filenameOf(request, parsed.data.filename), channelId: parsed.data.channel, partner: parsed.data.partner, mode: parsed.data.mode, source: "api" as const, charset };
    if (parsed.data.preview === "1" || parsed.data.preview === "true") return cors(Response.json(await previewImport(shop.id, input)));
    const preferAsync = /respond-async/i.test(request.headers.get("prefer") ?? "");
    const { view, finished } = await receiveImport(shop.id, input, { preferAsync });
    return cors(Response.json(view, { status: finished ? 200 : 202, headers: { Location: `/api/v1/imports/${view.id}` } }));
  } catch (error) {
    return errorResponse(error);
  }
}

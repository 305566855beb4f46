import { AppError } from "../errors";
import { enqueueImport } from "../jobs/queue";
import { createImport, type NewImportInput } from "./create-import";
import { readImport, type ImportView } from "./read-imports";
import { failImport, runImport } from "./run-import";

// A file handed in through POST /api/v1/imports (ADR 0016): kept and recorded, then run at once when it is small
// (the caller gets the finished result, and for X12 its 997, in the same answer) or by the `import` job when it is
// large or the caller asks (`Prefer: respond-async`): the answer is then the queued import, to follow with GET.

/** Files up to this size are run while the caller waits (a few thousand report lines: well under a second). */
export const INLINE_IMPORT_BYTES = 256 * 1024;

export async function receiveImport(shopId: string, input: NewImportInput, opts: { preferAsync?: boolean } = {}): Promise<{ view: ImportView; finished: boolean }> {
  const inline = !opts.preferAsync && input.bytes.byteLength <= INLINE_IMPORT_BYTES;
  const created = await createImport(shopId, input, { queue: !inline });
  if (inline && !created.existing) {
    try {
      await runImport(shopId, created.importId);
    } catch (error) {
      if (error instanceof AppError && error.type !== "unexpected_state") {
        // The channel refuses it (switched off, gone): retrying cannot help; the import says why.
        await failImport(shopId, created.importId, error.message);
      } else {
        // Anything else (the database away): the job takes it from the start (orders taken in so far are idempotent).
        console.warn(`[imports] import ${created.importId} handed to the job after: ${(error as Error).message}`);
        await enqueueImport(shopId, created.importId);
      }
    }
  }
  const view = await readImport(shopId, created.importId);
  return { view, finished: view.status === "done" || view.status === "failed" };
}

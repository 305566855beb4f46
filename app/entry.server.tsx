import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "./shopify.server";
import { database } from "./.server/db/database";
import { pingDatabase } from "./.server/db/operations";
import { allowExtraFrameAncestors, preloadConfiguredAppBridge } from "./.server/shopify/document-headers";

export const streamTimeout = 5000;

export default async function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  addDocumentResponseHeaders(request, responseHeaders);
  allowExtraFrameAncestors(responseHeaders);
  preloadConfiguredAppBridge(responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}

// Exposed to server.ts through build.entry.module so the in-process worker shares this bundle's queue.
export { startWorker } from "./.server/worker/start-worker";
/** server.ts awaits this before it listens: the process's database (DATABASE_URL) is open and answers. */
export async function dbReady(): Promise<void> {
  if (!(await pingDatabase(database()))) throw new Error("the database did not answer");
}
export { acceptWebhook } from "./.server/use-cases/receive-webhook";
/** The database engine's counters (SQLite: group commits, units, replays), for operators and benchmarks. */
export function dbStats(): Record<string, number> {
  return database().stats();
}

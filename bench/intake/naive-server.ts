import http from "node:http";
import type { AddressInfo } from "node:net";
import { database } from "../../app/.server/db/database";
import { hmacMatches } from "../../app/.server/shopify/verify-webhook";
import { ingestShopifyOrder } from "../../app/.server/use-cases/ingest-shopify-order";
import { startWorker } from "../../app/.server/worker/start-worker";

// The intake bench's baseline: the handler people write first. A bare node:http server that verifies
// the HMAC and then does the whole job inside the request — parse the order and upsert it with its
// lines through the app's own use case (the same work the queued path's job does) — before it answers.
// No inbox, no webhook queue, no Express/Remix: only the inline work is different. What follows an order's
// reservation — the apply-routing job that moves the channel's fulfillment orders — runs here as in the
// embedded server (the app's worker in this process, whose only jobs are those), so both do the same work.

export async function startNaiveServer(opts: { secret: string; path: string; port?: number }): Promise<{ port: number; close(): Promise<void> }> {
  await database().get(`SELECT 1 AS "ok"`); // the app's own database handle (same connection settings), open and answering
  const worker = startWorker({ quiet: true, handleSignals: false, sharesWebProcess: true });

  const server = http.createServer((req, res) => {
    if (req.method !== "POST" || req.url !== opts.path) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const hmac = req.headers["x-shopify-hmac-sha256"];
      const shop = req.headers["x-shopify-shop-domain"];
      if (typeof hmac !== "string" || !hmacMatches(rawBody, hmac, opts.secret)) {
        res.writeHead(401).end();
        return;
      }
      if (typeof shop !== "string") {
        res.writeHead(400).end();
        return;
      }
      ingestShopifyOrder(shop.toLowerCase(), rawBody).then(
        () => res.writeHead(200).end(),
        (error: Error) => res.writeHead(500).end(error.message),
      );
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.stop();
    },
  };
}

import express from "express";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { MAX_WEBHOOK_BODY_BYTES } from "./app/domain/shared/limits";

// The production HTTP server: static assets + the Remix build. Without REDIS_URL the job worker runs
// in this process too (the embedded default); with Redis, run `npm run worker` beside it.

interface EntryModule {
  startWorker(opts?: { quiet?: boolean; handleSignals?: boolean; sharesWebProcess?: boolean }): { stop(): Promise<void> };
  dbReady(): Promise<unknown>;
  dbStats(): Record<string, number>;
  acceptWebhook(headers: { get(name: string): string | null }, rawBody: Buffer, topic: string): Promise<{ status: number; body: string | null }>;
}

/**
 * Webhook intake without the framework: the hottest endpoint (every order, every retry) is answered on bare
 * node:http — raw body → the same `acceptWebhook` use case the Remix route calls → status. Each route file
 * app/routes/webhooks.*.ts names its topic (WEBHOOK_TOPIC); anything else falls through to Remix.
 */
export function webhookIntake(build: Pick<ServerBuild, "routes">, entry: Pick<EntryModule, "acceptWebhook">) {
  const topics = new Map<string, string>();
  for (const route of Object.values(build.routes)) {
    const topic = (route.module as { WEBHOOK_TOPIC?: string }).WEBHOOK_TOPIC;
    if (topic && route.path) topics.set(`/${route.path}`, topic);
  }
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== "POST" || !req.url) return false;
    const topic = topics.get(req.url.split("?")[0]);
    if (!topic) return false;
    const chunks: Buffer[] = [];
    let size = 0;
    // Over the limit: answer 413 at once and let node discard the rest of the body (the socket stays whole,
    // so the sender reads the answer instead of a reset).
    const tooLarge = () => {
      chunks.length = 0;
      res.writeHead(413, { "Content-Type": "text/plain" }).end(`A webhook body is at most ${MAX_WEBHOOK_BODY_BYTES} bytes`);
    };
    if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BODY_BYTES) {
      tooLarge();
      req.resume();
      return true;
    }
    req.on("data", (chunk: Buffer) => {
      if (res.headersSent) return;
      size += chunk.length;
      if (size > MAX_WEBHOOK_BODY_BYTES) tooLarge();
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (res.headersSent) return;
      // Node lower-cases header names; Shopify's are single-valued.
      const headers = { get: (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : null) };
      entry
        .acceptWebhook(headers, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), topic)
        .then(({ status, body }) => res.writeHead(status, { "Content-Type": "text/plain" }).end(body ?? ""))
        .catch((error: Error) => {
          console.error("[webhooks] intake failed", error);
          res.writeHead(500).end(); // Shopify retries
        });
    });
    return true;
  };
}

export interface AppServer {
  url: string;
  port: number;
  /** The database engine's counters in this process. */
  dbStats(): Record<string, number>;
  close(): Promise<void>;
}

export async function startAppServer(opts: { port?: number; host?: string; buildDir?: string; worker?: boolean; quietWorker?: boolean } = {}): Promise<AppServer> {
  const buildDir = path.resolve(opts.buildDir ?? "build");
  const build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
  const entry = build.entry.module as unknown as EntryModule;
  await entry.dbReady();

  const app = express();
  app.disable("x-powered-by");
  app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  const runWorker = opts.worker ?? !process.env.REDIS_URL;
  const worker = runWorker ? entry.startWorker({ quiet: opts.quietWorker, handleSignals: false, sharesWebProcess: true }) : null;

  const intake = webhookIntake(build, entry);
  const host = opts.host ?? "127.0.0.1";
  const server: Server = createServer((req, res) => {
    if (!intake(req, res)) app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 3000, host, () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    dbStats: () => entry.dbStats(),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker?.stop();
    },
  };
}

// `npm start`
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const port = Number(process.env.PORT ?? 3000);
  const server = await startAppServer({ port, host: process.env.HOST ?? "127.0.0.1" });
  console.log(`App listening on ${server.url}`);
  const shutdown = () => void server.close().then(() => process.exit(0));
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

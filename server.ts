import express from "express";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";

// The production HTTP server: static assets + the Remix build. Without REDIS_URL the job worker runs
// in this process too (the embedded default); with Redis, run `npm run worker` beside it.

interface EntryModule {
  startWorker(opts?: { quiet?: boolean; handleSignals?: boolean }): { stop(): Promise<void> };
  dbReady(): Promise<unknown>;
}

export interface AppServer {
  url: string;
  port: number;
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
  const worker = runWorker ? entry.startWorker({ quiet: opts.quietWorker, handleSignals: false }) : null;

  const host = opts.host ?? "127.0.0.1";
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(opts.port ?? 3000, host, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
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

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { withChildren } from "./cpu";

// The servers a benchmark needs besides the app, on loopback: PostgreSQL and Redis. Given ones are used as
// they are (BENCH_PG_URL or TEST_PG_URL: an admin URL; REDIS_URL); otherwise a throwaway one is started in a
// folder of its own (PostgreSQL by scripts/pg-throwaway.sh, Redis by redis-server) and stopped by pid. When
// neither is given nor installed, the benchmark fails saying so: a figure is never silently left out.

export interface Service {
  url: string;
  stop(): Promise<void>;
  /** The processes serving it now (a started server: its pid, a PostgreSQL postmaster with its backends); none for a given one. */
  pids?(): number[];
}

export async function postgresForBench(): Promise<Service> {
  const given = process.env.BENCH_PG_URL || process.env.TEST_PG_URL;
  if (given) return { url: given, stop: async () => {} };
  if (!existsSync("/usr/lib/postgresql")) throw new Error("PostgreSQL is not installed (apt-get install postgresql), and neither BENCH_PG_URL nor TEST_PG_URL names a server");
  const dir = mkdtempSync(path.join(tmpdir(), "oms-bench-pg-"));
  const url = execFileSync("bash", ["scripts/pg-throwaway.sh", "start", dir], { encoding: "utf8" }).trim();
  const postmaster = () => Number(readFileSync(path.join(dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
  return { url, stop: async () => void execFileSync("bash", ["scripts/pg-throwaway.sh", "stop", dir]), pids: () => withChildren(postmaster()) };
}

export async function redisForBench(): Promise<Service> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  const dir = mkdtempSync(path.join(tmpdir(), "oms-bench-redis-"));
  const port = await freePort();
  const pidFile = path.join(dir, "redis.pid");
  try {
    execFileSync("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes", "--pidfile", pidFile, "--dir", dir], { stdio: "pipe" });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`redis-server could not start (apt-get install redis-server, or set REDIS_URL): ${(error as Error).message}`);
  }
  await waitForPort(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    pids: () => (existsSync(pidFile) ? [Number(readFileSync(pidFile, "utf8").trim())] : []),
    stop: async () => {
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : 0;
      if (pid) {
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          // already gone
        }
        for (let i = 0; i < 50 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the server (dropped by the returned stop). */
export async function freshPgDatabase(adminUrl: string, name: string): Promise<Service> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = spawn(process.execPath, ["-e", 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})']);
    let out = "";
    probe.stdout.on("data", (c: Buffer) => (out += c.toString()));
    probe.on("exit", (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error("no free port"))));
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

// Parent side of child-protocol.ts: starts a bench server script in its own Node process (via tsx's
// loader, so the pid we hold is the server itself), waits for `READY <port>`, and stops it by pid.

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export interface ServerChild {
  port: number;
  pid: number;
  /** Last lines the child wrote to stderr (for error reports). */
  stderrTail(): string;
  stop(): Promise<void>;
}

export async function startServerChild(script: string, env: NodeJS.ProcessEnv): Promise<ServerChild> {
  // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (for finding hot spots).
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(process.env.BENCH_CPU_PROF)] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", path.resolve(script)], { cwd: process.cwd(), env, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const stop = () => stopChild(child);
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`${script} not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^READY (\d+)$/m.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code}) before it was ready`));
      });
    });
    child.stdout.resume(); // keep draining whatever else it prints
    return { port, pid: child.pid!, stderrTail: () => stderr, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
}

/** SIGTERM, then SIGKILL if it has not exited within STOP_TIMEOUT_MS. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

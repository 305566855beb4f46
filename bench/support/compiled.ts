import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { compileForNode } from "../../scripts/compile-node";
import type { BenchResult } from "../run";
import { METRICS_MARK } from "./report-metrics";

// A bench whose figure is the time of app code (an import job) measures it compiled, as production runs it: `npm
// start` serves the Vite build (build/server) and its embedded worker runs jobs from that bundle; `npm run worker`
// runs build/worker, compiled the same way (scripts/compile-node.ts). Under tsx every module is transformed on its
// own and calls cross module boundaries at run time; on the import benches that made the same work ≈ 15–25 % slower
// here (ADR 0032, addendum 3). So the measurement module is compiled into bench/.compiled/<name>/ and run in a node
// process of its own, which prints its metrics as its last line (report-metrics.ts), with the node flags `npm start`,
// `npm run worker` and `npm run demo` pass (package.json `config.nodeFlags`: a larger young generation, ADR 0039).

/** The node flags the app's processes run with (package.json `config.nodeFlags`). */
export function appNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { config?: { nodeFlags?: string } };
  return (pkg.config?.nodeFlags ?? "").split(/\s+/).filter(Boolean);
}

/** Compiles `entry` and runs it in a node process of its own; its output passes through, its metrics come back. */
export async function runCompiled(entry: string, args: string[] = []): Promise<BenchResult> {
  const file = await compileForNode(entry, path.join("bench/.compiled", path.basename(entry).replace(/\.ts$/, "")));
  return new Promise<BenchResult>((resolve, reject) => {
    const child = spawn(process.execPath, [...appNodeFlags(), file, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let result: BenchResult | null = null;
    let partial = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith(METRICS_MARK)) result = JSON.parse(line.slice(METRICS_MARK.length)) as BenchResult;
        else process.stdout.write(`${line}\n`);
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (partial) process.stdout.write(`${partial}\n`);
      if (code === 0 && result) resolve(result);
      else reject(new Error(`${entry} (compiled) ${code === 0 ? "printed no metrics" : `exited with ${signal ?? `code ${code}`}`}`));
    });
  });
}

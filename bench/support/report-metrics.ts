import type { BenchResult } from "../run";

// The end of a measurement that runs compiled in a process of its own (compiled.ts): its metrics, as the last line.

export const METRICS_MARK = "@@bench-metrics@@";

/** Hands `result` to `runCompiled` and exits (stdout to a pipe is written synchronously on Linux). */
export function reportMetrics(result: BenchResult): never {
  process.stdout.write(`${METRICS_MARK}${JSON.stringify(result)}\n`);
  process.exit(0);
}

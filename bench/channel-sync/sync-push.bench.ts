import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Metric } from "../run";
import type { PhaseResult, Scenario, ScenarioResult } from "./measure";

// sync_push_p95_ms and sync_push_p95_ms_light (issue 11): per stock change, the time from its commit to Shopify's
// acceptance of a call carrying that SKU's figure reflecting it, through the stand-ins, p95 over every change (and,
// once a second channel is measured, over every channel's changes). Changes are orders of another channel taken in
// through the app's intake (each reserves one unit at the site routing picks, which moves the Shopify hold there),
// open-loop at 1,000 a second for 10 s (light: 50 a second) over 1,000 SKUs, against the stand-in's plan budget of
// 100 points a second (bucket 2,000). The pipeline is the app's: the `sync-channel-stock` job enqueued by the
// intake for the production window, run by the in-process queue (bench/channel-sync/measure.ts).
//
// Baseline, same run, same changes at the same times, same budget (a shop of its own, so its own full bucket): a
// naive pusher sending one inventoryMoveQuantities per change as the change commits, no coalescing, no batching
// (bench/channel-sync/shopify.ts). A change still unsent when a phase stops (after its drain cap) counts with the
// time it had waited, and the figure is then marked a lower bound.
//
// A change's time is its ledger entry's createdAt, written as its transaction runs, a few ms before the commit (the
// app's own ChannelPush lag counts from it too; the p95 from the writer's post-commit timestamps is in the note).
// Acceptance is when the stand-in's answer reached the app. Each scenario runs in a child process of its own on a
// fresh SQLite database, with the stand-in in a process of its own.

const SCENARIOS: (Scenario & { metric: string; targetMs: number })[] = [
  { metric: "sync_push_p95_ms", name: "1,000 changes/s", ratePerS: 1_000, seconds: Number(process.env.BENCH_SYNC_SECONDS ?? 10), drainCapS: 3, targetMs: 2_000 },
  { metric: "sync_push_p95_ms_light", name: "50 changes/s", ratePerS: 50, seconds: Number(process.env.BENCH_SYNC_SECONDS ?? 10), drainCapS: 25, targetMs: 500 },
];

function runChild(databaseUrl: string, scenario: Scenario, resultFile: string): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "sync-push-bench-key",
    SHOPIFY_API_SECRET: "sync-push-bench-secret",
    SHOPIFY_APP_URL: "http://127.0.0.1:3999",
    BENCH_SCENARIO: JSON.stringify(scenario),
    BENCH_RESULT_FILE: resultFile,
  };
  delete env.CHANNEL_SYNC_WINDOW_MS; // the production window (tests shorten it)
  return new Promise((resolve, reject) => {
    // stdout carries the Shopify library's per-request log line; progress and errors come on stderr.
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("bench/channel-sync/measure.ts")], { cwd: process.cwd(), env, stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`bench/channel-sync/measure.ts (${scenario.name}) exited with ${signal ?? code}`))));
  });
}

const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : "—");

function phaseText(p: PhaseResult): string {
  const calls = p.channels.map((c) => `${c.channel}: ${c.calls.accepted} calls accepted of ${c.calls.sent} sent (${c.calls.throttled} throttled, ${c.calls.refused} refused), ${c.calls.changes} changes in them, ${c.calls.points} points (${(c.calls.points / p.stoppedAfterS).toFixed(0)}/s over ${p.stoppedAfterS.toFixed(1)} s), lowest bucket ${c.calls.lowestBucket ?? "—"}`).join("; ");
  const unsent = p.unsent > 0 ? `${p.unsent} of ${p.samples} changes never accepted (counted with the time they had waited${p.lowerBound ? ": the p95 is a lower bound" : ""})` : `every one of ${p.samples} changes accepted`;
  return `${unsent}; p50 ${ms(p.p50Ms)}, max ${ms(p.maxMs)}; from the writer's post-commit timestamps p95 ${ms(p.p95FromReturnMs)}; ${calls}; ${p.committed} changes committed at ${p.achievedPerS.toFixed(0)}/s (${p.writerErrors} writer errors, start lateness p95 ${ms(p.generatorLateP95Ms)}, up to ${p.maxInFlight} in flight)`;
}

function metricOf(s: (typeof SCENARIOS)[number], r: ScenarioResult): Metric {
  const { pipeline, naive } = r;
  const problems = [...pipeline.channels, ...naive.channels].flatMap((c) => c.problems);
  const met = pipeline.p95Ms < s.targetMs && pipeline.unsent === 0 && problems.length === 0;
  const drained = pipeline.drainedInS === null ? `NOT drained within ${s.drainCapS} s` : `drained ${pipeline.drainedInS.toFixed(1)} s after the last change`;
  const naiveEnd = naive.drainedInS === null ? `stopped ${s.drainCapS} s after the last change with ${naive.stillQueued} changes still queued` : `drained ${naive.drainedInS.toFixed(1)} s after the last change`;
  return {
    value: Math.round(pipeline.p95Ms),
    unit: "ms",
    baseline: Math.round(naive.p95Ms),
    target: `< ${s.targetMs} (${met ? "met" : "MISSED"}); ${s.ratePerS} changes/s for ${s.seconds} s over ${r.skus} SKUs, open loop, budget 100 points/s (bucket 2000), window ${r.windowMs} ms; baseline: one call per change, no coalescing${naive.lowerBound ? " (a lower bound: see note)" : ""}`,
    note: [
      `pipeline: ${phaseText(pipeline)}; ${pipeline.jobRuns} sync job runs (p50 ${ms(pipeline.jobMs.p50)}, max ${ms(pipeline.jobMs.max)}; ${pipeline.jobsFailed} failed), ${drained}; app's ChannelPush rows (one per figure sent, lag from its oldest change): ${pipeline.channelPush.rows}, p95 ${ms(pipeline.channelPush.p95Ms)}, max ${ms(pipeline.channelPush.maxMs)}`,
      `naive: ${phaseText(naive)}; ${naiveEnd}${naive.failures.length ? `; failures: ${naive.failures.join(" | ")}` : ""}`,
      ...(problems.length ? [`PROBLEMS: ${problems.slice(0, 5).join(" | ")}${problems.length > 5 ? ` (+${problems.length - 5})` : ""}`] : []),
    ].join(" — "),
  };
}

export async function run(): Promise<Record<string, Metric>> {
  const results: Record<string, Metric> = {};
  const only = process.env.BENCH_SYNC_ONLY; // "sync_push_p95_ms" or "sync_push_p95_ms_light": one scenario, while working on it
  for (const s of SCENARIOS.filter((x) => !only || x.metric === only)) {
    const dir = mkdtempSync(path.join(tmpdir(), "oms-bench-sync-push-"));
    try {
      const resultFile = path.join(dir, "result.json");
      const started = Date.now();
      await runChild(`file:${path.join(dir, "bench.db")}`, s, resultFile);
      const r = JSON.parse(readFileSync(resultFile, "utf8")) as ScenarioResult;
      const m = metricOf(s, r);
      console.log(`  ${s.metric}: p95 ${m.value} ms (target < ${s.targetMs} ms), naive baseline p95 ${m.baseline} ms${r.naive.lowerBound ? " (lower bound)" : ""}; ${((Date.now() - started) / 1_000).toFixed(1)} s`);
      results[s.metric] = m;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

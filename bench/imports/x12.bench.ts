import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { compileForNode } from "../../scripts/compile-node";
import type { Metric } from "../run";
import { generateX12PurchaseOrders } from "./x12-generator";

// x12_parse_mb_per_s: an X12 file of ≈ 8 MB of 850 purchase orders (bench/imports/x12-generator.ts, seed 21: ≈ 12,000
// POs in interchanges of 500, 1–9 lines each) read from disk and parsed as the import parses it before anything else
// can happen — the bytes decoded, every interchange cut into segments and checked by node-x12's envelope rules
// (readInterchanges: counts, control numbers), and every 850 read into its purchase order with its problems
// (read850), all kept —, in MB of file per second. Baseline, same run: simply reading the file (fs.readFile →
// string). Each is the median of 5 runs, measured compiled in a process of its own (x12-measure.ts: a worker's heap, not
// the generator's); the whole format parse (the same, plus every segment's result and document,
// readX12PurchaseOrders) is given beside it. The database check and storing orders are the CSV PO bench's figures
// (csv-po.bench.ts): the same createApiOrder path.

const BYTES = Number(process.env.BENCH_X12_BYTES ?? 8 * 1024 * 1024);
const RUNS = 5;
const TARGET_MB_S = 10;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<Record<string, Metric>> {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-bench-x12-"));
  try {
    const skus = Array.from({ length: 200 }, (_, i) => `WS-${String(i).padStart(4, "0")}`);
    const parts = skus.map((_, i) => `BUYER-${String(90_000 + i)}`);
    const generated = generateX12PurchaseOrders({ bytes: BYTES, seed: 21, skus, parts });
    const file = path.join(dir, "purchase-orders.edi");
    writeFileSync(file, generated.text);
    return await measure(file, generated);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(file: string, generated: ReturnType<typeof generateX12PurchaseOrders>): Promise<Record<string, Metric>> {
  // Compiled, as production runs the parse (bench/support/compiled.ts).
  const measurer = await compileForNode("bench/imports/x12-measure.ts", "bench/.compiled/x12-measure");
  const out = execFileSync(process.execPath, [measurer, file, String(RUNS)], { encoding: "utf8", timeout: 300_000 });
  const m = JSON.parse(out.trim().split("\n").pop()!) as { size: number; sets: number; problems: number; documents: number; reads: number[]; parses: number[]; formats: number[] };
  if (m.sets !== generated.purchaseOrders || m.problems !== 0 || m.documents !== generated.purchaseOrders) throw new Error(`the generated file read ${m.sets} sets (${m.documents} documents) with ${m.problems} problems; expected ${generated.purchaseOrders} and none`);
  const mb = m.size / 1024 / 1024;
  const readS = median(m.reads);
  const parseS = median(m.parses);
  const formatS = median(m.formats);
  const detail = `${mb.toFixed(1)} MB, ${generated.interchanges} interchanges, ${generated.purchaseOrders.toLocaleString("en-US")} POs, ${generated.lines.toLocaleString("en-US")} PO1 lines; read + readInterchanges + read850 ${parseS.toFixed(2)} s (median of ${RUNS}: ${m.parses.map((s) => s.toFixed(2)).join(", ")}), reading the file alone ${readS.toFixed(3)} s — the parse takes ${(parseS / readS).toFixed(1)}× the read; the whole format parse with every segment's result (readX12PurchaseOrders) ${formatS.toFixed(2)} s = ${(mb / formatS).toFixed(1)} MB/s`;
  console.log(`  ${detail}`);
  return {
    x12_parse_mb_per_s: {
      value: mb / parseS,
      unit: "MB/s",
      baseline: mb / readS,
      target: `≥ ${TARGET_MB_S} (fs.readFile + decode + readInterchanges with node-x12's envelope checks + read850 of every set, kept; baseline: fs.readFile → string)`,
      note: detail,
    },
  };
}

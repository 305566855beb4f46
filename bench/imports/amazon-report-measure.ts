import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Metric } from "../run";
import { onFreshDatabase } from "../support/fresh-database";
import { reportMetrics } from "../support/report-metrics";
import { stockedShop } from "./stocked-shop";
import { generateAllOrdersReport } from "./report-generator";

// amazon_report_100k_lines_s: an Amazon all-orders report of 100,000 lines (bench/imports/report-generator.ts, seed
// 12: ≈ 60,000 orders, 200 SKUs, 26 MB) imported end to end on SQLite (the embedded default, a fresh file) exactly as
// the `import` job runs it: the file kept (SHA-256, gzip, stored), the import recorded, parsed and validated, every
// order taken in (plain new orders through the batch intake, ADR 0032; FBA, cancelled and the rest through the Amazon
// ingestion path; stored, routed and reserved at 10 locations; shipped units followed), every line's result and the
// progress written. The median of 3 such imports (BENCH_IMPORT_RUNS), each on a database of its own; every run's
// time is in the note. Baseline, same run: simply reading the file (fs.readFile + split into lines).
//
// amazon_report_100k_lines_parse_s: the same file read, decoded, parsed, validated, grouped and mapped — everything
// before anything is stored (what an all-or-nothing import must finish before it may store the first order).
//
// amazon_report_10k_lines_per_order_s: the first 10,000 lines imported one order per transaction (batchSize 1, the
// path before ADR 0032) into a fresh shop; its baseline is the same sample through the batch intake into another,
// back to back in this process, so noise from other work on the machine hits both alike.
//
// `npm run bench` runs this module compiled, in a process of its own (amazon-report.bench.ts, bench/support/compiled.ts):
// the app code as production runs it (the Vite build), not tsx's per-file transform.

const LINES = Number(process.env.BENCH_IMPORT_LINES ?? 100_000);
const STORED_LINES = Number(process.env.BENCH_IMPORT_STORED_LINES ?? 10_000);
const SKUS = 200;
const LOCATIONS = 10;
const TARGET_S = 10;
/** Runs of the whole file, each on a fresh database; the figure is their median (this VM's noise is ±10–15 %). */
const WHOLE_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3);

async function run(): Promise<Record<string, Metric>> {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-bench-import-"));
  try {
    const skus = Array.from({ length: SKUS }, (_, i) => `AMZ-${String(i).padStart(4, "0")}`);
    const report = generateAllOrdersReport({ lines: LINES, seed: 12, skus });
    const file = path.join(dir, "all-orders.txt");
    writeFileSync(file, report.text);
    const stored = generateAllOrdersReport({ lines: STORED_LINES, seed: 12, skus });
    const storedFile = path.join(dir, "all-orders-10k.txt");
    writeFileSync(storedFile, stored.text);
    const full = { file, ...report };
    const first = await onFreshDatabase(`file:${path.join(dir, "bench.db")}`, () => measureParseAndSample(full, { file: storedFile, ...stored }, skus));
    // The whole file end to end, each run on a database of its own (the median is the figure; every run is reported).
    const wholes: Imported[] = [];
    for (let r = 0; r < WHOLE_RUNS; r++) {
      const db = path.join(dir, `whole-${r}.db`);
      wholes.push(await onFreshDatabase(`file:${db}`, async () => importInto(await amazonShop(`bench-import-${r}.myshopify.com`, skus), full.file, full.lines)));
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${db}${suffix}`, { force: true });
    }
    return metricsOf(first, wholes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ReportFile {
  file: string;
  lines: number;
  orders: number;
}

interface Imported {
  seconds: number;
  orders: number;
  detail: string;
}

/** A shop with stock for every SKU at ten locations, and its Amazon channel. */
async function amazonShop(domain: string, skus: readonly string[]): Promise<{ shopId: string; channelId: string }> {
  const { database } = await import("../../app/.server/db/database");
  const { ensureChannel } = await import("../../app/.server/db/shops");
  const { shopId } = await stockedShop(domain, skus, LOCATIONS);
  const channel = await database().transaction((tx) => ensureChannel(tx, shopId, "amazon", "Amazon US"));
  return { shopId, channelId: channel.id };
}

/** Imports `file` into the shop end to end, as the import job does; jobs the orders enqueue are not run. */
async function importInto(shop: { shopId: string; channelId: string }, file: string, lines: number, batchSize?: number): Promise<Imported> {
  const { database } = await import("../../app/.server/db/database");
  const { setQueue } = await import("../../app/.server/jobs/queue");
  const { InProcessQueue } = await import("../../app/.server/queues/in-process-queue");
  const { createImport } = await import("../../app/.server/use-cases/create-import");
  const { runImport } = await import("../../app/.server/use-cases/run-import");
  const { readImport } = await import("../../app/.server/use-cases/read-imports");
  setQueue(new InProcessQueue()); // jobs the orders enqueue (routing applied to Shopify, channel sync) are not run: we measure the import
  const { shopId, channelId } = shop;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const bytes = await readFile(file);
  const { importId } = await createImport(shopId, { format: "amazon-orders-report", bytes, filename: path.basename(file), channelId, mode: "all-or-nothing", source: "api" }, { queue: false });
  await runImport(shopId, importId, { batchSize });
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  const view = await readImport(shopId, importId, { limit: 1 });
  if (view.status !== "done" || view.failedLines > 0) throw new Error(`the import did not finish clean: ${view.status}, ${view.failedLines} refused: ${view.error}`);
  const reserved = Number((await database().get<{ n: number }>(`SELECT SUM("reserved") AS "n" FROM "InventoryLevel" WHERE "shopId" = ?`, shopId))!.n);
  const s = view.summary!;
  return { seconds, orders: s.orders, detail: `${lines.toLocaleString("en-US")} lines, ${s.orders.toLocaleString("en-US")} orders taken in (${s.created} new, ${s.cancelled} cancelled; ${s.skippedLines} Non-Amazon lines skipped), ${reserved} units reserved; ${(lines / seconds).toFixed(0)} lines/s, ${(s.orders / seconds).toFixed(0)} orders/s, CPU ${((used.user + used.system) / 1e6 / s.orders * 1000).toFixed(2)} ms per order` };
}

async function measureParseAndSample(full: ReportFile, sample: ReportFile, skus: string[]) {
  const { parseAmazonOrderReport } = await import("../../app/domain/imports/amazon-order-report");

  // Baseline: read the file and split it into lines.
  let t = performance.now();
  const baselineLines = (await readFile(full.file, "utf8")).split(/\r?\n/).length;
  const readS = (performance.now() - t) / 1000;

  // Parse + validate + map, from the file on disk.
  t = performance.now();
  const bytes = await readFile(full.file);
  const parsed = parseAmazonOrderReport(bytes);
  const parseS = (performance.now() - t) / 1000;
  if (parsed.fileError || parsed.totalLines !== full.lines || parsed.lines.some((l) => !l.ok)) throw new Error(`the generated report did not parse whole: ${parsed.fileError ?? `${parsed.totalLines} lines`}`);
  const parseDetail = `${full.lines.toLocaleString("en-US")} lines (${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB, ${baselineLines.toLocaleString("en-US")} read by the baseline), ${parsed.documents.length.toLocaleString("en-US")} orders mapped`;

  // Back to back in this process (noise from other work hits both alike): the sample imported one order per
  // transaction (batchSize 1: the per-order path) into one fresh shop, then in batches into another.
  const perOrder = await importInto(await amazonShop("bench-import-per-order.myshopify.com", skus), sample.file, sample.lines, 1);
  const batched = await importInto(await amazonShop("bench-import-batched.myshopify.com", skus), sample.file, sample.lines);
  const compareDetail = `${sample.lines.toLocaleString("en-US")} lines back to back: per-order path ${(perOrder.orders / perOrder.seconds).toFixed(0)} orders/s (${perOrder.seconds.toFixed(2)} s), batch intake ${(batched.orders / batched.seconds).toFixed(0)} orders/s (${batched.seconds.toFixed(2)} s), ×${(perOrder.seconds / batched.seconds).toFixed(1)}`;
  return { readS, parseS, parseDetail, perOrder, batched, compareDetail };
}

function metricsOf(first: Awaited<ReturnType<typeof measureParseAndSample>>, wholes: Imported[]): Record<string, Metric> {
  const { readS, parseS, parseDetail, perOrder, batched, compareDetail } = first;
  const whole = [...wholes].sort((a, b) => a.seconds - b.seconds)[Math.floor(wholes.length / 2)];
  const runs = `median of ${wholes.length} runs, each on a fresh database: ${wholes.map((w) => `${w.seconds.toFixed(2)} s`).join(", ")}`;
  console.log(`  read ${readS.toFixed(2)} s; parse+validate+map ${parseS.toFixed(2)} s (${parseDetail}); stored end to end ${whole.seconds.toFixed(2)} s (${runs}; ${whole.detail}); ${compareDetail}`);
  return {
    amazon_report_100k_lines_s: {
      value: whole.seconds,
      unit: "s",
      baseline: readS,
      target: `< ${TARGET_S} (end to end on SQLite: kept, parsed, validated, every order stored, routed and reserved through the batch intake, every line result written; baseline: fs.readFile + split lines)`,
      note: `${runs}. ${whole.detail}. Parse+validate+map alone ${parseS.toFixed(2)} s (amazon_report_100k_lines_parse_s). ${compareDetail}.`,
    },
    amazon_report_100k_lines_parse_s: {
      value: parseS,
      unit: "s",
      baseline: readS,
      target: "(read + decode + parse + validate every line + group + map every order; nothing stored)",
      note: parseDetail,
    },
    amazon_report_10k_lines_per_order_s: {
      value: perOrder.seconds,
      unit: "s",
      baseline: batched.seconds,
      target: "(the sample one order per transaction; baseline: the same sample through the batch intake, back to back in this process)",
      note: `${perOrder.detail} | batch: ${batched.detail}`,
    },
  };
}

reportMetrics(await run());

import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// `npm run bench [filter]`: runs every bench/**/*.bench.ts module's run(), prints each metric beside
// the baseline it was measured against in the same run, and saves bench/results/latest.json as
// { "<metric>": { "value": n, "unit": "...", "baseline": n | null } }.

export interface Metric {
  value: number;
  unit: string;
  baseline: number | null;
  target?: string;
  /** What the figure does not say by itself (e.g. requests that went unanswered). */
  note?: string;
}
export type BenchResult = Record<string, Metric>;

function findBenches(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "results" ? [] : findBenches(full);
    return name.endsWith(".bench.ts") ? [full] : [];
  });
}

const filter = process.argv[2];
const files = findBenches(path.resolve("bench")).filter((f) => !filter || f.includes(filter)).sort();
const results: BenchResult = {};
for (const file of files) {
  const started = Date.now();
  process.stdout.write(`▶ ${path.relative(process.cwd(), file)}\n`);
  const mod = (await import(pathToFileURL(file).href)) as { run: () => Promise<BenchResult> };
  Object.assign(results, await mod.run());
  process.stdout.write(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const rows = Object.entries(results).map(([name, m]) => [name, `${round(m.value)} ${m.unit}`, m.baseline === null ? "—" : `${round(m.baseline)} ${m.unit}`, m.target ?? ""]);
const widths = [0, 1, 2, 3].map((i) => Math.max(...[["metric", "value", "baseline", "target"], ...rows].map((r) => r[i].length)));
for (const row of [["metric", "value", "baseline", "target"], ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i])).join("  "));
for (const [name, m] of Object.entries(results)) if (m.note) console.log(`note on ${name}: ${m.note}`);

mkdirSync(path.resolve("bench/results"), { recursive: true });
const out = Object.fromEntries(Object.entries(results).map(([k, m]) => [k, { value: m.value, unit: m.unit, baseline: m.baseline, ...(m.note ? { note: m.note } : {}) }]));
writeFileSync(path.resolve("bench/results/latest.json"), JSON.stringify(out, null, 2) + "\n");
console.log(`saved bench/results/latest.json (${Object.keys(out).length} metrics)`);
process.exit(0);

function round(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4);
}

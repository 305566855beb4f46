import { readFile } from "node:fs/promises";
import { read850 } from "../../app/domain/edi/x12-850";
import { readInterchanges } from "../../app/domain/edi/x12-read";
import { readX12PurchaseOrders } from "../../app/domain/wholesale/x12-po";

// `node <compiled x12-measure.mjs> <file> <runs>`: the X12 parse bench's measurement (x12.bench.ts, compiled there),
// in a process of its own as the import job parses a file in the worker — not in the bench's, whose heap holds the
// generator's garbage. Prints one JSON line: seconds per run of reading the file alone, of the parse (read + decode +
// readInterchanges + read850 of every set, every result kept), and of the whole format parse (readX12PurchaseOrders).

const [file, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 5);
const reads: number[] = [];
const parses: number[] = [];
const formats: number[] = [];
let size = 0;
let sets = 0;
let problems = 0;
let documents = 0;
for (let i = 0; i < runs; i++) {
  let t = performance.now();
  const text = await readFile(file, "utf8");
  reads.push((performance.now() - t) / 1000);
  size = Buffer.byteLength(text);

  t = performance.now();
  const all = readInterchanges(await readFile(file));
  if (!all.ok) throw new Error(`the file did not read: ${all.error}`);
  // Every purchase order read and kept, as the import keeps them until it has decided what to do with each.
  const orders = all.interchanges.flatMap((ic) => ic.groups.flatMap((g) => g.transactionSets.map((set) => read850(set, ic))));
  parses.push((performance.now() - t) / 1000);
  sets = orders.length;
  problems = orders.reduce((n, r) => n + r.problems.length, 0);
}
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const parsed = readX12PurchaseOrders(await readFile(file));
  formats.push((performance.now() - t) / 1000);
  if (parsed.fileError) throw new Error(`the file did not parse: ${parsed.fileError}`);
  documents = parsed.documents.length;
}
console.log(JSON.stringify({ size, sets, problems, documents, reads, parses, formats }));

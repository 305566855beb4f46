// Receiving against a purchase order (issue 13, item 2; ADR 0029): what a scan matches, and each line's outcome
// and the order's receiving accuracy from what was scanned. Pure: plain data in, plain data out.

export interface ScannableLine {
  lineNumber: number;
  sku: string;
  /** The variant's barcode, when the catalog has one. */
  barcode?: string | null;
}

/** The order line a scanned or typed code names: its SKU (case-insensitive) or its barcode; null when none. */
export function matchScan<L extends ScannableLine>(lines: readonly L[], code: string): L | null {
  const c = code.trim();
  if (c === "") return null;
  return lines.find((l) => l.sku === c) ?? lines.find((l) => l.sku.toLowerCase() === c.toLowerCase()) ?? lines.find((l) => l.barcode != null && l.barcode !== "" && l.barcode === c) ?? null;
}

export interface ReceivedLine {
  lineNumber: number;
  sku: string;
  ordered: number;
  /** Good units scanned in. */
  good: number;
  damaged: number;
}

export type LineOutcome = "as_expected" | "over" | "short" | "damaged" | "not_received";

export interface LineReport extends ReceivedLine {
  over: number;
  short: number;
  outcome: LineOutcome;
}

export interface ReceivingAccuracy {
  lines: number;
  linesAsExpected: number;
  /** linesAsExpected ÷ lines (1 with no lines). */
  lineAccuracy: number;
  unitsOrdered: number;
  unitsGood: number;
  unitsDamaged: number;
  /** Σ min(good, ordered) ÷ Σ max(ordered, good + damaged): short, over and damaged units all lower it. */
  unitAccuracy: number;
}

/**
 * A line is received as expected when exactly what was ordered arrived good, none damaged. Otherwise it is
 * damaged (any damaged unit), over (more good units than ordered), short (fewer, some received) or not received.
 */
export function lineReport(l: ReceivedLine): LineReport {
  const over = Math.max(0, l.good - l.ordered);
  const short = Math.max(0, l.ordered - l.good);
  const outcome: LineOutcome = l.damaged > 0 ? "damaged" : over > 0 ? "over" : short === 0 ? "as_expected" : l.good === 0 ? "not_received" : "short";
  return { ...l, over, short, outcome };
}

export function receivingAccuracy(lines: readonly ReceivedLine[]): ReceivingAccuracy {
  const reports = lines.map(lineReport);
  const asExpected = reports.filter((r) => r.outcome === "as_expected").length;
  const matched = lines.reduce((s, l) => s + Math.min(l.good, l.ordered), 0);
  const base = lines.reduce((s, l) => s + Math.max(l.ordered, l.good + l.damaged), 0);
  return {
    lines: lines.length,
    linesAsExpected: asExpected,
    lineAccuracy: lines.length === 0 ? 1 : asExpected / lines.length,
    unitsOrdered: lines.reduce((s, l) => s + l.ordered, 0),
    unitsGood: lines.reduce((s, l) => s + l.good, 0),
    unitsDamaged: lines.reduce((s, l) => s + l.damaged, 0),
    unitAccuracy: base === 0 ? 1 : matched / base,
  };
}

// Labour figures (issue 13, item 8; ADR 0034): warehouse scan events → picks/hour, lines/hour, mean pack time and
// receiving throughput, per worker and per day. Pure: plain data in, plain data out.
//
// Hours are active time, not clock time: each event is credited with the gap since the same worker's previous
// event of the same UTC day, capped at ACTIVE_GAP_CAP_MS (a longer gap is a break: only the cap counts), and that
// time goes to the kind of the event it ends (the walk and search before a pick is picking time). A worker's first
// event of a day is credited nothing, so one lone event gives no rate (null) rather than an invented one.

export type LabourKind = "receive" | "putaway" | "pick" | "pack" | "ship" | "count";
export const LABOUR_KIND_LIST: readonly LabourKind[] = ["receive", "putaway", "pick", "pack", "ship", "count"];

export const ACTIVE_GAP_CAP_MS = 10 * 60_000;

export interface LabourEvent {
  worker: string;
  kind: LabourKind;
  lines: number;
  units: number;
  durationMs: number | null;
  /** ISO time. */
  at: string;
}

export interface KindFigures {
  events: number;
  lines: number;
  units: number;
  activeMs: number;
}

export interface LabourFigures {
  activeHours: number;
  /** Pick units per hour of picking; null without picking time. */
  picksPerHour: number | null;
  /** Pick lines per hour of picking. */
  linesPerHour: number | null;
  /** Mean measured pack time (ms) of pack events that carry a duration; null: none. */
  meanPackMs: number | null;
  /** Units received per hour of receiving. */
  receivedUnitsPerHour: number | null;
  receivedUnits: number;
  receivedLines: number;
  picks: number;
  pickLines: number;
  packs: number;
  putaways: number;
  counts: number;
  byKind: Record<LabourKind, KindFigures>;
}

export interface LabourRow extends LabourFigures {
  worker: string;
  day: string;
}

export interface LabourReport {
  /** One row per worker and UTC day, by day then worker. */
  rows: LabourRow[];
  /** Per worker over the whole period. */
  workers: (LabourFigures & { worker: string })[];
  /** Per day over every worker. */
  days: (LabourFigures & { day: string })[];
  total: LabourFigures;
}

const HOUR_MS = 3_600_000;

const emptyKinds = (): Record<LabourKind, KindFigures> =>
  Object.fromEntries(LABOUR_KIND_LIST.map((k) => [k, { events: 0, lines: 0, units: 0, activeMs: 0 }])) as Record<LabourKind, KindFigures>;

interface Acc {
  byKind: Record<LabourKind, KindFigures>;
  packMs: number;
  packTimed: number;
}

const newAcc = (): Acc => ({ byKind: emptyKinds(), packMs: 0, packTimed: 0 });

function add(acc: Acc, e: LabourEvent, creditMs: number): void {
  const k = acc.byKind[e.kind];
  k.events += 1;
  k.lines += e.lines;
  k.units += e.units;
  k.activeMs += creditMs;
  if (e.kind === "pack" && e.durationMs !== null && e.durationMs >= 0) {
    acc.packMs += e.durationMs;
    acc.packTimed += 1;
  }
}

function merge(into: Acc, from: Acc): void {
  for (const kind of LABOUR_KIND_LIST) {
    const a = into.byKind[kind];
    const b = from.byKind[kind];
    a.events += b.events;
    a.lines += b.lines;
    a.units += b.units;
    a.activeMs += b.activeMs;
  }
  into.packMs += from.packMs;
  into.packTimed += from.packTimed;
}

const rate = (n: number, ms: number): number | null => (ms > 0 ? n / (ms / HOUR_MS) : null);

function figures(acc: Acc): LabourFigures {
  const k = acc.byKind;
  const activeMs = LABOUR_KIND_LIST.reduce((s, kind) => s + k[kind].activeMs, 0);
  return {
    activeHours: activeMs / HOUR_MS,
    picksPerHour: rate(k.pick.units, k.pick.activeMs),
    linesPerHour: rate(k.pick.lines, k.pick.activeMs),
    meanPackMs: acc.packTimed > 0 ? acc.packMs / acc.packTimed : null,
    receivedUnitsPerHour: rate(k.receive.units, k.receive.activeMs),
    receivedUnits: k.receive.units,
    receivedLines: k.receive.lines,
    picks: k.pick.units,
    pickLines: k.pick.lines,
    packs: k.pack.events,
    putaways: k.putaway.events,
    counts: k.count.events,
    byKind: structuredClone(k),
  };
}

/** Active time credited to each event (same order as given): the capped gap since the worker's previous event that day. */
export function activeCredits(events: readonly LabourEvent[], capMs = ACTIVE_GAP_CAP_MS): number[] {
  const order = events.map((e, i) => ({ i, t: Date.parse(e.at) })).sort((a, b) => a.t - b.t || a.i - b.i);
  const last = new Map<string, number>();
  const credit = new Array<number>(events.length).fill(0);
  for (const { i, t } of order) {
    const e = events[i]!;
    if (!Number.isFinite(t)) throw new RangeError(`A labour event needs a time, got ${JSON.stringify(e.at)}`);
    const key = `${e.worker}\u0000${new Date(t).toISOString().slice(0, 10)}`;
    const prev = last.get(key);
    credit[i] = prev === undefined ? 0 : Math.min(t - prev, capMs);
    last.set(key, t);
  }
  return credit;
}

/** The dashboard's figures from a period's events. */
export function labourReport(events: readonly LabourEvent[], capMs = ACTIVE_GAP_CAP_MS): LabourReport {
  const credits = activeCredits(events, capMs);
  const cells = new Map<string, { worker: string; day: string; acc: Acc }>();
  events.forEach((e, i) => {
    const day = new Date(Date.parse(e.at)).toISOString().slice(0, 10);
    const key = `${day}\u0000${e.worker}`;
    const cell = cells.get(key) ?? { worker: e.worker, day, acc: newAcc() };
    add(cell.acc, e, credits[i]!);
    cells.set(key, cell);
  });
  const sorted = [...cells.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0));
  const byWorker = new Map<string, Acc>();
  const byDay = new Map<string, Acc>();
  const total = newAcc();
  for (const c of sorted) {
    merge(byWorker.get(c.worker) ?? byWorker.set(c.worker, newAcc()).get(c.worker)!, c.acc);
    merge(byDay.get(c.day) ?? byDay.set(c.day, newAcc()).get(c.day)!, c.acc);
    merge(total, c.acc);
  }
  return {
    rows: sorted.map((c) => ({ worker: c.worker, day: c.day, ...figures(c.acc) })),
    workers: [...byWorker].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([worker, acc]) => ({ worker, ...figures(acc) })),
    days: [...byDay].map(([day, acc]) => ({ day, ...figures(acc) })),
    total: figures(total),
  };
}

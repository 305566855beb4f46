// The stand-in's state kept with the demo's data (`startShopifySandbox({ dataDir })`), so a restarted demo
// continues where it stopped instead of replaying order and line ids with other content:
// - ids: a durable counter that reserves blocks ahead on disk before handing any out, so even a killed
//   process (SIGKILL) never hands out an id again — at worst a restart skips the rest of a block;
// - the store (shops with their orders, draft orders, fulfillment orders, fulfillments, levels, order numbers; access
//   tokens): a JSON snapshot written every second when it changed and on close. After a kill, what changed
//   since the last snapshot is lost (as if Shopify had lost it) and order numbers skip ahead, so names are
//   not reused either.
import { existsSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { ID_BASE } from "./ids";
import type { AccessTokenRec, SandboxStore, ShopState } from "./store";

/** Order numbers skipped after an unclean stop: more than the snapshots can fall behind by. */
export const ORDER_NUMBER_GAP_AFTER_CRASH = 1000;

/**
 * Ids from `start` on (never below what any earlier process reserved in `file`): each block of `block` ids
 * is recorded on disk before its first id is handed out.
 */
export function durableIdCounter(file: string, start: bigint = ID_BASE + 900_000_000_000n, block = 1_000n): () => bigint {
  const saved = existsSync(file) ? BigInt((JSON.parse(readFileSync(file, "utf8")) as { reservedUpTo: string }).reservedUpTo) : start;
  let next = saved > start ? saved : start; // every id handed out before is ≤ what was reserved
  let reservedUpTo = next;
  return () => {
    next += 1n;
    if (next > reservedUpTo) {
      reservedUpTo = next + block;
      writeAtomically(file, JSON.stringify({ reservedUpTo: reservedUpTo.toString() }), { sync: true });
    }
    return next;
  };
}

interface Snapshot {
  version: 1;
  clean: boolean;
  shops: ShopState[];
  tokens: AccessTokenRec[];
}

/** Loads a snapshot into the store; returns the shop domains it restored (none when there is no file). */
export function loadStoreState(store: SandboxStore, file: string): string[] {
  if (!existsSync(file)) return [];
  const snapshot = JSON.parse(readFileSync(file, "utf8"), revive) as Snapshot;
  for (const shop of snapshot.shops) {
    if (!snapshot.clean) shop.nextOrderNumber += ORDER_NUMBER_GAP_AFTER_CRASH;
    for (const level of shop.levels.values()) level.quantities.safety_stock ??= 0; // snapshots from before the state was kept
    shop.draftOrders ??= new Map(); // snapshots from before draft orders
    shop.nextDraftNumber ??= 1;
    store.shops.set(shop.domain, shop);
  }
  for (const token of snapshot.tokens) store.tokens.set(token.token, token);
  return snapshot.shops.map((s) => s.domain);
}

/** Writes the store's snapshot when it differs from `previous`; returns the text written (or `previous`). */
export function saveStoreState(store: SandboxStore, file: string, opts: { clean: boolean; previous?: string }): string {
  const snapshot: Snapshot = { version: 1, clean: opts.clean, shops: [...store.shops.values()], tokens: [...store.tokens.values()] };
  const text = JSON.stringify(snapshot, replace);
  if (text !== opts.previous) writeAtomically(file, text, { sync: opts.clean });
  return text;
}

/** Snapshots the store every `everyMs` when it changed; `stop()` writes a last, clean snapshot. */
export function persistStore(store: SandboxStore, file: string, everyMs = 1_000): { flush(): void; stop(): void } {
  let previous: string | undefined;
  const flush = () => {
    previous = saveStoreState(store, file, { clean: false, previous });
  };
  flush(); // marks the state unclean until a clean stop
  const timer = setInterval(flush, everyMs);
  timer.unref();
  return {
    flush,
    stop() {
      clearInterval(timer);
      saveStoreState(store, file, { clean: true });
    },
  };
}

function writeAtomically(file: string, text: string, opts: { sync: boolean }): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    if (opts.sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

// JSON with the store's BigInt ids and Maps kept as such.
function replace(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (value instanceof Map) return { $map: [...value.entries()] };
  return value;
}

function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    if ("$bigint" in value) return BigInt((value as { $bigint: string }).$bigint);
    if ("$map" in value) return new Map((value as { $map: [unknown, unknown][] }).$map);
  }
  return value;
}

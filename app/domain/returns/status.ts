import type { Disposition } from "./policy";

// The RMA's status machine. One pure function answers every caller (API, admin, jobs): the target status
// and the events to record, or a refusal with the reason.
//   requested → approved | declined | closed
//   approved → in_transit | received | closed        (received: dropped off without a tracked label)
//   in_transit → received | closed
//   received → inspected (when no unit is left on QC hold)
//   inspected → refunded | exchanged | closed

export const RETURN_STATUSES = ["requested", "approved", "declined", "in_transit", "received", "inspected", "refunded", "exchanged", "closed"] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const TERMINAL: readonly ReturnStatus[] = ["declined", "refunded", "exchanged", "closed"];
/** Statuses whose units are still on their way (count against what the order can still return). */
export const OPEN_BEFORE_RECEIPT: readonly ReturnStatus[] = ["requested", "approved", "in_transit"];

export type ReturnAction =
  | { type: "approve" }
  | { type: "decline"; reason: string }
  | { type: "mark_in_transit" }
  | { type: "receive"; lines: { returnLineId: string; quantity: number; disposition: Disposition }[] }
  | { type: "release"; lines: { returnLineId: string; quantity: number; disposition: Exclude<Disposition, "qc_hold"> }[] }
  | { type: "refund" }
  | { type: "close"; reason: string };

export interface ReturnFacts {
  status: ReturnStatus;
  lines: { id: string; quantity: number; held: number; replacementVariantId: string | null }[];
}

export type Transition =
  | { ok: true; to: ReturnStatus; event: string }
  | { ok: false; status: 400 | 409; error: string };

const FROM: Record<ReturnAction["type"], readonly ReturnStatus[]> = {
  approve: ["requested"],
  decline: ["requested"],
  mark_in_transit: ["approved"],
  receive: ["approved", "in_transit"],
  release: ["received"],
  refund: ["inspected"],
  close: ["requested", "approved", "in_transit", "inspected"],
};

const VERB: Record<ReturnAction["type"], string> = {
  approve: "approved", decline: "declined", mark_in_transit: "marked in transit", receive: "received", release: "released from QC hold", refund: "refunded", close: "closed",
};

export function canTransition(facts: ReturnFacts, type: ReturnAction["type"]): { ok: true } | { ok: false; error: string } {
  if (FROM[type].includes(facts.status)) return { ok: true };
  return { ok: false, error: `A ${facts.status.replace("_", " ")} return cannot be ${VERB[type]} (only from ${FROM[type].join(" or ")}).` };
}

/** The status after `action`, or why not. Line checks (quantities, held units) are here too: nothing is applied on a refusal. */
export function transition(facts: ReturnFacts, action: ReturnAction): Transition {
  const allowed = canTransition(facts, action.type);
  if (!allowed.ok) return { ok: false, status: 409, error: allowed.error };
  const byId = new Map(facts.lines.map((l) => [l.id, l]));
  switch (action.type) {
    case "approve":
      return { ok: true, to: "approved", event: "return.approved" };
    case "decline":
      if (action.reason.trim() === "") return { ok: false, status: 400, error: "Say why the return is declined." };
      return { ok: true, to: "declined", event: "return.declined" };
    case "mark_in_transit":
      return { ok: true, to: "in_transit", event: "return.in_transit" };
    case "receive": {
      const problems = lineProblems(action.lines, byId, (l) => l.quantity, "requested");
      if (problems) return { ok: false, status: 400, error: `Receipt not recorded: ${problems}` };
      const held = action.lines.some((l) => l.disposition === "qc_hold" && l.quantity > 0);
      return { ok: true, to: held ? "received" : "inspected", event: "return.received" };
    }
    case "release": {
      const problems = lineProblems(action.lines, byId, (l) => l.held, "on QC hold");
      if (problems) return { ok: false, status: 400, error: `Nothing released: ${problems}` };
      const left = facts.lines.reduce((s, l) => s + l.held, 0) - action.lines.reduce((s, l) => s + l.quantity, 0);
      return { ok: true, to: left > 0 ? "received" : "inspected", event: "return.released" };
    }
    case "refund": {
      const exchange = facts.lines.length > 0 && facts.lines.every((l) => l.replacementVariantId !== null);
      return { ok: true, to: exchange ? "exchanged" : "refunded", event: exchange ? "return.exchanged" : "return.refunded" };
    }
    case "close":
      return { ok: true, to: "closed", event: "return.closed" };
  }
}

function lineProblems(lines: { returnLineId: string; quantity: number }[], byId: Map<string, ReturnFacts["lines"][number]>, limit: (l: ReturnFacts["lines"][number]) => number, what: string): string | null {
  if (lines.length === 0) return "list at least one line.";
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, l] of lines.entries()) {
    const line = byId.get(l.returnLineId);
    if (!line) problems.push(`line ${i + 1}: ${JSON.stringify(l.returnLineId)} is not a line of this return`);
    else if (seen.has(l.returnLineId)) problems.push(`line ${i + 1}: listed twice`);
    else if (!Number.isInteger(l.quantity) || l.quantity < 0) problems.push(`line ${i + 1}: quantity must be a whole number, 0 or more`);
    else if (l.quantity > limit(line)) problems.push(`line ${i + 1}: ${l.quantity} is more than the ${limit(line)} ${what}`);
    seen.add(l.returnLineId);
  }
  return problems.length > 0 ? `${problems.join("; ")}.` : null;
}

/** What a disposition does to stock: restocked units go on hand (and to backorders), held units wait, the rest leave sellable stock alone. */
export function dispositionEffect(disposition: Disposition, quantity: number): { restock: number; hold: number } {
  if (disposition === "restock") return { restock: quantity, hold: 0 };
  if (disposition === "qc_hold") return { restock: 0, hold: quantity };
  return { restock: 0, hold: 0 };
}

import type { AckResult } from "../edi/x12-997";
import type { X12Problem } from "../edi/x12-model";
import type { ImportLineResult } from "../imports/import-file";
import type { InboundInterchange } from "./x12-po";

// What the 997 of an inbound interchange says about each of its transaction sets (ADR 0021), from what the import
// found: the problems read850 and the check found (AK3/AK4, and R when one is an error), and the final result of
// each of the set's segments — a PO refused when it was applied (its order changed in between) is rejected too,
// and, when nothing of the file was taken in (all or nothing refused it), so is every purchase order: a 997 never
// says "accepted" of a PO that did not become an order. Pure.

export interface AckOutcome {
  /** Nothing of the file was taken in (all or nothing, with a refused line). */
  nothingTaken: boolean;
}

/** An AckResult per transaction set of `inbound`, for build997. `lines`: the import's final line results. */
export function ackResults(inbound: InboundInterchange, lines: readonly ImportLineResult[], outcome: AckOutcome): AckResult[] {
  const sorted = [...lines].sort((a, b) => a.line - b.line);
  let i = 0;
  return inbound.sets.map((s) => {
    while (i < sorted.length && sorted[i].line < s.start) i += 1;
    let refused: ImportLineResult | null = null;
    for (let k = i; k < sorted.length && sorted[k].line <= s.end; k += 1) {
      if (!sorted[k].ok) {
        refused = sorted[k];
        break;
      }
    }
    const problems: X12Problem[] = [...s.problems];
    if (!problems.some((p) => p.severity === "error")) {
      const st = s.set.segments[0];
      const notTaken = (message: string): X12Problem => ({ severity: "error", code: "X12.IMPORT.NOT_TAKEN", message, segment: refused?.line ?? st.number, position: refused ? refused.line - s.start + 1 : 1, tag: refused ? (s.set.segments[refused.line - s.start]?.tag ?? "ST") : "ST" });
      if (refused) problems.push(notTaken(refused.message ?? `segment ${refused.line}: refused`));
      else if (outcome.nothingTaken && s.read) problems.push(notTaken(`segment ${st.number} (ST): not taken: nothing of the file was imported (all or nothing)`));
    }
    return { setSegment: s.start, problems };
  });
}

/** The key an inbound interchange's documents are kept under (its 850s in, its 997 and TA1 out): sender and ISA13. */
export function interchangeKey(inbound: { interchange: Pick<InboundInterchange["interchange"], "sender" | "controlNumber"> }): string {
  const { sender, controlNumber } = inbound.interchange;
  return `${sender.qualifier}/${sender.id}:${controlNumber}`;
}

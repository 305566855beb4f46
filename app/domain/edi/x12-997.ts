import type { X12Delimiters, X12FunctionalGroup, X12Interchange, X12Problem } from "./x12-model";
import { build, BuildFailure, writeInterchange, type SegmentSpec, type X12Build } from "./x12-write";

// The 997 functional acknowledgment of an interchange we received: one 997 transaction set per functional group
// (AK1 = its GS01 and GS06), an AK2/AK5 pair per transaction set (ST01, ST02; A accepted, E accepted with errors,
// R rejected) with AK3/AK4 for the segments and elements in error, and AK9 with the group's counts. The 997 keeps
// AK3/AK4 in 005010 too (IK3/IK4 are the 999's). It travels in its own interchange, sender and receiver swapped,
// with the control numbers the caller keeps for the partner. Pure.

/** What was found in one transaction set: the problems of read850 (or none, for a set taken as it is). */
export interface AckResult {
  /** Number of the set's ST segment in the file (X12TransactionSet.segmentNumber). */
  setSegment: number;
  problems: readonly X12Problem[];
}

export interface Ack997Envelope {
  /** ISA13, GS06 and the first ST02 of the 997 interchange. */
  control: { interchange: number; group: number; transactionSet: number };
  /** ISO 8601. */
  createdAt: string;
  delimiters?: Partial<X12Delimiters>;
  lineBreaks?: boolean;
}

export type AckStatus = "A" | "E" | "R";

export type Ack997Build =
  | (Extract<X12Build, { ok: true }> & { statuses: { groupControlNumber: string; controlNumber: string; status: AckStatus }[]; groupStatuses: { controlNumber: string; status: "A" | "E" | "P" | "R" }[] })
  | Extract<X12Build, { ok: false }>;

/** The status of one set: R when any problem is an error, E when a warning has an AK3 to report, else A. */
export function ackStatus(problems: readonly X12Problem[]): AckStatus {
  if (problems.some((p) => p.severity === "error")) return "R";
  return problems.some((p) => p.ack) ? "E" : "A";
}

function ackSegments(problems: readonly X12Problem[]): SegmentSpec[] {
  const bySegment = new Map<number, X12Problem[]>();
  for (const p of problems) {
    if (!p.ack) continue;
    const list = bySegment.get(p.segment) ?? [];
    list.push(p);
    bySegment.set(p.segment, list);
  }
  const out: SegmentSpec[] = [];
  for (const list of [...bySegment.values()].sort((a, b) => a[0].segment - b[0].segment)) {
    const first = list[0];
    const elements = list.filter((p) => p.ack!.element);
    out.push(["AK3", first.tag, first.position, null, elements.length ? "8" : first.ack!.segmentError]);
    const seen = new Set<string>();
    for (const p of elements) {
      const e = p.ack!.element!;
      const key = `${e.position}/${e.error}`;
      if (seen.has(key) || seen.size >= 99) continue;
      seen.add(key);
      out.push(["AK4", e.position, e.reference ?? null, e.error]);
    }
  }
  return out;
}

function groupSet(group: X12FunctionalGroup, results: Map<number, AckResult>, modern: boolean, statuses: { groupControlNumber: string; controlNumber: string; status: AckStatus }[]): { segments: SegmentSpec[]; status: "A" | "E" | "P" | "R" } {
  const segments: SegmentSpec[] = [modern ? ["AK1", group.functionalId, group.controlNumber, group.version] : ["AK1", group.functionalId, group.controlNumber]];
  let accepted = 0;
  let withErrors = 0;
  for (const set of group.transactionSets) {
    const result = results.get(set.segmentNumber);
    if (!result) throw new BuildFailure(`no result for the ${set.id} at segment ${set.segmentNumber} (ST02 ${set.controlNumber}): every transaction set of the interchange needs one`);
    results.delete(set.segmentNumber);
    const status = ackStatus(result.problems);
    statuses.push({ groupControlNumber: group.controlNumber, controlNumber: set.controlNumber, status });
    segments.push(modern && set.implementationReference ? ["AK2", set.id, set.controlNumber, set.implementationReference] : ["AK2", set.id, set.controlNumber]);
    segments.push(...ackSegments(result.problems));
    segments.push(status === "A" ? ["AK5", "A"] : ["AK5", status, "5"]);
    if (status !== "R") accepted += 1;
    if (status === "E") withErrors += 1;
  }
  const received = group.transactionSets.length;
  const status = accepted === received ? (withErrors ? "E" : "A") : accepted === 0 ? "R" : "P";
  segments.push(["AK9", status, received, received, accepted]);
  return { segments, status };
}

/** The 997 for `interchange` (as readInterchange gave it), from a result for each of its transaction sets. */
export function build997(interchange: X12Interchange, results: readonly AckResult[], envelope: Ack997Envelope): Ack997Build {
  const statuses: { groupControlNumber: string; controlNumber: string; status: AckStatus }[] = [];
  const groupStatuses: { controlNumber: string; status: "A" | "E" | "P" | "R" }[] = [];
  const made = build(() => {
    if (interchange.groups.length === 0) throw new BuildFailure("the interchange has no functional group to acknowledge");
    const byStart = new Map<number, AckResult>();
    for (const r of results) {
      if (byStart.has(r.setSegment)) throw new BuildFailure(`two results for the transaction set at segment ${r.setSegment}`);
      byStart.set(r.setSegment, r);
    }
    const first = interchange.groups[0];
    const version = /^\d{6}/.test(first.version) ? first.version.slice(0, 6) : "004010";
    const modern = version >= "005010";
    const sets = interchange.groups.map((g) => {
      const { segments, status } = groupSet(g, byStart, modern, statuses);
      groupStatuses.push({ controlNumber: g.controlNumber, status });
      return { id: "997", segments };
    });
    if (byStart.size) throw new BuildFailure(`a result names segment ${[...byStart.keys()][0]}, which begins no transaction set of the interchange`);
    return writeInterchange(
      {
        ours: { isaQualifier: interchange.receiver.qualifier, isaId: interchange.receiver.id, gsId: first.receiverAppId },
        theirs: { isaQualifier: interchange.sender.qualifier, isaId: interchange.sender.id, gsId: first.senderAppId },
        version,
        usage: interchange.usage,
        control: envelope.control,
        createdAt: envelope.createdAt,
        delimiters: envelope.delimiters,
        lineBreaks: envelope.lineBreaks,
      },
      "FA",
      sets,
    );
  });
  return made.ok ? { ...made, statuses, groupStatuses } : made;
}

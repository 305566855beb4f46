import { MAX_ORDER_LINES } from "../shared/limits";
import { currencyExponent } from "../shared/money";
import { readLine, lineTotal, type PurchaseOrderLine } from "./x12-850-lines";
import { x12Date, x12WholeNumber, type X12Decimal } from "./x12-elements";
import { exactArray, type X12AckNote, type X12Interchange, type X12InterchangeId, type X12Problem, type X12SegmentData, type X12TransactionSet, shownValue } from "./x12-model";
import { readContact, readParty, type X12Contact, type X12Party } from "./x12-parties";
import { elementValue, setSegments } from "./x12-segment";

// An X12 850 purchase order → the wholesale order document it describes, and the problems of each segment.
// Pure. What the buyer wrote is exposed as written (its part numbers, our part number as it spells it, GTINs):
// mapping them to our SKUs needs the partner's items table and is the caller's (resolveBuyerItem). Problems of
// severity "error" reject the set (a 997 says R, with AK3/AK4 from each problem's `ack`); "warning"s leave it
// usable. Nothing here throws on its input.

export type { ProductId, PurchaseOrderLine } from "./x12-850-lines";

export type PoPurpose = "original" | "cancellation" | "change" | "replace" | "confirmation" | "duplicate";
const PURPOSES: Record<string, PoPurpose> = { "00": "original", "01": "cancellation", "04": "change", "05": "replace", "06": "confirmation", "07": "duplicate" };

export interface PoReference {
  qualifier: string;
  value: string;
  description: string | null;
  segmentNumber: number;
}

export interface PoDate {
  /** DTM01 (or the date qualifier of the segment): 002 delivery requested, 010 requested ship, 037 ship not before … */
  qualifier: string;
  date: string;
  segmentNumber: number;
}

export interface PurchaseOrder850 {
  transactionSet: { id: string; controlNumber: string; segmentNumber: number };
  /** Who sent it (ISA05/06, GS02) and to whom (ISA07/08, GS03); usage P or T. */
  sender: X12InterchangeId & { appId: string };
  receiver: X12InterchangeId & { appId: string };
  usage: "P" | "T";
  /** BEG03. Empty when missing (an error says so). */
  poNumber: string;
  /** BEG04. */
  releaseNumber: string | null;
  /** BEG01, read; null when the code is not one we know (an error says so). */
  purpose: PoPurpose | null;
  purposeCode: string;
  /** BEG02: SA stand-alone, NE new order, DS drop ship, KN … */
  orderType: string;
  /** BEG05 as YYYY-MM-DD. */
  orderDate: string | null;
  /** CUR02, else the caller's default. */
  currency: string;
  references: PoReference[];
  contacts: X12Contact[];
  dates: PoDate[];
  /** DTM 010. */
  requestedShipDate: string | null;
  /** DTM 002, else 106 (required by). */
  requestedDeliveryDate: string | null;
  /** DTM 037 / 038 / 001. */
  shipNotBefore: string | null;
  shipNoLater: string | null;
  cancelAfter: string | null;
  shipTo: X12Party | null;
  billTo: X12Party | null;
  /** N1*BY, the buying party. */
  buyer: X12Party | null;
  /** Every header N1 loop (ST, BT, BY, VN, SF …). */
  parties: X12Party[];
  lines: PurchaseOrderLine[];
  /** CTT01. */
  declaredLineCount: number | null;
  /** AMT after CTT (TT or 1), as sent. */
  declaredTotal: string | null;
  /** Σ quantity × unit price, exact, when every line has both. */
  computedTotal: string | null;
  /** MSG and NTE text, in order. */
  notes: string[];
}

export interface Read850 {
  document: PurchaseOrder850;
  problems: X12Problem[];
  /** Some problem is an error: the order must not be taken (and its 997 says R). */
  rejected: boolean;
}

export interface Read850Options {
  /** The currency when the 850 has no CUR (the partner's). Default USD. */
  currency?: string;
}

const el = elementValue;

/** Read the 850 `set` of `interchange` (the envelope it came in). */
export function read850(set: X12TransactionSet, interchange: X12Interchange, options: Read850Options = {}): Read850 {
  const problems: X12Problem[] = [];
  const note = (s: X12SegmentData, severity: X12Problem["severity"], code: string, text: string, ack?: X12AckNote) => {
    problems.push({ severity, code: `X12.850.${code}`, message: `segment ${s.number} (${s.tag}): ${text}`, segment: s.number, position: s.position, tag: s.tag, ...(ack ? { ack } : {}) });
  };
  const { sender, receiver } = envelopeIds(set, interchange);
  const segments = setSegments(set);
  // A set from readInterchange always has its ST and SE; a hand-made one may not.
  const st = segments[0] ?? { tag: "ST", elements: [set.id, set.controlNumber], number: set.segmentNumber, position: 1 };
  const se = segments.length > 1 ? segments[segments.length - 1] : st;
  const doc: PurchaseOrder850 = {
    transactionSet: { id: set.id, controlNumber: set.controlNumber, segmentNumber: set.segmentNumber },
    sender,
    receiver,
    usage: interchange.usage,
    poNumber: "",
    releaseNumber: null,
    purpose: null,
    purposeCode: "",
    orderType: "",
    orderDate: null,
    currency: (options.currency ?? "USD").toUpperCase(),
    references: [],
    contacts: [],
    dates: [],
    requestedShipDate: null,
    requestedDeliveryDate: null,
    shipNotBefore: null,
    shipNoLater: null,
    cancelAfter: null,
    shipTo: null,
    billTo: null,
    buyer: null,
    parties: [],
    lines: [],
    declaredLineCount: null,
    declaredTotal: null,
    computedTotal: null,
    notes: [],
  };
  if (set.id !== "850") {
    note(st, "error", "NOT_A_PURCHASE_ORDER", `transaction set ${shownValue(set.id)} is not a purchase order (850)`, { segmentError: "8", element: { position: 1, reference: "143", error: "7" } });
    return finish(doc, problems);
  }

  // Prices are read once the currency is known: CUR comes before the lines, but read it first to be sure.
  const cur = segments.find((s) => s.tag === "CUR");
  if (cur) {
    const code = el(cur, 2)?.toUpperCase() ?? "";
    if (/^[A-Z]{3}$/.test(code)) doc.currency = code;
    else note(cur, "error", "BAD_CURRENCY", `CUR02 ${shownValue(el(cur, 2) ?? "")} is not an ISO 4217 currency code`, elementAck(2, "100", el(cur, 2) ? "7" : "1"));
  }
  const exponent = currencyExponent(doc.currency);

  let beg: X12SegmentData | null = null;
  let line: PurchaseOrderLine | null = null;
  let ctt: X12SegmentData | null = null;
  let firstLine: X12SegmentData | null = null;
  let amt: X12SegmentData | null = null;
  let po1Count = 0;
  const lineNumbers = new Map<string, number>();
  const prices: (X12Decimal | null)[] = [];
  /** PID texts of the line being read (joined into its description once it ends). */
  let described = null as { line: PurchaseOrderLine; texts: string[] } | null;
  const describe = () => {
    if (described) described.line.description = described.texts.join(" ");
    described = null;
  };
  let hasSdq = false;

  for (let i = 1; i < segments.length - 1; i += 1) {
    const s = segments[i];
    switch (s.tag) {
      case "BEG": {
        if (beg) {
          note(s, "error", "SECOND_BEG", `a second BEG (the first is segment ${beg.number})`, { segmentError: "5" });
          break;
        }
        beg = s;
        doc.purposeCode = el(s, 1) ?? "";
        doc.purpose = PURPOSES[doc.purposeCode] ?? null;
        if (!doc.purpose) note(s, "error", "BAD_PURPOSE", `BEG01 ${shownValue(doc.purposeCode)} is not a purpose we know (00 original, 01 cancellation, 04 change, 05 replace, 06 confirmation, 07 duplicate)`, elementAck(1, "353", doc.purposeCode ? "7" : "1"));
        doc.orderType = el(s, 2) ?? "";
        doc.poNumber = el(s, 3) ?? "";
        if (!doc.poNumber) note(s, "error", "PO_NUMBER_MISSING", "BEG03 (purchase order number) is missing", elementAck(3, "324", "1"));
        else if (doc.poNumber.length > 22) note(s, "error", "PO_NUMBER_TOO_LONG", `BEG03 ${shownValue(doc.poNumber)} is longer than 22 characters`, elementAck(3, "324", "5"));
        doc.releaseNumber = el(s, 4);
        doc.orderDate = x12Date(el(s, 5));
        if (!doc.orderDate) note(s, "error", "BAD_ORDER_DATE", el(s, 5) ? `BEG05 ${shownValue(el(s, 5)!)} is not a date (CCYYMMDD)` : "BEG05 (purchase order date) is missing", elementAck(5, "373", el(s, 5) ? "8" : "1"));
        break;
      }
      case "REF":
      case "N9":
        if (line) break; // line references are not read
        if (el(s, 1) && (el(s, 2) || el(s, 3))) doc.references.push({ qualifier: el(s, 1)!, value: el(s, 2) ?? "", description: el(s, 3), segmentNumber: s.number });
        break;
      case "PER":
        if (!line) doc.contacts.push(readContact(s));
        break;
      case "MSG":
      case "NTE": {
        const text = s.tag === "MSG" ? el(s, 1) : el(s, 2);
        if (text) (line ? line.notes : doc.notes).push(text);
        break;
      }
      case "DTM": {
        if (line) break;
        const date = x12Date(el(s, 2));
        if (!date) {
          note(s, "error", "BAD_DATE", `DTM02 ${shownValue(el(s, 2) ?? "")} is not a date (CCYYMMDD)`, elementAck(2, "373", el(s, 2) ? "8" : "1"));
          break;
        }
        doc.dates.push({ qualifier: el(s, 1) ?? "", date, segmentNumber: s.number });
        break;
      }
      case "N1": {
        const { party, next } = readParty(segments, i);
        i = next - 1;
        if (line) {
          if (party.role === "ST") line.shipTo ??= party;
          break;
        }
        doc.parties.push(party);
        break;
      }
      case "PO1": {
        firstLine ??= s;
        po1Count += 1;
        if (ctt) note(s, "error", "LINE_AFTER_TOTALS", `a PO1 after the CTT at segment ${ctt.number}`, { segmentError: "7" });
        if (po1Count > MAX_ORDER_LINES) {
          if (po1Count === MAX_ORDER_LINES + 1) note(s, "error", "TOO_MANY_LINES", `more than ${MAX_ORDER_LINES} lines on one order`, { segmentError: "4" });
          line = null;
          break;
        }
        const read = readLine(s, po1Count, doc.currency, exponent, note);
        line = read.line;
        prices.push(read.price);
        const before = lineNumbers.get(line.lineNumber);
        if (before !== undefined) note(s, "error", "DUPLICATE_LINE_NUMBER", `PO101 ${shownValue(line.lineNumber)} repeats the line number of segment ${before}`, elementAck(1, "350", "7"));
        else lineNumbers.set(line.lineNumber, s.number);
        doc.lines.push(line);
        break;
      }
      case "PID": {
        const text = el(s, 5);
        if (!line || !text || (el(s, 1) !== "F" && el(s, 1) !== null)) break;
        if (described?.line !== line) {
          describe();
          described = { line, texts: [] };
        }
        described.texts.push(text);
        break;
      }
      case "SDQ":
        if (!hasSdq) note(s, "warning", "SDQ_NOT_READ", "destination quantities (SDQ) are not read: the line is taken as one shipment to the order's ship-to");
        hasSdq = true;
        break;
      case "CTT": {
        ctt = s;
        line = null;
        const count = x12WholeNumber(el(s, 1));
        if (!count.ok) note(s, "error", "BAD_LINE_COUNT", `CTT01 ${shownValue(el(s, 1) ?? "")} is not a number of lines`, elementAck(1, "354", count.why === "missing" ? "1" : "6"));
        else doc.declaredLineCount = count.value;
        break;
      }
      case "AMT":
        if (ctt && (el(s, 1) === "TT" || el(s, 1) === "1") && doc.declaredTotal === null) {
          doc.declaredTotal = el(s, 2);
          amt = s;
        }
        break;
      default:
        break;
    }
  }

  const lineCount = po1Count;
  describe();
  if (!beg) note(segments[1] ?? se, "error", "BEG_MISSING", "the purchase order has no BEG segment (PO number and date)", { segmentError: "3" });
  if (ctt && doc.declaredLineCount !== null && doc.declaredLineCount !== lineCount) {
    note(ctt, "error", "LINE_COUNT_MISMATCH", `CTT01 says ${doc.declaredLineCount} lines, the order has ${lineCount} PO1 segments`, elementAck(1, "354", "7"));
  }
  if (lineCount === 0) note(se, "error", "NO_LINES", "the purchase order has no lines (PO1)", { segmentError: "3" });
  doc.shipTo = byRole(doc.parties, "ST");
  doc.billTo = byRole(doc.parties, "BT");
  doc.buyer = byRole(doc.parties, "BY");
  if (!doc.shipTo && doc.lines.some((l) => !l.shipTo)) {
    const at = firstLine ?? se;
    note(at, "error", "SHIP_TO_MISSING", "the order has no ship-to (an N1*ST loop before the first PO1)", { segmentError: "3" });
  }
  for (const d of doc.dates) {
    if (d.qualifier === "010") doc.requestedShipDate ??= d.date;
    else if (d.qualifier === "002") doc.requestedDeliveryDate ??= d.date;
    else if (d.qualifier === "037") doc.shipNotBefore ??= d.date;
    else if (d.qualifier === "038") doc.shipNoLater ??= d.date;
    else if (d.qualifier === "001") doc.cancelAfter ??= d.date;
  }
  doc.requestedDeliveryDate ??= doc.dates.find((d) => d.qualifier === "106")?.date ?? null;
  const total = lineTotal(doc.lines, prices);
  doc.computedTotal = total.text;
  if (doc.declaredTotal !== null && amt && total.text !== null) {
    const declared = total.compare(doc.declaredTotal);
    if (declared === null) note(amt, "warning", "BAD_TOTAL", `AMT02 ${shownValue(doc.declaredTotal)} is not an amount`);
    else if (!declared) note(amt, "warning", "TOTAL_MISMATCH", `the AMT total ${doc.declaredTotal} differs from the lines' ${doc.computedTotal} (quantity × unit price)`);
  }
  return finish(doc, problems);
}

const elementAck = (position: number, reference: string, error: NonNullable<X12AckNote["element"]>["error"]): X12AckNote => ({ segmentError: "8", element: { position, reference, error } });

const byRole = (parties: readonly X12Party[], role: string): X12Party | null => parties.find((p) => p.role === role) ?? null;

/** The document and its problems as read850 gives them: what is kept of every PO of a file, in arrays of their length (exactArray). */
function finish(doc: PurchaseOrder850, problems: X12Problem[]): Read850 {
  doc.references = exactArray(doc.references);
  doc.contacts = exactArray(doc.contacts);
  doc.dates = exactArray(doc.dates);
  doc.parties = exactArray(doc.parties);
  doc.lines = exactArray(doc.lines);
  doc.notes = exactArray(doc.notes);
  for (const l of doc.lines) l.notes = exactArray(l.notes);
  return { document: doc, problems: exactArray(problems.sort((a, b) => a.segment - b.segment)), rejected: problems.some((p) => p.severity === "error") };
}

type EnvelopeIds = Pick<PurchaseOrder850, "sender" | "receiver">;
// Who sent the sets of a group and to whom: the same for every PO of the group, so one (frozen) pair each.
const idsByGroup = new WeakMap<object, EnvelopeIds & { interchange: X12Interchange }>();

/** The sender and receiver of `set`: ISA05/06 and ISA07/08 of its interchange, GS02 and GS03 of its group. */
function envelopeIds(set: X12TransactionSet, interchange: X12Interchange): EnvelopeIds {
  // The group holding the set: the last one that begins before it (groups are in file order).
  const group = interchange.groups.findLast((g) => g.segmentNumber < set.segmentNumber);
  const key = group ?? interchange;
  const kept = idsByGroup.get(key);
  if (kept?.interchange === interchange) return kept;
  const ids = {
    interchange,
    sender: Object.freeze({ qualifier: interchange.sender.qualifier, id: interchange.sender.id, appId: group?.senderAppId ?? "" }),
    receiver: Object.freeze({ qualifier: interchange.receiver.qualifier, id: interchange.receiver.id, appId: group?.receiverAppId ?? "" }),
  };
  idsByGroup.set(key, ids);
  return ids;
}

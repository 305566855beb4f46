import { read850, type PurchaseOrder850, type Read850 } from "../edi/x12-850";
import type { X12AckNote, X12InterchangeHeader, X12InterchangeId, X12Problem, X12TransactionSet } from "../edi/x12-model";
import type { ImportDocument, ImportLineResult } from "../imports/import-file";
import { apiOrderSchema, canonicalRequest, checkApiOrder, type ApiOrderInput } from "../orders/api-order";
import { canTransition } from "../orders/status-machine";
import { formatDecimal } from "../shared/money";
import { sameIsaId, resolveBuyerItem, type PartnerItem, type TradingPartner } from "./trading-partner";
import { importProblem, setResults, skippedSet, type InboundInterchange, type InboundSet, type X12ParsedFile, type X12PurchaseOrder } from "./x12-po";
import { z } from "zod";

// The second half of reading an X12 file of purchase orders (ADR 0021): what needs the shop's data. Each
// interchange's sender (ISA05/06) is a trading partner, and the interchange is addressed to us as that partner
// knows us (ISA07/08), or its sets are refused saying why. Each 850 is then checked as a CSV purchase order is
// (ADR 0018): every PO1 line resolved to a SKU (resolveBuyerItem: the buyer's part number when mapped, else our
// part number), its price the line's own else the partner's agreed one, the currency the CUR's else the partner's,
// and the PO made into the order POST /api/v1/orders takes, checked by that endpoint's schema — every problem said
// about its segment. A PO the partner's channel holds with the same content is unchanged; with other content it is
// refused. BEG01 01 (cancellation) cancels the partner's order for the PO when it has not shipped. A test
// interchange (ISA15 T) is checked the same way, every line saying what it would do, but gives no document to
// apply: nothing of it becomes an order (its results and the import's notes say so; its 997 is built as any).
// Pure: the caller loads the partners, items, catalog and what each channel holds.

/** What a partner's channel holds under a PO number, compared with the order this file makes of it. */
export type PreviousX12Order = "new" | "same" | "changed" | "not-from-import";

/** An order the partner's channel holds, for a cancellation. */
export interface HeldOrder {
  status: string;
  unitsShipped: number;
}

export interface X12CheckContext {
  /** The partner the import names (partner=), if any: every interchange must be from it. */
  named: TradingPartner | null;
  /** The shop's partner with this ISA sender id, if any. */
  partnerOf(sender: X12InterchangeId): TradingPartner | null;
  knownSku(sku: string): boolean;
  /** The partner's items, by SKU and by buyer part number (indexPartnerItems). */
  itemsOf(partner: TradingPartner): { bySku: ReadonlyMap<string, PartnerItem>; byBuyerPart: ReadonlyMap<string, PartnerItem> };
  previous(partner: TradingPartner, order: ApiOrderInput): PreviousX12Order;
  held(partner: TradingPartner, poNumber: string): HeldOrder | null;
}

/** The API's order schema with X12's PO number: BEG03 is 1–22 printable characters, whatever they are. */
const x12OrderSchema = apiOrderSchema.extend({ externalId: z.string().min(1).max(64).regex(/^[!-~](?:[ -~]*[!-~])?$/, "printable characters") });

const elementAck = (position: number, reference: string, error: NonNullable<X12AckNote["element"]>["error"]): X12AckNote => ({ segmentError: "8", element: { position, reference, error } });
const ALPHA3: Record<string, string> = { USA: "US", CAN: "CA", MEX: "MX", GBR: "GB", DEU: "DE", FRA: "FR", NLD: "NL", AUS: "AU" };
const idOf = (id: X12InterchangeId) => `${id.qualifier}/${id.id}`;
/** What every result of a test interchange's purchase orders (ISA15 T) ends with. */
export const TEST_INTERCHANGE = "test interchange (ISA15 T): validated, not imported";
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Check every interchange and purchase order of a parsed X12 file (see the file comment). */
export function checkX12PurchaseOrders(parsed: X12ParsedFile, ctx: X12CheckContext): X12ParsedFile {
  if (parsed.fileError) return parsed;
  const lines: ImportLineResult[] = [];
  const documents: ImportDocument<X12PurchaseOrder>[] = [];
  const interchanges: InboundInterchange[] = [];
  /** The POs taken so far in this file, by channel and PO number: the same PO twice is taken once. Test interchanges' apart. */
  const inFile = new Map<string, { segment: number; fingerprint: string }>();
  const inTestFile = new Map<string, { segment: number; fingerprint: string }>();
  const notes: string[] = [];
  for (const ic of parsed.x12.interchanges) {
    const partner = ctx.partnerOf(ic.interchange.sender);
    const refusal = interchangeRefusal(ic.interchange, partner, ctx.named);
    const test = ic.interchange.usage === "T";
    let validated = 0;
    const sets: InboundSet[] = [];
    for (const s of ic.sets) {
      if (!s.read) {
        lines.push(skippedSet(s.set, refusal));
        sets.push(s);
        continue;
      }
      if (refusal || !partner) {
        const key = s.read.document.poNumber || null;
        const why = refusal ?? "no trading partner";
        lines.push(...setResults(s.set, key, s.problems, `PO ${key ?? "?"} (850 ST02 ${s.controlNumber})`, new Map()).map((r) => ({ ...r, ok: false, message: `${r.message}; not taken: ${why}` })));
        sets.push(s);
        continue;
      }
      const checked = checkPurchaseOrder(s, ic, partner, ctx, test ? inTestFile : inFile);
      sets.push(checked.set);
      if (test) {
        // Checked as any, said so, and not applied: no document.
        lines.push(...checked.lines.map((r) => ({ ...r, message: `${r.message}; ${TEST_INTERCHANGE}` })));
        if (checked.lines.every((r) => r.ok)) validated += 1;
        continue;
      }
      lines.push(...checked.lines);
      if (checked.document) documents.push(checked.document);
    }
    if (test && !refusal && partner) {
      const pos = sets.filter((s) => s.read).length;
      notes.push(`interchange ${ic.interchange.controlNumber} from ${partner.code}: ${TEST_INTERCHANGE} (${plural(pos, "purchase order")}: ${validated} valid, ${pos - validated} refused); no order is made from it`);
    }
    interchanges.push({ ...ic, sets, partner: partner ? { id: partner.id, code: partner.code, channelId: partner.channelId } : null, refusal });
  }
  return { ...parsed, totalLines: lines.length, lines, documents, notes: [...parsed.notes, ...notes], x12: { ...parsed.x12, interchanges } };
}

/** Why no set of the interchange is taken, from its envelope: its sender is no partner, it is not addressed to us … */
export function interchangeRefusal(header: X12InterchangeHeader, partner: TradingPartner | null, named: TradingPartner | null): string | null {
  const { sender, receiver, segmentNumber } = header;
  if (!partner) return `the interchange's sender ${idOf(sender)} (ISA05/ISA06, segment ${segmentNumber}) is no trading partner of this shop: add the partner with this interchange id on the Channels page`;
  if (named && named.id !== partner.id) return `the interchange is from partner ${partner.code} (sender ${idOf(sender)}), not from partner ${named.code} named for this import`;
  const ours = partner.x12?.ours;
  if (!ours || ours.isaQualifier.trim().toUpperCase() !== receiver.qualifier.trim().toUpperCase() || !sameIsaId(ours.isaId, receiver.id)) {
    return `the interchange is addressed to ${idOf(receiver)} (ISA07/ISA08, segment ${segmentNumber}), but partner ${partner.code} knows us as ${ours ? `${ours.isaQualifier}/${ours.isaId}` : "no interchange id"}: correct our interchange id on the partner, or have the partner send to it`;
  }
  return null;
}

interface CheckedPo {
  lines: ImportLineResult[];
  set: InboundSet;
  document: ImportDocument<X12PurchaseOrder> | null;
}

function checkPurchaseOrder(s: InboundSet, ic: InboundInterchange, partner: TradingPartner, ctx: X12CheckContext, inFile: Map<string, { segment: number; fingerprint: string }>): CheckedPo {
  const set = s.set;
  const hasCur = set.segments.some((g) => g.tag === "CUR");
  // Without a CUR the PO is in the partner's currency: its prices are read in that currency's minor units.
  const read: Read850 = !hasCur && s.read!.document.currency !== partner.currency ? read850(set, ic.interchange, { currency: partner.currency }) : s.read!;
  const doc = read.document;
  const key = doc.poNumber || null;
  const problems: X12Problem[] = [...read.problems];
  const said = new Map<number, string>();
  const at = (tag: string) => set.segments.find((g) => g.tag === tag)?.number ?? set.segmentNumber;
  const add = (segment: number, code: string, text: string, ack?: X12AckNote, severity: X12Problem["severity"] = "error") => problems.push(importProblem(set, segment, severity, code, text, ack));
  const errors = () => problems.some((p) => p.severity === "error");
  const currency = doc.currency;
  if (hasCur && currency !== partner.currency) add(at("CUR"), "CURRENCY", `CUR02 ${currency}: partner ${partner.code} trades in ${partner.currency} (its agreed prices are); send the PO in ${partner.currency}`, elementAck(2, "100", "7"));
  const action: "place" | "cancel" = doc.purpose === "cancellation" ? "cancel" : "place";
  let order: ApiOrderInput | null = null;
  let header = "";
  let unchanged = false;

  if (action === "place") {
    const items = ctx.itemsOf(partner);
    const resolved = doc.lines.map((l) => {
      const item = resolveBuyerItem({ vendorPartNumber: l.vendorPartNumber, buyerPartNumber: l.buyerPartNumber }, items.bySku, items.byBuyerPart, ctx.knownSku);
      const po1 = set.segments[l.segmentNumber - set.segmentNumber];
      const idAck = (value: string | null) => {
        const k = value ? po1.elements.findIndex((e, i) => i >= 6 && i % 2 === 0 && e.trim() === value) : -1;
        return k >= 0 ? elementAck(k + 1, "234", "7") : elementAck(7, "234", "1");
      };
      if (!item.ok) {
        add(l.segmentNumber, "UNKNOWN_ITEM", item.message, idAck(l.buyerPartNumber ?? l.vendorPartNumber));
        return { sku: "", priceMinor: 0 };
      }
      if (!ctx.knownSku(item.sku)) add(l.segmentNumber, "ITEM_NOT_IN_CATALOG", `buyer part number ${l.buyerPartNumber} is mapped to SKU ${item.sku}, which is not in the catalog any more`, idAck(l.buyerPartNumber));
      const agreed = l.unitPriceMinor === null;
      const priceMinor = l.unitPriceMinor ?? item.listPriceMinor;
      if (priceMinor === null) {
        add(l.segmentNumber, "NO_PRICE", `PO104 (unit price) is empty and partner ${partner.code} has no agreed price for SKU ${item.sku}`, elementAck(4, "212", "2"));
        return { sku: item.sku, priceMinor: 0 };
      }
      const named = l.buyerPartNumber && l.buyerPartNumber !== item.sku ? ` (buyer part ${l.buyerPartNumber})` : "";
      said.set(l.segmentNumber, `PO ${doc.poNumber} line ${l.lineNumber}: SKU ${item.sku}${named} × ${l.quantity ?? "?"} at ${formatDecimal(priceMinor, currency)} ${currency}${agreed ? " (agreed price)" : ""}`);
      return { sku: item.sku, priceMinor };
    });
    if (!errors()) {
      const made = orderOf(doc, resolved, partner, set, add);
      order = made;
      if (made) {
        const validated = x12OrderSchema.safeParse(made);
        if (!validated.success) for (const issue of validated.error.issues) schemaProblem(issue.path, issue.message, doc, set, add);
        else {
          order = validated.data as ApiOrderInput;
          for (const p of checkApiOrder(order, new Set(order.lines.map((l) => l.sku).filter(ctx.knownSku)))) {
            const m = /^lines\.(\d+)\.\w+: (.*)$/.exec(p);
            if (m && doc.lines[Number(m[1])]) add(doc.lines[Number(m[1])].segmentNumber, "ORDER", m[2]);
            else add(set.segmentNumber, "ORDER", p.replace(/^totalMinor: /, "the PO's total: "));
          }
        }
      }
    }
    const units = doc.lines.reduce((n, l) => n + (l.quantity ?? 0), 0);
    const shipTo = doc.shipTo ?? doc.lines[0]?.shipTo ?? null;
    header = `PO ${doc.poNumber || "?"} from ${partner.code} (850 ST02 ${s.controlNumber}): ${plural(doc.lines.length, "line")}, ${plural(units, "unit")}${shipTo ? `, ship to ${[shipTo.name, shipTo.city, shipTo.state].filter(Boolean).join(", ")}` : ""}`;
    if (!errors() && order && key) {
      const twice = inFile.get(`${partner.channelId}\u0000${key}`);
      const fingerprint = canonicalRequest(order, partner.channelId);
      if (twice) {
        if (twice.fingerprint !== fingerprint) add(at("BEG"), "PO_TWICE", `PO ${key} is also the purchase order at segment ${twice.segment} of this file, with other content: send one of them`, elementAck(3, "324", "7"));
        else return sameAsEarlier(s, set, key, problems, header, said, read, twice.segment);
      } else {
        inFile.set(`${partner.channelId}\u0000${key}`, { segment: set.segmentNumber, fingerprint });
        const previous = ctx.previous(partner, order);
        if (previous === "changed") add(at("BEG"), "PO_CHANGED", `PO ${key} was imported before with other content (lines, quantities, prices or ship-to): a changed PO is not applied over its order — edit or cancel that order, or send the change under a new PO number`);
        else if (previous === "not-from-import") add(at("BEG"), "PO_HELD", `an order ${key} is already on partner ${partner.code}'s channel and was not made from a purchase order: it is not changed`);
        else if (previous === "new" && doc.purpose === "change") add(at("BEG"), "CHANGE_OF_UNKNOWN_PO", `BEG01 04 changes PO ${key}, which partner ${partner.code}'s channel does not hold: send the original purchase order (BEG01 00)`, elementAck(1, "353", "7"));
        else if (previous === "same") {
          unchanged = true;
          header = `PO ${key} was imported before with the same content: importing it again changes nothing`;
        }
      }
    }
  } else if (!errors() && key) {
    const held = ctx.held(partner, key);
    const twice = inFile.get(`${partner.channelId}\u0000${key}`);
    if (twice) add(at("BEG"), "PO_TWICE", `PO ${key} is also the purchase order at segment ${twice.segment} of this file: send its cancellation in a file of its own`, elementAck(3, "324", "7"));
    else if (!held) add(at("BEG"), "CANCEL_UNKNOWN_PO", `BEG01 01 cancels PO ${key}, but partner ${partner.code}'s channel holds no order ${key}: nothing to cancel`, elementAck(3, "324", "7"));
    else if (held.status === "cancelled") {
      unchanged = true;
      header = `PO ${key} cancellation (BEG01 01) from ${partner.code}: its order is already cancelled, nothing changes`;
    } else {
      const verdict = canTransition(held.status, "cancelled", { unitsOrdered: 0, unitsReserved: 0, unitsBackordered: 0, unitsShipped: held.unitsShipped });
      if (!verdict.ok) add(at("BEG"), "NOT_CANCELLABLE", `BEG01 01 cancels PO ${key}, but its order is ${held.status.replace(/_/g, " ")}: it cannot be cancelled (${verdict.reason})`);
      else header = `PO ${key} cancellation (BEG01 01) from ${partner.code}: cancels its order (now ${held.status.replace(/_/g, " ")})`;
    }
    if (key) inFile.set(`${partner.channelId}\u0000${key}`, { segment: set.segmentNumber, fingerprint: `cancel:${key}` });
    if (!header) header = `PO ${key} cancellation (BEG01 01) from ${partner.code}`;
  }
  if (!header) header = `PO ${doc.poNumber || "?"} from ${partner.code} (850 ST02 ${s.controlNumber})`;

  const results = setResults(set, key, problems, header, said);
  const checkedSet: InboundSet = { ...s, read, problems: problems.sort((a, b) => a.segment - b.segment) };
  if (errors() || !key) return { lines: results, set: checkedSet, document: null };
  const warnings = problems.filter((p) => p.severity === "warning");
  const note = warnings.length ? `${plural(warnings.length, "warning")}: ${warnings.slice(0, 3).map((w) => w.message).join("; ")}` : null;
  return {
    lines: results,
    set: checkedSet,
    document: { key, lines: results.map((r) => r.line), payload: { po: doc, action, order, partnerCode: partner.code }, note, channelId: partner.channelId, ...(unchanged ? { unchanged: true } : {}), ...(action === "cancel" ? { cancels: true } : {}) },
  };
}

/** The same PO as a set earlier in the file, with the same content: its lines are fine, and it is taken once. */
function sameAsEarlier(s: InboundSet, set: X12TransactionSet, key: string, problems: X12Problem[], header: string, said: Map<number, string>, read: Read850, earlier: number): CheckedPo {
  const results = setResults(set, key, problems, `${header}; the same PO as the set at segment ${earlier} of this file: taken once`, said).map((r) => ({ ...r, documentKey: key }));
  return { lines: results, set: { ...s, read, problems }, document: null };
}

type Add = (segment: number, code: string, text: string, ack?: X12AckNote, severity?: X12Problem["severity"]) => void;

/** The order POST /api/v1/orders takes for the PO; null (with problems added) when it cannot be made. */
function orderOf(doc: PurchaseOrder850, resolved: { sku: string; priceMinor: number }[], partner: TradingPartner, set: X12TransactionSet, add: Add): ApiOrderInput | null {
  let shipTo = doc.shipTo;
  if (!shipTo) {
    // Ship-tos on the lines: one order has one destination.
    const first = doc.lines[0]?.shipTo ?? null;
    const where = (p: typeof first) => JSON.stringify(p && [p.name, p.addressLines, p.city, p.state, p.postalCode, p.country]);
    const other = doc.lines.find((l) => where(l.shipTo) !== where(first));
    if (other) {
      add(other.segmentNumber, "SHIP_TOS", `this line ships to ${other.shipTo?.name ?? "no ship-to"}, line ${doc.lines[0].lineNumber} to ${first?.name ?? "no ship-to"}: an order has one ship-to (send one PO per destination)`);
      return null;
    }
    shipTo = first;
  }
  const email = doc.contacts.map((c) => c.email).find(Boolean) ?? shipTo?.contacts.map((c) => c.email).find(Boolean) ?? null;
  const phone = doc.contacts.map((c) => c.phone).find(Boolean) ?? shipTo?.contacts.map((c) => c.phone).find(Boolean) ?? null;
  const per = set.segments.find((g) => g.tag === "PER")?.number ?? set.segmentNumber;
  const validEmail = email && z.string().email().max(254).safeParse(email).success ? email : null;
  if (email && !validEmail) add(per, "EMAIL", `PER e-mail ${JSON.stringify(email.slice(0, 60))} is not an address: the order is taken without it`, undefined, "warning");
  const country = shipTo?.country ? (ALPHA3[shipTo.country.toUpperCase()] ?? shipTo.country.toUpperCase()) : null;
  const promised = doc.requestedShipDate ?? doc.shipNoLater;
  const buyer = doc.buyer?.name ?? doc.billTo?.name ?? null;
  const order: Record<string, unknown> = {
    channel: "wholesale",
    channelId: partner.channelId,
    externalId: doc.poNumber,
    name: `PO ${doc.poNumber}`,
    currency: doc.currency,
    placedAt: doc.orderDate ? `${doc.orderDate}T00:00:00Z` : undefined,
    promisedBy: promised ? `${promised}T23:59:59Z` : undefined,
    email: validEmail ?? undefined,
    phone: phone ? phone.slice(0, 40) : undefined,
    customer: { externalId: partner.code, ...(buyer ? { name: buyer.slice(0, 200) } : {}) },
    shipTo: shipTo
      ? Object.fromEntries(Object.entries({ name: shipTo.name, address1: shipTo.addressLines.join(", ") || null, city: shipTo.city, province: shipTo.state, countryCode: country, zip: shipTo.postalCode }).filter(([, v]) => v !== null))
      : undefined,
    lines: doc.lines.map((l, i) => ({ externalId: l.lineNumber, sku: resolved[i].sku, quantity: l.quantity, priceMinor: resolved[i].priceMinor, ...(l.description ? { title: l.description.slice(0, 255) } : {}) })),
  };
  for (const k of Object.keys(order)) if (order[k] === undefined) delete order[k];
  return order as ApiOrderInput;
}

const LINE_FIELDS: Record<string, string> = { externalId: "PO101 (line number)", quantity: "PO102 (quantity)", priceMinor: "PO104 (unit price)", sku: "the line's item", title: "PID (description)" };
const SHIP_TO_FIELDS: Record<string, string> = { name: "N102 (ship-to name)", address1: "N3 (ship-to address)", city: "N401 (city)", province: "N402 (state or province)", countryCode: "N404 (country)", zip: "N403 (postal code)" };

/** An issue of the API schema, said about the segment its value came from. */
function schemaProblem(path: (string | number)[], message: string, doc: PurchaseOrder850, set: X12TransactionSet, add: Add): void {
  const at = (tag: string) => set.segments.find((g) => g.tag === tag)?.number ?? set.segmentNumber;
  const [head, index, field] = path;
  if (head === "lines" && typeof index === "number" && doc.lines[index]) {
    add(doc.lines[index].segmentNumber, "ORDER", `${LINE_FIELDS[String(field)] ?? String(field ?? "line")}: ${message}`);
    return;
  }
  if (head === "shipTo") {
    add(doc.shipTo?.segmentNumber ?? doc.lines[0]?.shipTo?.segmentNumber ?? set.segmentNumber, "ORDER", `${SHIP_TO_FIELDS[String(index)] ?? "ship-to"}: ${message}`);
    return;
  }
  const where: Record<string, [number, string]> = {
    externalId: [at("BEG"), "BEG03 (PO number)"],
    name: [at("BEG"), "BEG03 (PO number)"],
    placedAt: [at("BEG"), "BEG05 (PO date)"],
    promisedBy: [doc.dates.find((d) => d.qualifier === "010" || d.qualifier === "038")?.segmentNumber ?? at("DTM"), "DTM (requested ship date)"],
    currency: [at("CUR"), "CUR02 (currency)"],
    phone: [at("PER"), "PER phone"],
    customer: [doc.buyer?.segmentNumber ?? doc.billTo?.segmentNumber ?? set.segmentNumber, "the buyer's name (N1*BY)"],
  };
  const [segment, name] = where[String(head)] ?? [set.segmentNumber, path.join(".") || "the purchase order"];
  add(segment, "ORDER", `${name}: ${message}`);
}

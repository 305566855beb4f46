import { exactArray, type X12SegmentData } from "./x12-model";
import { BuildFailure, type SegmentSpec, type X12Values } from "./x12-write";
import { elementValue } from "./x12-segment";

// N1 loops, read and written: N1 (role, name, id qualifier, id), N2 (more name), N3 (address lines), N4 (city,
// state or province, postal code, country) and PER (a contact) for the party. Shared by every document.

export interface X12Contact {
  /** PER01: BD buyer, IC information contact, OC order contact … */
  role: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  fax: string | null;
}

export interface X12Party {
  /** N101: ST ship-to, BT bill-to, BY buyer, SF ship-from, VN vendor, RE remit-to … */
  role: string;
  name: string | null;
  /** N103/N104: how the partner identifies the party (92 = its own code, 9 = DUNS+4, UL = GLN …). */
  idQualifier: string | null;
  id: string | null;
  /** N2 lines. */
  additionalNames: string[];
  /** N3 lines (N301, N302 of every N3). */
  addressLines: string[];
  city: string | null;
  /** State or province (N402). */
  state: string | null;
  postalCode: string | null;
  /** N404, as sent (US, USA …). */
  country: string | null;
  contacts: X12Contact[];
  /** Number of the N1 segment in the file. */
  segmentNumber: number;
}

const value = elementValue;

/** PER → contact: PER03/04, 05/06, 07/08 are (qualifier, number) pairs: TE phone, EM email, FX fax. */
export function readContact(s: X12SegmentData): X12Contact {
  const contact: X12Contact = { role: value(s, 1) ?? "", name: value(s, 2), phone: null, email: null, fax: null };
  for (let i = 3; i <= 7; i += 2) {
    const q = value(s, i);
    const v = value(s, i + 1);
    if (!q || !v) continue;
    if (q === "TE" && !contact.phone) contact.phone = v;
    else if (q === "EM" && !contact.email) contact.email = v;
    else if (q === "FX" && !contact.fax) contact.fax = v;
  }
  return contact;
}

/**
 * The N1 loop starting at segments[start] (an N1): the party and the index after its last segment (N2, N3,
 * N4, REF and PER belong to it, until the next segment of another kind).
 */
export function readParty(segments: readonly X12SegmentData[], start: number): { party: X12Party; next: number } {
  const n1 = segments[start];
  const party: X12Party = { role: value(n1, 1) ?? "", name: value(n1, 2), idQualifier: value(n1, 3), id: value(n1, 4), additionalNames: [], addressLines: [], city: null, state: null, postalCode: null, country: null, contacts: [], segmentNumber: n1.number };
  let i = start + 1;
  for (; i < segments.length; i += 1) {
    const s = segments[i];
    if (s.tag === "N2") party.additionalNames.push(...[value(s, 1), value(s, 2)].filter((v): v is string => v !== null));
    else if (s.tag === "N3") party.addressLines.push(...[value(s, 1), value(s, 2)].filter((v): v is string => v !== null));
    else if (s.tag === "N4") {
      party.city ??= value(s, 1);
      party.state ??= value(s, 2);
      party.postalCode ??= value(s, 3);
      party.country ??= value(s, 4);
    } else if (s.tag === "PER") party.contacts.push(readContact(s));
    else if (s.tag !== "REF") break;
  }
  party.additionalNames = exactArray(party.additionalNames);
  party.addressLines = exactArray(party.addressLines);
  party.contacts = exactArray(party.contacts);
  return { party, next: i };
}

/** A party as a document we send names it. */
export interface PartyInput {
  name: string;
  /** N103/N104, e.g. "92" and the partner's store number, or "UL" and a GLN. */
  idQualifier?: string | null;
  id?: string | null;
  addressLines?: readonly string[];
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

/** N1 (and N3, N4 when there is an address) for `role`. */
export function partySegments(role: string, party: PartyInput, values: X12Values, field: string): SegmentSpec[] {
  const name = values.text(party.name, 60);
  const id = values.optionalId(party.id, `${field}.id`, 80);
  const qualifier = id ? values.id(party.idQualifier ?? "92", `${field}.idQualifier`, 2) : null;
  if (!name && !id) throw new BuildFailure(`${field} needs a name or an id`);
  const out: SegmentSpec[] = [["N1", role, name, qualifier, id]];
  const lines = (party.addressLines ?? []).map((l) => values.text(l, 55)).filter((l): l is string => l !== null);
  for (let i = 0; i < lines.length; i += 2) out.push(["N3", lines[i], lines[i + 1] ?? null]);
  const city = values.text(party.city, 30);
  const state = values.text(party.state, 2);
  const postal = values.text(party.postalCode, 15);
  const country = values.text(party.country, 3);
  if (city || state || postal || country) out.push(["N4", city, state, postal, country]);
  return out;
}

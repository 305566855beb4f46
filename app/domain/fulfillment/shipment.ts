import { z } from "zod";
import { documentLines, positiveLineQuantity } from "../shared/bounded-input";
import { MAX_SKU_LENGTH } from "../shared/limits";

// A shipment the app records for an order no outside system fulfils (Amazon MFN, wholesale, manual): which units
// of which lines left, from where, with which carrier and tracking, in which cartons. Pure: the schema of what a
// caller posts, and the plan that checks it against the order's open units and says what to consume, all problems
// at once. The use case (ship-order.ts) applies the plan as a fulfillment, once per shipment.

const text = (max: number) => z.string().trim().min(1).max(max);
const TRACKING = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,63}$/;
const SHIPMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:#/-]{0,63}$/;
const isoTime = () =>
  z
    .string()
    .max(40)
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, "an ISO 8601 time with its zone (2026-11-20T10:00:00Z)")
    .refine((v) => !Number.isNaN(Date.parse(v)), "not a real time");

const lineRef = z
  .object({
    /** The order line's id in its channel (as GET /api/v1/orders shows it). */
    lineId: z.string().min(1).max(64).optional(),
    /** Or its SKU, when one line of the order has it. */
    sku: z.string().min(1).max(MAX_SKU_LENGTH).optional(),
    quantity: positiveLineQuantity(),
  })
  .strict()
  .refine((l) => !!l.lineId !== !!l.sku, "name the line by lineId or by sku (one of them)");

const carton = z
  .object({
    /** The carton's id: an SSCC-18 (18 digits) when the buyer wants GS1 labels, else any label. */
    id: z.string().trim().min(1).max(40).optional(),
    trackingNumber: z.string().trim().regex(TRACKING, "1–64 letters, digits, spaces or . _ / -").optional(),
    lines: documentLines(lineRef).min(1, "a carton holds at least one line"),
  })
  .strict();

export const shipmentInputSchema = z
  .object({
    /** The shipment's id in the caller's system: its natural key (posting it again changes nothing). Default: carrier + tracking. */
    externalId: z.string().regex(SHIPMENT_ID, "1–64 letters, digits or . _ : # / -, starting with a letter or digit").optional(),
    /** Where it left from (our location id, its Shopify id or its name); default: where the units are reserved. */
    location: z.string().min(1).max(120).optional(),
    carrier: text(60),
    service: text(100).optional(),
    trackingNumber: z.string().trim().regex(TRACKING, "1–64 letters, digits, spaces or . _ / -").optional(),
    shippedAt: isoTime().optional(),
    /** Default: every open unit of the order (or, with cartons, what the cartons hold). */
    lines: documentLines(lineRef).min(1).optional(),
    cartons: z.array(carton).max(500, "more than the limit of 500 cartons").optional(),
  })
  .strict();
export type ShipmentInput = z.infer<typeof shipmentInputSchema>;

/** An order line as the plan needs it: what is still to ship, and where it is reserved. */
export interface ShippableLine {
  externalId: string;
  sku: string | null;
  /** Units ordered and neither shipped, cancelled nor refunded. */
  open: number;
  /** Reserved units by our location id. */
  reservedAt: Record<string, number>;
}

export interface ShipmentLine {
  lineExternalId: string;
  sku: string | null;
  quantity: number;
}

export interface ShipmentCarton {
  /** The carton's label, or its position (1, 2, …) when none was given. */
  id: string;
  trackingNumber: string | null;
  lines: { lineExternalId: string; quantity: number }[];
}

export interface ShipmentPlan {
  externalId: string;
  /** Our location id, or null when the units are not reserved anywhere and none was named. */
  locationId: string | null;
  carrier: string;
  service: string | null;
  trackingNumber: string | null;
  shippedAt: string;
  lines: ShipmentLine[];
  cartons: ShipmentCarton[];
  /** What the shipment says, canonically: the same id with another content is a conflict, not a repeat. */
  content: string;
}

export type ShipmentCheck = { ok: true; plan: ShipmentPlan } | { ok: false; problems: string[] };

type LineRef = z.infer<typeof lineRef>;

/**
 * The shipment to record, from what the caller said and the order's open lines: every named line must exist
 * (a SKU must name exactly one line), no line ships more than is open, cartons hold exactly the shipment's
 * units, and the units leave from one place. `location` is the caller's location already resolved to our id.
 */
export function planShipment(input: ShipmentInput, lines: readonly ShippableLine[], opts: { locationId: string | null; now: Date }): ShipmentCheck {
  const problems: string[] = [];
  const byId = new Map(lines.map((l) => [l.externalId, l]));
  const resolve = (ref: LineRef, where: string): ShippableLine | null => {
    if (ref.lineId !== undefined) {
      const line = byId.get(ref.lineId);
      if (!line) problems.push(`${where}: the order has no line ${ref.lineId}`);
      return line ?? null;
    }
    const matches = lines.filter((l) => l.sku === ref.sku);
    if (matches.length === 0) problems.push(`${where}: no line of the order has SKU ${ref.sku}`);
    if (matches.length > 1) problems.push(`${where}: ${matches.length} lines have SKU ${ref.sku}; name the line by lineId`);
    return matches.length === 1 ? matches[0]! : null;
  };
  const total = (refs: readonly LineRef[], where: string) => {
    const units = new Map<string, number>();
    refs.forEach((ref, i) => {
      const line = resolve(ref, `${where} ${i + 1}`);
      if (line) units.set(line.externalId, (units.get(line.externalId) ?? 0) + ref.quantity);
    });
    return units;
  };

  const cartons = (input.cartons ?? []).map((c, i) => ({ id: c.id ?? String(i + 1), trackingNumber: c.trackingNumber ?? null, units: total(c.lines, `carton ${c.id ?? i + 1}, line`) }));
  const inCartons = new Map<string, number>();
  for (const c of cartons) for (const [id, n] of c.units) inCartons.set(id, (inCartons.get(id) ?? 0) + n);

  let units: Map<string, number>;
  if (input.lines) units = total(input.lines, "line");
  else if (cartons.length) units = new Map(inCartons);
  else units = new Map(lines.filter((l) => l.open > 0).map((l) => [l.externalId, l.open]));

  for (const [id, n] of units) {
    const line = byId.get(id)!;
    if (n > line.open) problems.push(`line ${id}${line.sku ? ` (${line.sku})` : ""}: ${n} to ship but ${line.open} open`);
  }
  if (units.size === 0 && problems.length === 0) problems.push("nothing left to ship: every unit of the order is shipped, cancelled or refunded");
  if (cartons.length) {
    for (const id of new Set([...units.keys(), ...inCartons.keys()])) {
      const shipped = units.get(id) ?? 0;
      const packed = inCartons.get(id) ?? 0;
      if (shipped !== packed) problems.push(`line ${id}: the cartons hold ${packed} but the shipment has ${shipped}`);
    }
    const ids = cartons.map((c) => c.id);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length) problems.push(`carton ${repeated[0]} is listed twice`);
  }

  // One origin: the named location, else the one place every shipped unit is reserved.
  let locationId = opts.locationId;
  if (!locationId) {
    const places = new Set<string>();
    for (const id of units.keys()) for (const [loc, n] of Object.entries(byId.get(id)?.reservedAt ?? {})) if (n > 0) places.add(loc);
    if (places.size > 1) problems.push(`the units are reserved at ${places.size} locations: say which one they left from (location), or ship each location's units separately`);
    locationId = places.size === 1 ? [...places][0]! : null;
  }

  const trackingNumber = input.trackingNumber ?? (cartons.length === 1 ? cartons[0]!.trackingNumber : null);
  const externalId = input.externalId ?? (trackingNumber ? `${input.carrier}:${trackingNumber}`.slice(0, 64) : null);
  if (!externalId) problems.push("externalId: give the shipment an id, or a tracking number (the shipment is known by carrier and tracking)");
  if (problems.length) return { ok: false, problems };

  const planLines = [...units].map(([id, quantity]) => ({ lineExternalId: id, sku: byId.get(id)!.sku, quantity }));
  const planCartons = cartons.map((c) => ({ id: c.id, trackingNumber: c.trackingNumber ?? trackingNumber, lines: [...c.units].map(([lineExternalId, quantity]) => ({ lineExternalId, quantity })) }));
  const shippedAt = new Date(input.shippedAt ? Date.parse(input.shippedAt) : opts.now.getTime()).toISOString();
  const content = JSON.stringify({ locationId, carrier: input.carrier, service: input.service ?? null, trackingNumber, lines: planLines.map((l) => [l.lineExternalId, l.quantity]).sort(), cartons: planCartons });
  return { ok: true, plan: { externalId: externalId!, locationId, carrier: input.carrier, service: input.service ?? null, trackingNumber, shippedAt, lines: planLines, cartons: planCartons, content } };
}

/** The packages a shipment went out as: its cartons, or the whole shipment as one package. */
export function shipmentPackages(plan: Pick<ShipmentPlan, "lines" | "cartons" | "trackingNumber">): { id: string; trackingNumber: string | null; lines: { lineExternalId: string; quantity: number }[] }[] {
  if (plan.cartons.length) return plan.cartons;
  return [{ id: "1", trackingNumber: plan.trackingNumber, lines: plan.lines.map((l) => ({ lineExternalId: l.lineExternalId, quantity: l.quantity })) }];
}

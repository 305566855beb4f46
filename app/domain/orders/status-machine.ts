// One status machine for every order, whatever its channel: a transition table with guards that
// return a reason. The UI, the API and the jobs all ask `canTransition` before changing a status.
//
//   received → reserved → routed → picking → packed → shipped → delivered
//        ↘ backordered ↗        (and cancelled / returned from the states that allow them)
//
// Fulfillments can arrive from the channel at any point before delivery (a merchant or 3PL ships from
// Shopify): some units shipped → partially_shipped, all units → shipped. A cancelled fulfillment moves
// the order back (partially_shipped, or reserved/backordered when nothing is shipped any more).

export const ORDER_STATUSES = ["received", "reserved", "routed", "picking", "packed", "partially_shipped", "shipped", "delivered", "backordered", "cancelled", "returned"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What guards may look at: the order's current quantities. */
export interface OrderFacts {
  unitsOrdered: number;
  unitsReserved: number;
  unitsBackordered: number;
  /** Units fulfilled and not returned. Guards that move by shipments need it stated (undefined = unknown). */
  unitsShipped?: number;
  /** Units shipped and then returned. */
  unitsReturned?: number;
}

export type Verdict = { ok: true } | { ok: false; reason: string };
type Guard = (facts: OrderFacts) => Verdict;

const ok: Verdict = { ok: true };
const fullyAllocated: Guard = (f) => (f.unitsBackordered === 0 && f.unitsReserved >= f.unitsOrdered ? ok : { ok: false, reason: `${f.unitsBackordered} unit(s) are still backordered` });
const someBackordered: Guard = (f) => (f.unitsBackordered > 0 ? ok : { ok: false, reason: "no unit is backordered" });
const nothingShipped: Guard = (f) => (!f.unitsShipped ? ok : { ok: false, reason: `${f.unitsShipped} unit(s) already shipped: return them instead` });
const always: Guard = () => ok;
const allShipped: Guard = (f) =>
  f.unitsShipped !== undefined && f.unitsShipped > 0 && f.unitsShipped >= f.unitsOrdered ? ok : { ok: false, reason: `${Math.max(f.unitsOrdered - (f.unitsShipped ?? 0), 0)} unit(s) are not shipped` };
const partlyShipped: Guard = (f) =>
  f.unitsShipped !== undefined && f.unitsShipped > 0 && f.unitsShipped < f.unitsOrdered ? ok : { ok: false, reason: f.unitsShipped ? "every unit is shipped" : "no unit is shipped" };
const noneShipped: Guard = (f) => (f.unitsShipped === 0 ? ok : { ok: false, reason: f.unitsShipped === undefined ? "shipped units unknown" : `${f.unitsShipped} unit(s) are shipped` });
const allReturned: Guard = (f) =>
  f.unitsShipped === 0 && (f.unitsReturned ?? 0) > 0 && f.unitsReserved + f.unitsBackordered === 0 ? ok : { ok: false, reason: "units are still shipped or open" };
const both = (a: Guard, b: Guard): Guard => (f) => {
  const first = a(f);
  return first.ok ? b(f) : first;
};

const TRANSITIONS: Record<OrderStatus, Partial<Record<OrderStatus, Guard>>> = {
  received: { reserved: fullyAllocated, backordered: someBackordered, cancelled: always, partially_shipped: partlyShipped, shipped: allShipped },
  reserved: { routed: fullyAllocated, backordered: someBackordered, reserved: fullyAllocated, cancelled: always, partially_shipped: partlyShipped, shipped: allShipped },
  backordered: { reserved: fullyAllocated, backordered: someBackordered, cancelled: always, partially_shipped: partlyShipped, shipped: allShipped },
  routed: { picking: fullyAllocated, reserved: fullyAllocated, backordered: someBackordered, shipped: always, cancelled: always, partially_shipped: partlyShipped },
  picking: { packed: always, routed: always, cancelled: nothingShipped, partially_shipped: partlyShipped, shipped: allShipped },
  packed: { shipped: always, picking: always, cancelled: nothingShipped, partially_shipped: partlyShipped },
  partially_shipped: {
    partially_shipped: partlyShipped,
    shipped: allShipped,
    routed: both(noneShipped, fullyAllocated),
    reserved: both(noneShipped, fullyAllocated),
    backordered: both(noneShipped, someBackordered),
    returned: allReturned,
  },
  shipped: {
    delivered: always,
    returned: always,
    partially_shipped: partlyShipped,
    routed: both(noneShipped, fullyAllocated),
    reserved: both(noneShipped, fullyAllocated),
    backordered: both(noneShipped, someBackordered),
  },
  delivered: { returned: always },
  cancelled: {},
  returned: {},
};

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: string, to: string, facts: OrderFacts): Verdict {
  if (!isOrderStatus(from)) return { ok: false, reason: `unknown status "${from}"` };
  if (!isOrderStatus(to)) return { ok: false, reason: `unknown status "${to}"` };
  const guard = TRANSITIONS[from][to];
  if (!guard) return { ok: false, reason: `an order that is ${from} cannot become ${to}` };
  return guard(facts);
}

/** The statuses an order may move to from here (for UI buttons and API docs). */
export function nextStatuses(from: OrderStatus, facts: OrderFacts): OrderStatus[] {
  return (Object.keys(TRANSITIONS[from]) as OrderStatus[]).filter((to) => to !== from && TRANSITIONS[from][to]!(facts).ok);
}

/** After (re)allocation: reserved when every unit has stock, backordered otherwise. */
export function statusAfterAllocation(facts: OrderFacts): "reserved" | "backordered" {
  return facts.unitsBackordered > 0 ? "backordered" : "reserved";
}

/**
 * After a fulfillment, its cancellation or a return: shipped when every unit is, partially_shipped when
 * some are, returned when all that shipped came back and nothing is open. When nothing is shipped any
 * more (a cancelled fulfillment) the order waits again: routed where it was placed (its fulfillment
 * orders are open there), or backordered.
 */
export function statusAfterShipping(facts: OrderFacts): OrderStatus {
  const shipped = facts.unitsShipped ?? 0;
  if (shipped === 0 && (facts.unitsReturned ?? 0) > 0 && facts.unitsReserved + facts.unitsBackordered === 0) return "returned";
  if (shipped > 0 && shipped >= facts.unitsOrdered) return "shipped";
  if (shipped > 0) return "partially_shipped";
  return facts.unitsBackordered > 0 ? "backordered" : "routed";
}

/** Statuses that fulfillments (not allocation) decide. */
export function isShippingStatus(status: string): boolean {
  return status === "partially_shipped" || status === "shipped" || status === "returned";
}

export function isOpen(status: string): boolean {
  return status !== "cancelled" && status !== "returned" && status !== "delivered";
}

/** Before picking starts, an order's allocation may still be changed (re-routed, released). */
export function isReallocatable(status: string): boolean {
  return status === "received" || status === "reserved" || status === "backordered" || status === "routed";
}

// ---- Mapping each channel's own statuses onto the one journey -------------------------------------

/** Shopify's fulfillment status (REST `fulfillment_status` / GraphQL `displayFulfillmentStatus`). */
export function fromShopify(fulfillmentStatus: string | null, cancelled: boolean): OrderStatus | null {
  if (cancelled) return "cancelled";
  switch ((fulfillmentStatus ?? "").toLowerCase()) {
    case "fulfilled":
    case "shipped":
      return "shipped";
    case "delivered":
      return "delivered";
    case "restocked":
    case "returned":
      return "returned";
    default:
      return null; // unfulfilled / partial / null: our own allocation decides
  }
}

/** Amazon SP-API OrderStatus. */
export function fromAmazon(orderStatus: string): OrderStatus | null {
  const map: Record<string, OrderStatus | null> = {
    Pending: null, // payment not confirmed: not yet ours to reserve
    Unshipped: "received",
    PartiallyShipped: "shipped",
    Shipped: "shipped",
    Canceled: "cancelled",
    Unfulfillable: "cancelled",
    InvoiceUnconfirmed: "shipped",
    PendingAvailability: "backordered",
  };
  return orderStatus in map ? map[orderStatus] : null;
}

/** Wholesale EDI/CSV purchase-order acknowledgement states (855 BAK01 / our CSV status column). */
export function fromWholesale(status: string): OrderStatus | null {
  const map: Record<string, OrderStatus> = { new: "received", accepted: "received", backordered: "backordered", shipped: "shipped", cancelled: "cancelled", rejected: "cancelled" };
  return map[status.toLowerCase()] ?? null;
}

/** The warehouse module's task states. */
export function fromWarehouse(task: "pick_started" | "picked" | "packed" | "shipped"): OrderStatus {
  return task === "pick_started" ? "picking" : task === "picked" ? "picking" : task === "packed" ? "packed" : "shipped";
}

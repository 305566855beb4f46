// One status machine for every order, whatever its channel: a transition table with guards that
// return a reason. The UI, the API and the jobs all ask `canTransition` before changing a status.
//
//   received → reserved → routed → picking → packed → shipped → delivered
//        ↘ backordered ↗        (and cancelled / returned from the states that allow them)

export const ORDER_STATUSES = ["received", "reserved", "routed", "picking", "packed", "shipped", "delivered", "backordered", "cancelled", "returned"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What guards may look at: the order's current quantities. */
export interface OrderFacts {
  unitsOrdered: number;
  unitsReserved: number;
  unitsBackordered: number;
  unitsShipped?: number;
}

export type Verdict = { ok: true } | { ok: false; reason: string };
type Guard = (facts: OrderFacts) => Verdict;

const ok: Verdict = { ok: true };
const fullyAllocated: Guard = (f) => (f.unitsBackordered === 0 && f.unitsReserved >= f.unitsOrdered ? ok : { ok: false, reason: `${f.unitsBackordered} unit(s) are still backordered` });
const someBackordered: Guard = (f) => (f.unitsBackordered > 0 ? ok : { ok: false, reason: "no unit is backordered" });
const nothingShipped: Guard = (f) => (!f.unitsShipped ? ok : { ok: false, reason: `${f.unitsShipped} unit(s) already shipped: return them instead` });
const always: Guard = () => ok;

const TRANSITIONS: Record<OrderStatus, Partial<Record<OrderStatus, Guard>>> = {
  received: { reserved: fullyAllocated, backordered: someBackordered, cancelled: always },
  reserved: { routed: fullyAllocated, backordered: someBackordered, reserved: fullyAllocated, cancelled: always },
  backordered: { reserved: fullyAllocated, backordered: someBackordered, cancelled: always },
  routed: { picking: fullyAllocated, reserved: fullyAllocated, backordered: someBackordered, shipped: always, cancelled: always },
  picking: { packed: always, routed: always, cancelled: nothingShipped },
  packed: { shipped: always, picking: always, cancelled: nothingShipped },
  shipped: { delivered: always, returned: always },
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

import { describe, expect, it } from "vitest";
import { canTransition, fromAmazon, fromShopify, nextStatuses, ORDER_STATUSES, statusAfterAllocation, statusAfterShipping } from "./status-machine";

const allocated = { unitsOrdered: 3, unitsReserved: 3, unitsBackordered: 0 };
const short = { unitsOrdered: 3, unitsReserved: 1, unitsBackordered: 2 };

describe("order status machine", () => {
  it("walks the happy journey", () => {
    const path = ["received", "reserved", "routed", "picking", "packed", "shipped", "delivered", "returned"];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i], allocated), `${path[i - 1]}→${path[i]}`).toEqual({ ok: true });
  });

  it("guards reservation on stock, with a reason", () => {
    expect(canTransition("received", "reserved", short)).toEqual({ ok: false, reason: "2 unit(s) are still backordered" });
    expect(canTransition("received", "backordered", short)).toEqual({ ok: true });
    expect(canTransition("received", "backordered", allocated).ok).toBe(false);
    expect(canTransition("backordered", "reserved", allocated)).toEqual({ ok: true });
  });

  it("refuses what the table does not allow, naming both states", () => {
    expect(canTransition("shipped", "picking", allocated)).toEqual({ ok: false, reason: "an order that is shipped cannot become picking" });
    expect(canTransition("cancelled", "reserved", allocated).ok).toBe(false);
    expect(canTransition("delivered", "cancelled", allocated).ok).toBe(false);
    expect(canTransition("nonsense", "reserved", allocated)).toEqual({ ok: false, reason: 'unknown status "nonsense"' });
  });

  it("lets a packed order be cancelled only while nothing shipped", () => {
    expect(canTransition("packed", "cancelled", { ...allocated, unitsShipped: 0 }).ok).toBe(true);
    expect(canTransition("packed", "cancelled", { ...allocated, unitsShipped: 1 }).ok).toBe(false);
  });

  it("terminal states go nowhere; every state is in the table", () => {
    expect(nextStatuses("cancelled", allocated)).toEqual([]);
    expect(nextStatuses("returned", allocated)).toEqual([]);
    for (const s of ORDER_STATUSES) expect(Array.isArray(nextStatuses(s, allocated))).toBe(true);
    expect(nextStatuses("received", short)).toEqual(["backordered", "cancelled"]);
  });

  it("maps channel statuses onto the one journey", () => {
    expect(fromShopify("fulfilled", false)).toBe("shipped");
    expect(fromShopify(null, true)).toBe("cancelled");
    expect(fromShopify("partial", false)).toBeNull();
    expect(fromAmazon("Unshipped")).toBe("received");
    expect(fromAmazon("Canceled")).toBe("cancelled");
    expect(fromAmazon("Pending")).toBeNull();
    expect(statusAfterAllocation(short)).toBe("backordered");
    expect(statusAfterAllocation(allocated)).toBe("reserved");
  });

  it("moves by shipments only when shipped units are stated: partly → partially_shipped, all → shipped, a cancelled fulfillment back", () => {
    const routed = { unitsOrdered: 3, unitsReserved: 1, unitsBackordered: 0 };
    expect(canTransition("routed", "partially_shipped", { ...routed, unitsShipped: 2 })).toEqual({ ok: true });
    expect(canTransition("reserved", "shipped", { ...routed, unitsReserved: 0, unitsShipped: 3 })).toEqual({ ok: true });
    expect(canTransition("reserved", "shipped", { ...routed, unitsShipped: 2 })).toEqual({ ok: false, reason: "1 unit(s) are not shipped" });
    expect(canTransition("backordered", "partially_shipped", routed).ok).toBe(false); // unknown shipped units move nothing
    expect(canTransition("partially_shipped", "shipped", { ...routed, unitsReserved: 0, unitsShipped: 3 })).toEqual({ ok: true });
    expect(canTransition("partially_shipped", "cancelled", { ...routed, unitsShipped: 2 }).ok).toBe(false);
    // a fulfillment cancelled: back to partially_shipped, or to reserved when nothing is shipped any more
    expect(canTransition("shipped", "partially_shipped", { ...routed, unitsShipped: 1 })).toEqual({ ok: true });
    expect(canTransition("shipped", "reserved", { ...allocated, unitsShipped: 0 })).toEqual({ ok: true });
    expect(canTransition("shipped", "reserved", allocated)).toEqual({ ok: false, reason: "shipped units unknown" });
    expect(canTransition("partially_shipped", "backordered", { ...short, unitsShipped: 0 })).toEqual({ ok: true });
  });

  it("statusAfterShipping: shipped, partially shipped, all returned, or the allocation's own status", () => {
    expect(statusAfterShipping({ unitsOrdered: 3, unitsReserved: 0, unitsBackordered: 0, unitsShipped: 3 })).toBe("shipped");
    expect(statusAfterShipping({ unitsOrdered: 3, unitsReserved: 1, unitsBackordered: 0, unitsShipped: 2 })).toBe("partially_shipped");
    expect(statusAfterShipping({ unitsOrdered: 0, unitsReserved: 0, unitsBackordered: 0, unitsShipped: 0, unitsReturned: 2 })).toBe("returned");
    expect(statusAfterShipping({ ...short, unitsShipped: 0 })).toBe("backordered");
    expect(statusAfterShipping({ ...allocated, unitsShipped: 0 })).toBe("routed"); // a cancelled fulfillment: waiting where it was placed
  });
});

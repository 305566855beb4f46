import { isReallocatable } from "../orders/status-machine";

// On hand at a location fell below what orders hold there (stock lost, or shipped from here for units
// reserved elsewhere): who gives way. The newest orders first, so the oldest keep the promise they were made;
// an order already being picked keeps its units (it may be in a tote). Pure: the use case releases and
// re-routes what this names.

export interface HeldHere {
  allocationId: string;
  orderId: string;
  orderStatus: string;
  quantity: number;
}

export interface GiveWay {
  allocationId: string;
  orderId: string;
  units: number;
}

/** `held` newest order first; returns what to release, and how much of the shortfall nothing could cover. */
export function planShortfall(short: number, held: HeldHere[]): { giveWay: GiveWay[]; unresolved: number } {
  const giveWay: GiveWay[] = [];
  let left = Math.max(0, short);
  for (const a of held) {
    if (left <= 0) break;
    if (!isReallocatable(a.orderStatus) && a.orderStatus !== "partially_shipped") continue;
    const units = Math.min(left, a.quantity);
    giveWay.push({ allocationId: a.allocationId, orderId: a.orderId, units });
    left -= units;
  }
  return { giveWay, unresolved: left };
}

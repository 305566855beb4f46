// Plain data for reconciling Shopify's fulfillment orders (FOs) with a routing decision: what the
// order's FOs look like now, where the routing wants each unit, and the operations that get there.
// Ids are opaque strings here; the adapter decides their form (legacy numeric ids for locations and
// order line items, so they compare with what our database holds).

/** Shopify's FulfillmentOrderStatus; only OPEN and ON_HOLD FOs are ever changed. */
export type FulfillmentOrderStatus =
  | "OPEN" | "ON_HOLD" | "IN_PROGRESS" | "SCHEDULED" | "INCOMPLETE" | "CLOSED" | "CANCELLED" | (string & {});

export interface CurrentFulfillmentOrderLine {
  /** The FO line item (Shopify: FulfillmentOrderLineItem gid). */
  id: string;
  /** The order line item it fulfils (legacy id). */
  lineItemId: string;
  remainingQuantity: number;
}

export interface FulfillmentHoldInfo {
  handle: string | null;
  reason: string;
}

export interface CurrentFulfillmentOrder {
  id: string;
  status: FulfillmentOrderStatus;
  locationId: string;
  lineItems: CurrentFulfillmentOrderLine[];
  /**
   * The FO's holds, when known. An ON_HOLD FO carrying a hold this app did not place (another handle)
   * is left alone: releasing it would also lift the merchant's fraud or payment hold.
   */
  holds?: FulfillmentHoldInfo[];
}

export interface PlacementLine {
  lineItemId: string;
  quantity: number;
}

/** Where the routing wants units: at a location, or backordered (`locationId: null`, held). */
export interface DesiredPlacement {
  locationId: string | null;
  lines: PlacementLine[];
}

/**
 * A fulfillment order named in a plan: the id of a current FO, or a handle ("@1", "@2", …) that an
 * earlier operation of the same plan declared for an FO it creates. The executor maps handles to the
 * ids the mutations return.
 */
export type FoRef = string;

/** FO line items are named by their order line item: the ids of FOs created mid-plan are unknown upfront. */
export interface OperationLine {
  lineItemId: string;
  quantity: number;
}

export const BACKORDER_HOLD_REASON = "INVENTORY_OUT_OF_STOCK";
/** The hold handle this app uses, so its own holds can be told from the merchant's. */
export const BACKORDER_HOLD_HANDLE = "open-oms-backorder";

export type FulfillmentOrderOperation =
  | { kind: "releaseHold"; fulfillmentOrder: FoRef }
  | {
      kind: "move";
      fulfillmentOrder: FoRef;
      newLocationId: string;
      /** Omitted: the whole FO moves (and keeps its id). */
      lineItems?: OperationLine[];
      /** Present for a partial move: the handle of the new FO at the new location. */
      movedAs?: FoRef;
    }
  | {
      kind: "split";
      fulfillmentOrder: FoRef;
      /** These quantities go to a new FO at the same location. */
      lineItems: OperationLine[];
      splitAs: FoRef;
    }
  | {
      kind: "hold";
      fulfillmentOrder: FoRef;
      reason: typeof BACKORDER_HOLD_REASON;
      handle: string;
      notes: string;
      /** Only these stay held; the rest goes to a new OPEN FO named `remainingAs`. Omitted: the whole FO. */
      lineItems?: OperationLine[];
      remainingAs?: FoRef;
    };

export type SkipCode =
  /** The FO's status forbids changes (IN_PROGRESS, CLOSED, CANCELLED, …). */
  | "FULFILLMENT_ORDER_LOCKED"
  /** The FO is on hold for a reason this app did not set. */
  | "HELD_BY_OTHERS"
  /** The placement asks for more units than the changeable FOs hold. */
  | "UNITS_UNAVAILABLE"
  /** Units in FOs that the placement does not ask for (or could not take from a locked FO): left where they are. */
  | "UNITS_NOT_IN_PLACEMENT";

export interface SkippedChange {
  code: SkipCode;
  reason: string;
  fulfillmentOrderId?: string;
  status?: string;
  lineItemId?: string;
  /** For unit-level skips: the location concerned (null = held / backordered). */
  locationId?: string | null;
  quantity?: number;
}

export interface FulfillmentOrderPlan {
  operations: FulfillmentOrderOperation[];
  skipped: SkippedChange[];
}

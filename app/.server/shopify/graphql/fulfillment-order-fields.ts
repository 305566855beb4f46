// The fulfillment-order selection shared by the order query and the FO mutations' payloads (not a
// document itself, so it carries no graphql tag). 10 FOs × 40 lines keeps the order query at about
// 870 of Shopify's 1000 cost points; an FO with more lines is read on with FULFILLMENT_ORDER_LINE_ITEMS_QUERY.

export const FO_LINES_PAGE = 40;

export const FULFILLMENT_ORDER_LINE_FIELDS = `
  id
  remainingQuantity
  lineItem {
    id
  }
`;

export const FULFILLMENT_ORDER_FIELDS = `
  id
  status
  assignedLocation {
    location {
      id
    }
  }
  fulfillmentHolds {
    id
    handle
    reason
  }
  lineItems(first: ${FO_LINES_PAGE}) {
    nodes {${FULFILLMENT_ORDER_LINE_FIELDS}}
    pageInfo {
      hasNextPage
      endCursor
    }
  }
`;

export interface FulfillmentOrderLineNode {
  id: string;
  remainingQuantity: number;
  lineItem: { id: string };
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface FulfillmentOrderNode {
  id: string;
  status: string;
  assignedLocation: { location: { id: string } | null };
  fulfillmentHolds: Array<{ id: string; handle: string | null; reason: string }>;
  lineItems: { nodes: FulfillmentOrderLineNode[]; pageInfo: PageInfo };
}

export interface FoUserError {
  field: string[] | null;
  message: string;
  /** Hold, split and release report a code; move's plain UserError has none. */
  code?: string | null;
}

// Orders changed since a moment, oldest change first: the reconciliation poll's read.
// `$query` carries Shopify search syntax (`updated_at:>'2026-01-05T10:00:00Z'`, or `id:123` to re-read
// one order's overflowing lines with `$lineItemsAfter`).
//
// Cost (Shopify: connection = 2 + first × node; objects 1; scalars 0; one query may cost at most 1000):
// a line costs 4 (node, variant, originalUnitPriceSet, shopMoney), an order 8 + 4 × lineItemsFirst.
// So `lineItems(first: 250)` alone is 1002 and can never be asked for; the default page
// (20 orders × 10 lines) requests 962. An order with more lines is completed by `id:` re-reads.

export const ORDERS_UPDATED_SINCE_QUERY = `#graphql
  query OrdersUpdatedSince($first: Int!, $after: String, $query: String, $lineItemsFirst: Int!, $lineItemsAfter: String) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        name
        createdAt
        updatedAt
        cancelledAt
        email
        phone
        currencyCode
        displayFinancialStatus
        totalPriceSet {
          shopMoney {
            amount
          }
        }
        customer {
          id
          firstName
          lastName
        }
        shippingAddress {
          name
          address1
          city
          province
          provinceCode
          countryCodeV2
          zip
          latitude
          longitude
        }
        shippingLine {
          title
          code
        }
        customAttributes {
          key
          value
        }
        lineItems(first: $lineItemsFirst, after: $lineItemsAfter) {
          nodes {
            id
            sku
            title
            quantity
            currentQuantity
            variant {
              id
            }
            originalUnitPriceSet {
              shopMoney {
                amount
              }
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const SINGLE_QUERY_MAX_COST = 1000;
export const DEFAULT_ORDERS_PAGE = 20;
export const DEFAULT_LINES_PAGE = 10;

/** Shopify's requested cost of one page of this document (must stay ≤ SINGLE_QUERY_MAX_COST). */
export function ordersUpdatedSinceCost(first: number, lineItemsFirst: number): number {
  return 2 + first * (8 + 4 * lineItemsFirst);
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface GraphqlLineItemNode {
  id: string;
  sku: string | null;
  title: string;
  quantity: number;
  /** quantity minus units removed by edits and refunds: what is still to ship. */
  currentQuantity: number;
  variant: { id: string } | null;
  originalUnitPriceSet: { shopMoney: { amount: string } };
}

export interface GraphqlOrderNode {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  email: string | null;
  phone: string | null;
  currencyCode: string;
  displayFinancialStatus: string | null;
  totalPriceSet: { shopMoney: { amount: string } };
  customer: { id: string; firstName: string | null; lastName: string | null } | null;
  shippingAddress: {
    name: string | null;
    address1: string | null;
    city: string | null;
    province: string | null;
    provinceCode: string | null;
    countryCodeV2: string | null;
    zip: string | null;
    latitude: number | null;
    longitude: number | null;
  } | null;
  /** The first shipping line (what the customer chose at checkout), or null. */
  shippingLine?: { title: string; code: string | null } | null;
  customAttributes?: { key: string; value: string | null }[];
  lineItems: { nodes: GraphqlLineItemNode[]; pageInfo: PageInfo };
}

export interface OrdersUpdatedSinceVariables {
  first: number;
  after: string | null;
  query: string | null;
  lineItemsFirst: number;
  lineItemsAfter: string | null;
}

export interface OrdersUpdatedSinceResult {
  orders: { nodes: GraphqlOrderNode[]; pageInfo: PageInfo };
}

// The bounds on what a channel or an API client may send, stated once. Each sits far above what a real shop
// does and far below where the arithmetic stops being exact, so a typo or a hostile payload is refused as
// invalid data (named field, stated limit) instead of reserving a whole warehouse or storing a rounded float.

/** Units on one line (order, edit, refund, fulfillment, receipt): no shop ships a million of one item in one go. */
export const MAX_LINE_QUANTITY = 1_000_000;

/** Lines on one order: Shopify's checkout stops at 500 line items; twice that leaves room for other channels. */
export const MAX_ORDER_LINES = 1_000;

/** Lines on one order's refund or fulfillment payload: never more than the order itself can have. */
export const MAX_DOCUMENT_LINES = MAX_ORDER_LINES;

/** Lines on one receipt (POST /api/v1/inventory/receipts): one request stays one short transaction. */
export const MAX_RECEIPT_LINES = 250;

/** A receipt reference (PO number, transfer id): the ERP's document number, not a document. */
export const MAX_RECEIPT_REFERENCE_LENGTH = 120;

/** A SKU as clients send it: Shopify allows 255 characters; ours are identifiers, 120 is plenty. */
export const MAX_SKU_LENGTH = 120;

/**
 * Any amount of money in minor units: 10^14, a trillion in a two-decimal currency (and still ~$60 M in IDR,
 * the weakest two-decimal currency). 90× under Number.MAX_SAFE_INTEGER, so sums of many stay exact.
 */
export const MAX_MONEY_MINOR = 100_000_000_000_000;

/** A webhook body: Shopify's largest order payloads stay well under 1 MiB; more is refused with 413 unread. */
export const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

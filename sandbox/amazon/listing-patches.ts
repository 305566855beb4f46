// The business rules of a listings change, shared by the Listings Items API PATCH and JSON_LISTINGS_FEED
// messages: evaluate JSON Patch operations against a listing (pure), then apply the changes if no ERROR.
import { amazonValidators, describeIssues } from "./schemas";
import type { Listing, ListingStore } from "./store";

export interface ListingIssue {
  code: string;
  message: string;
  severity: "ERROR" | "WARNING" | "INFO";
  attributeNames?: string[];
  categories: string[];
}

/**
 * Issue codes. 90000900 is Amazon's ("The attributes are invalid.", from the model's sandbox example);
 * the others are the stand-in's own names, not Amazon codes.
 */
export const ISSUE_CODES = {
  invalidAttribute: "90000900",
  productTypeMismatch: "SANDBOX_PRODUCT_TYPE_MISMATCH",
  skuNotFound: "SANDBOX_SKU_NOT_FOUND",
  unsupportedChannel: "SANDBOX_CHANNEL_NOT_SELLER_MANAGED",
  duplicateMessageId: "SANDBOX_DUPLICATE_MESSAGE_ID",
  invalidFeed: "SANDBOX_INVALID_FEED",
} as const;

export interface PatchOperation {
  op: "add" | "replace" | "merge" | "delete";
  path: string;
  value?: Record<string, unknown>[];
}

export type ListingChange =
  | { kind: "quantity"; quantity: number | null }
  | { kind: "attribute"; name: string; value: unknown[] | null };

export interface PatchEvaluation {
  issues: ListingIssue[];
  changes: ListingChange[];
}

const FULFILLMENT_AVAILABILITY = "fulfillment_availability";
/** The merchant-fulfilled channel; AMAZON_* (FBA) quantities are Amazon's, not the seller's to set. */
const SELLER_CHANNEL = "DEFAULT";

export function invalidAttribute(message: string, attributeNames: string[] = []): ListingIssue {
  return { code: ISSUE_CODES.invalidAttribute, message, severity: "ERROR", attributeNames, categories: ["INVALID_ATTRIBUTE"] };
}

/** Evaluates patches (already valid against PatchOperation) for `listing`; changes are empty when any ERROR. */
export function evaluatePatches(listing: Listing, productType: string, patches: PatchOperation[]): PatchEvaluation {
  const issues: ListingIssue[] = [];
  const changes: ListingChange[] = [];
  if (productType !== listing.productType) {
    issues.push({
      code: ISSUE_CODES.productTypeMismatch,
      message: `The product type '${productType}' does not match the product type '${listing.productType}' of the listing.`,
      severity: "ERROR",
      categories: ["INVALID_ATTRIBUTE"],
    });
  }
  for (const patch of patches) {
    const match = /^\/attributes\/([a-z][a-z0-9_]*)$/.exec(patch.path);
    if (!match) {
      issues.push(invalidAttribute(`The path '${patch.path}' is invalid: only top-level attributes (/attributes/<name>) can be patched.`));
      continue;
    }
    const name = match[1];
    if (patch.op !== "delete" && !Array.isArray(patch.value)) {
      issues.push(invalidAttribute(`The '${patch.op}' operation on '${name}' requires an array value.`, [name]));
      continue;
    }
    if (name !== FULFILLMENT_AVAILABILITY) {
      changes.push({ kind: "attribute", name, value: patch.op === "delete" ? null : patch.value! });
      continue;
    }
    if (patch.op === "delete") {
      changes.push({ kind: "quantity", quantity: null });
      continue;
    }
    const quantity = fulfillmentQuantity(patch.value, issues);
    if (quantity !== undefined) changes.push({ kind: "quantity", quantity });
  }
  const failed = issues.some((i) => i.severity === "ERROR");
  return { issues, changes: failed ? [] : changes };
}

/** The DEFAULT-channel quantity in a fulfillment_availability value (undefined: no quantity, or invalid → issue). */
function fulfillmentQuantity(value: unknown, issues: ListingIssue[]): number | undefined {
  const validator = amazonValidators().fulfillmentAvailabilityValue;
  const schemaIssues = validator.issues(value);
  if (schemaIssues.length > 0) {
    issues.push(invalidAttribute(`The value of 'fulfillment_availability' is invalid: ${describeIssues(schemaIssues)}`, [FULFILLMENT_AVAILABILITY]));
    return undefined;
  }
  const entries = value as { fulfillment_channel_code: string; quantity?: number }[];
  const foreign = entries.filter((e) => e.fulfillment_channel_code !== SELLER_CHANNEL);
  if (foreign.length > 0) {
    issues.push({
      code: ISSUE_CODES.unsupportedChannel,
      message: `Quantity for fulfillment channel '${foreign[0].fulfillment_channel_code}' is managed by Amazon; only '${SELLER_CHANNEL}' can be set by the seller.`,
      severity: "ERROR",
      attributeNames: [FULFILLMENT_AVAILABILITY],
      categories: ["INVALID_ATTRIBUTE"],
    });
    return undefined;
  }
  const own = entries.filter((e) => e.fulfillment_channel_code === SELLER_CHANNEL);
  if (own.length > 1) {
    issues.push(invalidAttribute(`'fulfillment_availability' lists channel '${SELLER_CHANNEL}' more than once.`, [FULFILLMENT_AVAILABILITY]));
    return undefined;
  }
  return own[0]?.quantity;
}

/** Converts PARTIAL_UPDATE / UPDATE attributes into replace patches (UPDATE also deletes what it omits). */
export function attributesToPatches(listing: Listing, attributes: Record<string, unknown>, full: boolean): PatchOperation[] {
  const patches: PatchOperation[] = Object.entries(attributes).map(([name, value]) => ({
    op: "replace",
    path: `/attributes/${name}`,
    value: value as Record<string, unknown>[],
  }));
  if (full) {
    const omitted = [...Object.keys(listing.attributes), FULFILLMENT_AVAILABILITY].filter((n) => !(n in attributes));
    for (const name of omitted) patches.push({ op: "delete", path: `/attributes/${name}` });
  }
  return patches;
}

/** Applies evaluated changes; the quantity change is accepted at `at` (and visible visibilityDelayMs later). */
export function applyChanges(store: ListingStore, sku: string, changes: ListingChange[], source: "listings-patch" | "feed", ref: string, at?: number): void {
  const listing = store.get(sku);
  if (!listing) throw new Error(`unknown SKU ${sku}`);
  for (const change of changes) {
    if (change.kind === "attribute") {
      if (change.value === null) delete listing.attributes[change.name];
      else listing.attributes[change.name] = change.value;
      store.touch(sku, at);
    }
  }
  const quantity = changes.filter((c) => c.kind === "quantity").at(-1);
  if (quantity) store.acceptQuantity(sku, quantity.quantity, source, ref, at);
}

// Listings Items API 2021-08-01: getListingsItem and patchListingsItem on
// /listings/2021-08-01/items/{sellerId}/{sku}. Bodies are validated against Amazon's model; GET shows the
// buyer-visible quantity (what Amazon shows once an update has been processed).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorList, isoSeconds, listParam, parseJsonObject, readBody, sendJson } from "./http";
import { applyChanges, evaluatePatches, type PatchOperation } from "./listing-patches";
import { amazonValidators, describeIssues } from "./schemas";
import type { Listing, ListingStore } from "./store";

export const LISTINGS_INCLUDED_DATA = ["summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement", "relationships", "productTypes"] as const;
export type IncludedData = (typeof LISTINGS_INCLUDED_DATA)[number];

export interface ListingsContext {
  store: ListingStore;
  sellerId: string;
  marketplaceId: string;
}

/** The Item a GET returns (and a processing report's `items` carry). */
export function listingItemView(ctx: ListingsContext, listing: Listing, includedData: readonly IncludedData[]): Record<string, unknown> {
  const item: Record<string, unknown> = { sku: listing.sku };
  const quantity = ctx.store.visibleQuantity(listing.sku);
  const marketplaceId = ctx.marketplaceId;
  for (const part of includedData) {
    if (part === "summaries") {
      item.summaries = [{
        marketplaceId,
        asin: listing.asin,
        productType: listing.productType,
        conditionType: "new_new",
        status: quantity ? ["BUYABLE", "DISCOVERABLE"] : ["DISCOVERABLE"],
        itemName: listing.itemName,
        createdDate: isoSeconds(listing.createdAt),
        lastUpdatedDate: isoSeconds(listing.updatedAt),
      }];
    } else if (part === "attributes") {
      const attributes: Record<string, unknown> = { ...listing.attributes };
      if (quantity !== null && quantity !== undefined) attributes.fulfillment_availability = [{ fulfillment_channel_code: "DEFAULT", quantity }];
      item.attributes = attributes;
    } else if (part === "issues") {
      item.issues = [];
    } else if (part === "offers") {
      item.offers = [{ marketplaceId, offerType: "B2C", price: { currencyCode: listing.currency, amount: (listing.priceMinor / 100).toFixed(2) } }];
    } else if (part === "fulfillmentAvailability") {
      item.fulfillmentAvailability = quantity === null || quantity === undefined ? [] : [{ fulfillmentChannelCode: "DEFAULT", quantity }];
    } else if (part === "procurement") {
      item.procurement = []; // vendors only
    } else if (part === "relationships") {
      item.relationships = [{ marketplaceId, relationships: [] }];
    } else {
      item.productTypes = [{ marketplaceId, productType: listing.productType }];
    }
  }
  return item;
}

type Check = { status: number; body: ReturnType<typeof errorList> } | undefined;

function checkCommon(ctx: ListingsContext, url: URL, sellerId: string): Check {
  if (sellerId !== ctx.sellerId) {
    return { status: 403, body: errorList("Unauthorized", "Access to requested resource is denied.", `The seller ${sellerId} is not the seller that authorised this application.`) };
  }
  const marketplaceIds = listParam(url, "marketplaceIds");
  if (marketplaceIds.length === 0) return { status: 400, body: errorList("InvalidInput", "Missing required parameter 'marketplaceIds'.") };
  if (marketplaceIds.length > 1) return { status: 400, body: errorList("InvalidInput", "Only one marketplaceId may be specified.") };
  if (marketplaceIds[0] !== ctx.marketplaceId) {
    return { status: 400, body: errorList("InvalidInput", `Invalid marketplaceIds '${marketplaceIds[0]}': the seller does not participate in it.`) };
  }
  return undefined;
}

export function createListingsHandlers(ctx: ListingsContext) {
  const notFound = (sku: string) => errorList("NOT_FOUND", `SKU '${sku}' not found in marketplace ${ctx.marketplaceId}`);

  const get = async (_req: IncomingMessage, res: ServerResponse, url: URL, sellerId: string, sku: string): Promise<void> => {
    const failed = checkCommon(ctx, url, sellerId);
    if (failed) return sendJson(res, failed.status, failed.body);
    const requested = url.searchParams.has("includedData") ? listParam(url, "includedData") : ["summaries"];
    const unknown = requested.filter((d) => !(LISTINGS_INCLUDED_DATA as readonly string[]).includes(d));
    if (unknown.length > 0) return sendJson(res, 400, errorList("InvalidInput", `Invalid includedData value(s): ${unknown.join(", ")}`));
    const listing = ctx.store.get(sku);
    if (!listing) return sendJson(res, 404, notFound(sku));
    sendJson(res, 200, listingItemView(ctx, listing, requested as IncludedData[]));
  };

  const patch = async (req: IncomingMessage, res: ServerResponse, url: URL, sellerId: string, sku: string): Promise<void> => {
    const raw = await readBody(req, 10 * 1024 * 1024);
    const failed = checkCommon(ctx, url, sellerId);
    if (failed) return sendJson(res, failed.status, failed.body);
    if (!String(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
      return sendJson(res, 415, errorList("UnsupportedMediaType", "The request payload is in an unsupported format: use Content-Type application/json."));
    }
    const mode = url.searchParams.get("mode");
    if (mode !== null && mode !== "VALIDATION_PREVIEW") return sendJson(res, 400, errorList("InvalidInput", `Invalid mode '${mode}'.`));
    const body = parseJsonObject(raw);
    if (!body) return sendJson(res, 400, errorList("InvalidInput", "Request body is not a JSON object."));
    const schemaIssues = amazonValidators().listingsPatchRequest.issues(body);
    if (schemaIssues.length > 0) return sendJson(res, 400, errorList("InvalidInput", "Request has missing or invalid parameters and cannot be parsed.", describeIssues(schemaIssues)));
    const listing = ctx.store.get(sku);
    if (!listing) return sendJson(res, 404, notFound(sku));

    const { productType, patches } = body as { productType: string; patches: PatchOperation[] };
    const evaluation = evaluatePatches(listing, productType, patches);
    const submissionId = randomUUID();
    const invalid = evaluation.issues.some((i) => i.severity === "ERROR");
    if (!invalid && mode === null) applyChanges(ctx.store, sku, evaluation.changes, "listings-patch", submissionId);
    const status = invalid ? "INVALID" : mode === null ? "ACCEPTED" : "VALID";
    sendJson(res, 200, { sku, status, submissionId, issues: evaluation.issues });
  };

  return { get, patch };
}

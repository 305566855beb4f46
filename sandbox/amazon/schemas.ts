// Amazon's own schemas, loaded from ../shared/fixtures/amazon_sp_api (not copied into the repo) and compiled
// once with ajv: the Listings Items and Orders v0 Swagger models (their `definitions`), the JSON_LISTINGS_FEED
// schemas (draft-07), and our transcription of the Feeds API 2021-06-30 definitions (feeds-model.ts).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { FEEDS_2021_06_30_DEFINITIONS } from "./feeds-model";

export const FIXTURES_DIR_ENV = "AMAZON_SP_API_FIXTURES";

/** Where Amazon's schemas live: $AMAZON_SP_API_FIXTURES, else ../shared/fixtures/amazon_sp_api beside the repo. */
export function fixturesDir(): string {
  const dir = path.resolve(process.env[FIXTURES_DIR_ENV] ?? path.resolve(process.cwd(), "../shared/fixtures/amazon_sp_api"));
  if (!existsSync(path.join(dir, "listingsItems_2021-08-01.model.json"))) {
    throw new Error(
      `Amazon SP-API schemas missing at ${dir}: clone the repo beside ../shared (it holds fixtures/amazon_sp_api), ` +
        `or set ${FIXTURES_DIR_ENV} to that folder.`,
    );
  }
  return dir;
}

export function readFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(path.join(fixturesDir(), name), "utf8")) as T;
}

export interface SchemaIssue { path: string; message: string }
export type Validator = ((value: unknown) => boolean) & { issues(value: unknown): SchemaIssue[] };

export interface AmazonValidators {
  listingsPatchRequest: Validator;
  listingsItem: Validator;
  listingsSubmissionResponse: Validator;
  listingsErrorList: Validator;
  /** The value of the fulfillment_availability attribute (see fulfillmentAvailabilityValueSchema). */
  fulfillmentAvailabilityValue: Validator;
  listingsFeed: Validator;
  listingsFeedMessage: Validator;
  processingReport: Validator;
  createFeedDocumentSpecification: Validator;
  createFeedDocumentResponse: Validator;
  createFeedSpecification: Validator;
  createFeedResponse: Validator;
  feed: Validator;
  feedDocument: Validator;
  feedsErrorList: Validator;
  getOrdersResponse: Validator;
  getOrderItemsResponse: Validator;
  confirmShipmentRequest: Validator;
}

/**
 * The attribute value for `fulfillment_availability` as the Listings Items API and JSON_LISTINGS_FEED take it
 * (the product type definition's shape, reduced to what a merchant-fulfilled quantity push sends; the
 * PATCH messages in listings_fulfillment_availability_patch.EXTRACTED.json are checked against it).
 */
export const fulfillmentAvailabilityValueSchema = {
  type: "array",
  minItems: 1,
  items: {
    type: "object",
    required: ["fulfillment_channel_code"],
    additionalProperties: false,
    properties: {
      fulfillment_channel_code: { type: "string", minLength: 1 },
      quantity: { type: "integer", minimum: 0 },
      lead_time_to_ship_max_days: { type: "integer", minimum: 0 },
      restock_date: { type: "string" },
      is_inventory_available: { type: "boolean" },
      marketplace_id: { type: "string" },
    },
  },
} as const;

let cached: AmazonValidators | undefined;

/** Compiled once per process (compiling the two Swagger models takes a few hundred ms). */
export function amazonValidators(): AmazonValidators {
  cached ??= compileValidators();
  return cached;
}

function compileValidators(): AmazonValidators {
  // strict: false because the Swagger 2 models carry vocabulary ajv's strict mode rejects (`example`,
  // `x-docgen-enum-table-extension`, the `double` format) and the draft-07 feed schemas have `oneOf` branches
  // with `properties` but no `type` (strictTypes). The extension keywords and format are also registered so
  // they are known rather than silently skipped.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("double", true);
  for (const keyword of ["example", "x-docgen-enum-table-extension"]) ajv.addKeyword({ keyword });

  const listings = readFixture<{ definitions: Record<string, unknown> }>("listingsItems_2021-08-01.model.json");
  const orders = readFixture<{ definitions: Record<string, unknown> }>("ordersV0.model.json");
  ajv.addSchema({ $id: "amazon:listingsItems_2021-08-01", definitions: listings.definitions });
  ajv.addSchema({ $id: "amazon:ordersV0", definitions: orders.definitions });
  ajv.addSchema({ $id: "amazon:feeds_2021-06-30", definitions: FEEDS_2021_06_30_DEFINITIONS });

  const strip = (schema: Record<string, unknown>) => {
    const { $schema: _ignored, ...rest } = schema; // draft-07 is ajv's default dialect
    return rest;
  };
  const ref = (id: string, name: string) => wrap(ajv.compile({ $ref: `${id}#/definitions/${name}` }));
  const file = (name: string) => wrap(ajv.compile(strip(readFixture<Record<string, unknown>>(name))));
  return {
    listingsPatchRequest: ref("amazon:listingsItems_2021-08-01", "ListingsItemPatchRequest"),
    listingsItem: ref("amazon:listingsItems_2021-08-01", "Item"),
    listingsSubmissionResponse: ref("amazon:listingsItems_2021-08-01", "ListingsItemSubmissionResponse"),
    listingsErrorList: ref("amazon:listingsItems_2021-08-01", "ErrorList"),
    fulfillmentAvailabilityValue: wrap(ajv.compile(fulfillmentAvailabilityValueSchema)),
    listingsFeed: file("listings-feed-schema-v2.json"),
    listingsFeedMessage: file("listings-feed-message-schema-v2.json"),
    processingReport: file("listings-feed-processing-report-schema-v2.json"),
    createFeedDocumentSpecification: ref("amazon:feeds_2021-06-30", "CreateFeedDocumentSpecification"),
    createFeedDocumentResponse: ref("amazon:feeds_2021-06-30", "CreateFeedDocumentResponse"),
    createFeedSpecification: ref("amazon:feeds_2021-06-30", "CreateFeedSpecification"),
    createFeedResponse: ref("amazon:feeds_2021-06-30", "CreateFeedResponse"),
    feed: ref("amazon:feeds_2021-06-30", "Feed"),
    feedDocument: ref("amazon:feeds_2021-06-30", "FeedDocument"),
    feedsErrorList: ref("amazon:feeds_2021-06-30", "ErrorList"),
    getOrdersResponse: ref("amazon:ordersV0", "GetOrdersResponse"),
    getOrderItemsResponse: ref("amazon:ordersV0", "GetOrderItemsResponse"),
    confirmShipmentRequest: ref("amazon:ordersV0", "ConfirmShipmentRequest"),
  };
}

function wrap(validate: ValidateFunction): Validator {
  const check = (value: unknown) => validate(value) === true;
  return Object.assign(check, {
    issues(value: unknown): SchemaIssue[] {
      return validate(value) ? [] : (validate.errors ?? []).map(toIssue);
    },
  });
}

function toIssue(error: ErrorObject): SchemaIssue {
  const extra = error.keyword === "additionalProperties" ? ` '${String((error.params as { additionalProperty?: string }).additionalProperty)}'` : "";
  return { path: error.instancePath || "/", message: `${error.message ?? error.keyword}${extra}` };
}

/** One line per issue, for ErrorList `details` and report messages. */
export function describeIssues(issues: SchemaIssue[], max = 5): string {
  const shown = issues.slice(0, max).map((i) => `${i.path} ${i.message}`);
  return issues.length > max ? `${shown.join("; ")}; … ${issues.length - max} more` : shown.join("; ");
}

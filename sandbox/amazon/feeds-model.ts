// The `definitions` of Amazon's Feeds API 2021-06-30 Swagger model, transcribed (descriptions and docgen
// tables dropped, everything that validates kept) from amzn/selling-partner-api-models
// models/feeds-api-model/feeds_2021-06-30.json at commit 061b6a12057b7279d6862b0f37d02a7f1d40c867
// (Apache-2.0). ../shared/fixtures/amazon_sp_api does not hold this model; if it is added there, load it
// instead (schemas.ts).

export const FEEDS_2021_06_30_DEFINITIONS = {
  Error: {
    type: "object",
    required: ["code", "message"],
    properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "string" } },
  },
  ErrorList: {
    type: "object",
    required: ["errors"],
    properties: { errors: { type: "array", items: { $ref: "#/definitions/Error" } } },
  },
  CreateFeedResponse: {
    type: "object",
    required: ["feedId"],
    properties: { feedId: { type: "string" } },
  },
  Feed: {
    type: "object",
    required: ["createdTime", "feedId", "feedType", "processingStatus"],
    properties: {
      feedId: { type: "string" },
      feedType: { type: "string" },
      marketplaceIds: { type: "array", items: { type: "string" } },
      createdTime: { type: "string", format: "date-time" },
      processingStatus: { type: "string", enum: ["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"] },
      processingStartTime: { type: "string", format: "date-time" },
      processingEndTime: { type: "string", format: "date-time" },
      resultFeedDocumentId: { type: "string" },
    },
  },
  FeedList: { type: "array", items: { $ref: "#/definitions/Feed" } },
  GetFeedsResponse: {
    type: "object",
    required: ["feeds"],
    properties: { feeds: { $ref: "#/definitions/FeedList" }, nextToken: { type: "string" } },
  },
  FeedDocument: {
    type: "object",
    required: ["feedDocumentId", "url"],
    properties: {
      feedDocumentId: { type: "string" },
      url: { type: "string" },
      compressionAlgorithm: { type: "string", enum: ["GZIP"] },
    },
  },
  FeedOptions: { type: "object", additionalProperties: { type: "string" } },
  CreateFeedSpecification: {
    type: "object",
    required: ["inputFeedDocumentId", "feedType", "marketplaceIds"],
    properties: {
      feedType: { type: "string" },
      marketplaceIds: { type: "array", minItems: 1, maxItems: 25, items: { type: "string" } },
      inputFeedDocumentId: { type: "string" },
      feedOptions: { $ref: "#/definitions/FeedOptions" },
    },
  },
  CreateFeedDocumentSpecification: {
    type: "object",
    required: ["contentType"],
    properties: { contentType: { type: "string" } },
  },
  CreateFeedDocumentResponse: {
    type: "object",
    required: ["feedDocumentId", "url"],
    properties: { feedDocumentId: { type: "string" }, url: { type: "string" } },
  },
} as const;

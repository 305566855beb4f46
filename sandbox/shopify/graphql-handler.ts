// POST /admin/api/:version/graphql.json — Shopify's Admin GraphQL endpoint over the store:
// access-token auth, graphql-js validation, 250-item input limit, calculated cost with a leaky
// bucket per shop (THROTTLED when drained), then execution with userErrors for business problems.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  execute, getOperationAST, getVariableValues, GraphQLError, Kind, parse, validate,
  type DocumentNode, type FragmentDefinitionNode,
} from "graphql";
import { readBody, sendJson, shopFromRequest } from "./http-util";
import { inputSizeErrors } from "./input-limits";
import { mutationRoot } from "./mutation-root";
import { queryCost } from "./query-cost";
import { queryRoot } from "./query-root";
import { sandboxSchema } from "./schema";
import type { SandboxStore } from "./store";
import { CostBucket } from "./throttle";
import type { SandboxContext } from "./views";

export const SINGLE_QUERY_MAX_COST = 1000;
const RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits";
const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";

export interface GraphqlHandlerOptions {
  store: SandboxStore;
  throttle?: { maximumAvailable: number; restoreRate: number };
}

export type GraphqlHandler = ((req: IncomingMessage, res: ServerResponse, apiVersion: string) => Promise<void>) & {
  /** The cost bucket of a shop (created on first use), for tests and the control API. */
  bucket(shop: string): CostBucket;
};

export function createGraphqlHandler(opts: GraphqlHandlerOptions): GraphqlHandler {
  const schema = sandboxSchema();
  const buckets = new Map<string, CostBucket>();
  const rootValue = { ...queryRoot, ...mutationRoot };
  const limits = opts.throttle ?? { maximumAvailable: 2000, restoreRate: 100 };
  const bucket = (shop: string) => {
    let b = buckets.get(shop);
    if (!b) buckets.set(shop, (b = new CostBucket(limits.maximumAvailable, limits.restoreRate, () => opts.store.now().getTime())));
    return b;
  };

  const handler = async (req: IncomingMessage, res: ServerResponse, apiVersion: string) => {
    const headers = { "X-Shopify-API-Version": apiVersion };
    const domain = shopFromRequest(req);
    const shop = domain ? opts.store.findShop(domain) : undefined;
    if (!shop) return sendJson(res, 404, { errors: "Not Found" }, headers);
    if (!opts.store.validToken(shop.domain, header(req, "x-shopify-access-token"))) {
      return sendJson(res, 401, { errors: INVALID_TOKEN }, headers);
    }
    if (req.method !== "POST") return sendJson(res, 405, { errors: "Method Not Allowed" }, headers);

    const request = parseRequest(req, await readBody(req));
    if (!request) return sendJson(res, 400, { errors: { query: "Required parameter missing or invalid" } }, headers);
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      return sendJson(res, 200, { errors: [(error as GraphQLError).toJSON()] }, headers);
    }
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) return sendJson(res, 200, { errors: validationErrors.map((e) => e.toJSON()) }, headers);
    const operation = getOperationAST(document, request.operationName);
    if (!operation) return sendJson(res, 200, { errors: [{ message: "An operation name is required" }] }, headers);
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables);
    if (coerced.errors) return sendJson(res, 200, { errors: coerced.errors.map((e) => e.toJSON()) }, headers);
    const sizeErrors = inputSizeErrors(document, request.variables);
    if (sizeErrors.length > 0) return sendJson(res, 200, { errors: sizeErrors.map((e) => e.toJSON()) }, headers);

    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
    const requested = queryCost(schema, operation, fragments, coerced.coerced);
    const shopBucket = bucket(shop.domain);
    if (requested > SINGLE_QUERY_MAX_COST) {
      return sendJson(res, 200, {
        errors: [{
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: SINGLE_QUERY_MAX_COST, documentation: RATE_LIMIT_DOCS },
        }],
      }, headers);
    }
    if (!shopBucket.take(requested)) {
      return sendJson(res, 200, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMIT_DOCS } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shopBucket.status() } },
      }, headers);
    }

    const context: SandboxContext = { store: opts.store, shop, apiVersion, searchWarnings: [] };
    const result = await execute({
      schema, document, rootValue, contextValue: context, variableValues: request.variables, operationName: request.operationName,
    });
    const actual = queryCost(schema, operation, fragments, coerced.coerced, (result.data ?? null) as Record<string, unknown> | null);
    shopBucket.refund(requested - actual);
    const extensions: Record<string, unknown> = {
      cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: shopBucket.status() },
    };
    if (context.searchWarnings.length > 0) extensions.search = context.searchWarnings;
    const body: Record<string, unknown> = {};
    if (result.errors) body.errors = result.errors.map((e) => e.toJSON());
    body.data = result.data ?? null;
    body.extensions = extensions;
    return sendJson(res, 200, body, headers);
  };
  return Object.assign(handler, { bucket });
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}

/** JSON {query, variables, operationName} or a raw application/graphql body. */
function parseRequest(req: IncomingMessage, body: string): { query: string; variables: Record<string, unknown>; operationName?: string } | null {
  if (String(req.headers["content-type"] ?? "").includes("application/graphql")) return body.trim() ? { query: body, variables: {} } : null;
  try {
    const parsed = JSON.parse(body) as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (typeof parsed.query !== "string" || !parsed.query.trim()) return null;
    const variables = parsed.variables && typeof parsed.variables === "object" ? (parsed.variables as Record<string, unknown>) : {};
    const operationName = typeof parsed.operationName === "string" ? parsed.operationName : undefined;
    return { query: parsed.query, variables, operationName };
  } catch {
    return null;
  }
}

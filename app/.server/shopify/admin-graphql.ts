import { unauthenticated } from "~/shopify.server";
import { TerminalJobError } from "../queues/queue-port";

// Admin GraphQL for background work (no request in hand): the shop's offline session, typed results,
// HTTP 429/503 retried by the library (a GraphQL THROTTLED answer is an HTTP 200 it does not retry: a walk
// waits it out, pagesOf), missing sessions and auth failures classified as terminal.

const TERMINAL_STATUS = new Set([401, 402, 403, 404, 423]);

export async function adminGraphql<T>(shopDomain: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  return (await adminGraphqlWithCost<T>(shopDomain, query, variables)).data;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * The same call, also returning what it cost and the shop's bucket after it (the `cost` extension), so a job
 * that sends many can pace itself within the shop's budget instead of running into THROTTLED.
 */
export async function adminGraphqlWithCost<T>(shopDomain: string, query: string, variables?: Record<string, unknown>): Promise<{ data: T; cost?: { requested: number; actual?: number; throttleStatus: ThrottleStatus } }> {
  let admin;
  try {
    ({ admin } = await unauthenticated.admin(shopDomain));
  } catch (error) {
    throw new TerminalJobError(`No usable offline session for ${shopDomain}: ${(error as Error).message}`);
  }
  try {
    const response = await admin.graphql(query, { variables, tries: 3 });
    const body = (await response.json()) as { data?: T; errors?: unknown; extensions?: { cost?: { requestedQueryCost: number; actualQueryCost?: number; throttleStatus: ThrottleStatus } } };
    if (!body.data) throw new Error(`Admin GraphQL returned no data: ${JSON.stringify(body.errors)}`);
    const cost = body.extensions?.cost;
    return { data: body.data, cost: cost ? { requested: cost.requestedQueryCost, actual: cost.actualQueryCost, throttleStatus: cost.throttleStatus } : undefined };
  } catch (error) {
    const status = (error as { response?: { code?: number } }).response?.code;
    if (status && TERMINAL_STATUS.has(status)) throw new TerminalJobError(`Shopify answered ${status} for ${shopDomain}`);
    throw error;
  }
}

type ConnectionPage<TNode> = { nodes: TNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** Walks a connection page by page (250 a page, Shopify's maximum). */
export async function* paginate<TNode, TResult>(
  shopDomain: string,
  query: string,
  select: (result: TResult) => ConnectionPage<TNode>,
): AsyncGenerator<TNode[]> {
  for await (const page of pagesOf<TNode, TResult>(shopDomain, query, select)) yield page.nodes;
}

/**
 * The same walk with the query's other variables (`first` and `after` are added), and with each page the
 * time just before it was requested (`readAt`): what Shopify answered reflects its state at or after then.
 * A long walk drains the shop's cost bucket (a page of 250 can cost hundreds of points, refilled at 100 a
 * second or so): a page Shopify refuses as THROTTLED is asked for again once the bucket has refilled enough,
 * so the walk goes on where it was instead of failing and starting over.
 */
export async function* pagesOf<TNode, TResult>(
  shopDomain: string,
  query: string,
  select: (result: TResult) => ConnectionPage<TNode>,
  variables: Record<string, unknown> = {},
): AsyncGenerator<{ nodes: TNode[]; readAt: Date }> {
  let after: string | null = null;
  do {
    let readAt: Date;
    let result: TResult;
    for (let refusals = 0; ; refusals += 1) {
      readAt = new Date();
      try {
        result = await adminGraphql<TResult>(shopDomain, query, { ...variables, first: 250, after });
        break;
      } catch (error) {
        const waitMs = throttledWaitMs(error);
        if (waitMs === undefined || refusals >= MAX_THROTTLED_WAITS) throw error;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
    const page = select(result);
    yield { nodes: page.nodes, readAt };
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
}

const MAX_THROTTLED_WAITS = 10;

/**
 * When Shopify refused the query as THROTTLED: how long until its bucket holds the query's requested cost
 * (from the answer's throttle status; 0.25–60 s). Undefined for any other failure.
 */
export function throttledWaitMs(error: unknown): number | undefined {
  const body = (error as { body?: ThrottledBody } | null)?.body;
  if (!body?.errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED")) return undefined;
  const cost = body.extensions?.cost;
  const status = cost?.throttleStatus;
  if (!cost?.requestedQueryCost || !status?.restoreRate) return 1_000;
  const missing = cost.requestedQueryCost - (status.currentlyAvailable ?? 0);
  return Math.min(60_000, Math.max(250, Math.ceil((missing / status.restoreRate) * 1_000)));
}

interface ThrottledBody {
  errors?: { graphQLErrors?: { extensions?: { code?: string } }[] };
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable?: number; restoreRate?: number } } };
}

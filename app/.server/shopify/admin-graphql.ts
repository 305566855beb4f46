import { unauthenticated } from "~/shopify.server";
import { TerminalJobError } from "../queues/queue-port";

// Admin GraphQL for background work (no request in hand): the shop's offline session, typed results,
// throttling retried by the library, missing sessions and auth failures classified as terminal.

const TERMINAL_STATUS = new Set([401, 402, 403, 404, 423]);

export async function adminGraphql<T>(shopDomain: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  let admin;
  try {
    ({ admin } = await unauthenticated.admin(shopDomain));
  } catch (error) {
    throw new TerminalJobError(`No usable offline session for ${shopDomain}: ${(error as Error).message}`);
  }
  try {
    const response = await admin.graphql(query, { variables, tries: 3 });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (!body.data) throw new Error(`Admin GraphQL returned no data: ${JSON.stringify(body.errors)}`);
    return body.data;
  } catch (error) {
    const status = (error as { response?: { code?: number } }).response?.code;
    if (status && TERMINAL_STATUS.has(status)) throw new TerminalJobError(`Shopify answered ${status} for ${shopDomain}`);
    throw error;
  }
}

/** Walks a connection page by page (250 a page, Shopify's maximum). */
export async function* paginate<TNode, TResult>(
  shopDomain: string,
  query: string,
  select: (result: TResult) => { nodes: TNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } },
): AsyncGenerator<TNode[]> {
  let after: string | null = null;
  do {
    const page = select(await adminGraphql<TResult>(shopDomain, query, { first: 250, after }));
    yield page.nodes;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
}

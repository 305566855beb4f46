// Relay-style connections as Shopify serves them: first/after or last/before (one of first/last
// required), opaque base64 cursors, nodes + edges + pageInfo.
import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Connection<T> {
  nodes: T[];
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const MAX_PAGE_SIZE = 250;

/** Cursor text: base64 of {"last_id":<id>,"last_value":"<sort value>"}, like Shopify's. */
export function encodeCursor(id: bigint, value: string): string {
  return Buffer.from(`{"last_id":${id},"last_value":${JSON.stringify(value)}}`).toString("base64");
}

export function decodeCursor(cursor: string): bigint | null {
  const text = Buffer.from(cursor, "base64").toString("utf8");
  const match = /^\{"last_id":(\d+),"last_value":/.exec(text);
  return match ? BigInt(match[1]) : null;
}

/**
 * Pages over items already in sort order. `key` gives each item's id and sort value (for the cursor);
 * `view` maps the items that make the page to what GraphQL returns.
 */
export function paginate<T, V>(
  items: readonly T[], args: ConnectionArgs, key: (item: T) => { id: bigint; value: string }, view: (item: T) => V,
): Connection<V> {
  const { first, last, after, before } = args;
  if (first == null && last == null) throw new GraphQLError("you must provide one of first or last");
  for (const [name, n] of [["first", first], ["last", last]] as const) {
    if (n != null && (n < 0 || n > MAX_PAGE_SIZE)) {
      throw new GraphQLError(`The '${name}' argument must be between 0 and ${MAX_PAGE_SIZE}.`);
    }
  }
  const ordered = args.reverse ? [...items].reverse() : items;
  let start = 0;
  let end = ordered.length;
  if (after) start = positionOf(ordered, after, key) + 1;
  if (before) end = positionOf(ordered, before, key);
  if (first != null) end = Math.min(end, start + first);
  if (last != null) start = Math.max(start, end - last);
  const slice = ordered.slice(start, Math.max(start, end));
  const edges = slice.map((item) => {
    const k = key(item);
    return { cursor: encodeCursor(k.id, k.value), node: view(item) };
  });
  return {
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage: end < ordered.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

function positionOf<T>(items: readonly T[], cursor: string, key: (item: T) => { id: bigint }): number {
  const id = decodeCursor(cursor);
  const index = id === null ? -1 : items.findIndex((item) => key(item).id === id);
  if (index < 0) throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
  return index;
}

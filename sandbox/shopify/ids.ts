// Shopify-looking ids: 64-bit numbers above 2^53 (so a careless JSON.parse would round them)
// and their `gid://shopify/<Type>/<id>` forms. Ids stay BigInt inside the sandbox.

/** Every sandbox id is above this (5e18 > 2^53, < 2^63). */
export const ID_BASE = 5_000_000_000_000_000_000n;

export function gid(type: string, id: bigint | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Parses `gid://shopify/Type/123` (or a bare number) into its type and BigInt id; null when malformed. */
export function parseGid(value: string): { type: string; id: bigint } | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  if (match) return { type: match[1], id: BigInt(match[2]) };
  if (/^\d+$/.test(value)) return { type: "", id: BigInt(value) };
  return null;
}

/** The numeric id of a gid when it has the expected type, else null. */
export function idOf(value: string, type: string): bigint | null {
  const parsed = parseGid(value);
  if (!parsed || (parsed.type !== "" && parsed.type !== type)) return null;
  return parsed.id;
}

/** A deterministic id for seed data: kind selects a block of a billion ids, n picks within it. */
export function seedId(kind: number, n: number): bigint {
  return ID_BASE + BigInt(kind) * 1_000_000_000n + BigInt(n);
}

/** Monotonic id source for objects created at run time (orders, line items, fulfillment orders...). */
export function idCounter(start: bigint = ID_BASE + 900_000_000_000n): () => bigint {
  let next = start;
  return () => {
    next += 1n;
    return next;
  };
}

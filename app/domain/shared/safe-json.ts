// JSON.parse rounds integers above 2^53 (Shopify ids are 64-bit). This parser keeps every integer
// literal of 16+ digits as its exact decimal string; everything else parses as usual. Only whole integer
// literals: 16+ digits inside a fraction or an exponent are left alone (quoting them broke valid JSON).

const TOKEN = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

export function parseJsonKeepingBigInts<T = unknown>(raw: string): T {
  const quoted = raw.replace(TOKEN, (token) => (token.startsWith('"') ? token : `"${token}"`));
  return JSON.parse(quoted) as T;
}

/** "gid://shopify/Order/820982911946154508" → "820982911946154508"; plain ids pass through as strings. */
export function legacyIdFromGid(id: string | number | null | undefined): string | null {
  if (id === null || id === undefined || id === "") return null;
  const text = String(id);
  const slash = text.lastIndexOf("/");
  return slash >= 0 ? text.slice(slash + 1) : text;
}

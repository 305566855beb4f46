// Shopify search syntax, the part the sandbox needs: `updated_at:>2026-01-01T00:00:00Z`,
// `created_at:>=...`, `status:open`, `name:#1001`, `id:>123`, joined by spaces or AND.
// Unknown fields are ignored and reported back as search warnings, as Shopify does.

export interface SearchTerm { field: string; op: ">" | ">=" | "<" | "<=" | "="; value: string }
export interface SearchWarning { field: string; message: string }
export interface ParsedSearch { terms: SearchTerm[]; warnings: SearchWarning[] }

const TERM = /^(-?)([a-z_]+):(>=|<=|>|<)?(.+)$/;

export function parseSearch(query: string | null | undefined, supported: readonly string[]): ParsedSearch {
  const terms: SearchTerm[] = [];
  const warnings: SearchWarning[] = [];
  for (const token of tokenize(query ?? "")) {
    if (token === "AND") continue;
    const match = TERM.exec(token);
    if (!match) {
      warnings.push({ field: "default", message: `Free text search is not supported by the sandbox: ${token}` });
      continue;
    }
    const [, negate, field, op, raw] = match;
    if (!supported.includes(field) || negate) {
      warnings.push({ field, message: "Invalid search field for this query." });
      continue;
    }
    terms.push({ field, op: (op as SearchTerm["op"]) ?? "=", value: raw.replace(/^['"]|['"]$/g, "") });
  }
  return { terms, warnings };
}

/** Splits on whitespace outside quotes. */
function tokenize(query: string): string[] {
  return query.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [];
}

/** Compares a value with the term's operator (ids as BigInt, dates as epoch ms, or plain strings). */
export function compare(actual: number | bigint | string, term: SearchTerm): boolean {
  let expected: number | bigint | string;
  if (typeof actual === "bigint") expected = /^\d+$/.test(term.value) ? BigInt(term.value) : -1n;
  else expected = typeof actual === "number" ? toNumber(term.value) : term.value.toLowerCase();
  const left = typeof actual === "string" ? actual.toLowerCase() : actual;
  switch (term.op) {
    case ">": return left > expected;
    case ">=": return left >= expected;
    case "<": return left < expected;
    case "<=": return left <= expected;
    default: return left === expected;
  }
}

/** Dates become epoch ms (a bare date means midnight UTC); anything else is parsed as a number. */
function toNumber(value: string): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number(value);
}

import type { DialectName } from "./types";

// What differs between the two dialects, in one place. Statements are written once in the portable subset;
// where a construct has no common spelling, a statement is built per dialect with `perDialect`.

export interface DialectFragments {
  readonly name: DialectName;
  /** Appended to a SELECT that reads rows the transaction will change: a row lock on PostgreSQL. SQLite's
   * writer holds the database's write lock for the whole transaction already. */
  readonly forUpdate: string;
}

export const DIALECTS: Record<DialectName, DialectFragments> = {
  sqlite: { name: "sqlite", forUpdate: "" },
  postgres: { name: "postgres", forUpdate: " FOR UPDATE" },
};

/** A statement whose text differs by dialect, built once for each: `tx.run(S[tx.dialect], …)`. */
export function perDialect(build: (d: DialectFragments) => string): Record<DialectName, string> {
  return { sqlite: build(DIALECTS.sqlite), postgres: build(DIALECTS.postgres) };
}

/** `?` marks, comma-separated: the IN list of `n` values. */
export function marks(n: number): string {
  return n === 1 ? "?" : "?,".repeat(n - 1) + "?";
}

export interface PostgresText {
  text: string;
  /** Positional `?` count; named values follow them as $n+1… in this order. */
  positional: number;
  names: string[];
}

/**
 * The portable text → PostgreSQL's: `?` → `$1…`, `@name` → one `$k` per distinct name (bound once however
 * often it appears). Quoted strings, quoted identifiers and comments are left alone.
 */
export function toPostgresText(text: string): PostgresText {
  const pieces: (string | { name: string })[] = [];
  let chunk = "";
  let positional = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = closingQuote(text, i, c);
      chunk += text.slice(i, end + 1);
      i = end;
    } else if (c === "-" && text[i + 1] === "-") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      chunk += text.slice(i, stop);
      i = stop - 1;
    } else if (c === "?") {
      chunk += `$${++positional}`;
    } else if (c === "@" && /[A-Za-z_]/.test(text[i + 1] ?? "")) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j])) j++;
      pieces.push(chunk, { name: text.slice(i + 1, j) }); // numbered below, once the positional count is known
      chunk = "";
      i = j - 1;
    } else {
      chunk += c;
    }
  }
  pieces.push(chunk);
  const names: string[] = [];
  for (const p of pieces) if (typeof p !== "string" && !names.includes(p.name)) names.push(p.name);
  const final = pieces.map((p) => (typeof p === "string" ? p : `$${positional + names.indexOf(p.name) + 1}`)).join("");
  return { text: final, positional, names };
}

function closingQuote(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] !== quote) continue;
    if (text[i + 1] === quote) {
      i++; // doubled quote: an escaped one
      continue;
    }
    return i;
  }
  throw new Error(`Unterminated ${quote === "'" ? "string" : "identifier"} in SQL: ${text.slice(start, start + 60)}`);
}

/** True for the one object of named values a parameter list may start with. */
export function isNamedValues(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value) && !(value instanceof Uint8Array);
}

/** Time as stored in both dialects' text form: UTC ISO 8601 with milliseconds ("2026-12-03T18:00:00.000Z"). */
export function isoTime(date: Date): string {
  return date.toISOString();
}

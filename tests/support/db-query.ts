import { sql, stmt } from "~/.server/db/sql";

// Reads for test assertions, in plain SQL (quoted identifiers, `?` placeholders, portable SQL only).
// Async on purpose: the data-access layer is becoming asynchronous (SQLite and PostgreSQL), and tests
// written against these two functions will not need to change when it does.

export async function queryRows<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]> {
  return stmt(sql(), text).all(...params) as T[];
}

export async function queryRow<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T | undefined> {
  return stmt(sql(), text).get(...params) as T | undefined;
}

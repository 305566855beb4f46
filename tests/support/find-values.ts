import { expect } from "vitest";
import { database } from "~/.server/db/database";
import { queryRows } from "./db-query";

// Where values are stored: every column of every table (SQLite: sqlite_master + pragma table_info;
// PostgreSQL: information_schema of the current schema), searched as text, case-insensitively. For privacy
// tests: after a redaction none of a person's values may be found.

export interface Found {
  table: string;
  column: string;
  value: string;
  rows: number;
}

export async function findStoredValues(values: string[]): Promise<Found[]> {
  const postgres = database().dialect === "postgres";
  const tables = postgres
    ? await queryRows<{ name: string }>(`SELECT "table_name" AS "name" FROM information_schema.tables WHERE "table_schema" = current_schema() AND "table_type" = 'BASE TABLE' ORDER BY "table_name"`)
    : await queryRows<{ name: string }>(`SELECT "name" FROM sqlite_master WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite_%' ORDER BY "name"`);
  expect(tables.length, "tables to search").toBeGreaterThan(10);
  const found: Found[] = [];
  for (const { name: table } of tables) {
    const columns = postgres
      ? await queryRows<{ name: string }>(`SELECT "column_name" AS "name" FROM information_schema.columns WHERE "table_schema" = current_schema() AND "table_name" = ? ORDER BY "ordinal_position"`, table)
      : await queryRows<{ name: string }>(`SELECT "name" FROM pragma_table_info(?)`, table);
    for (const { name: column } of columns) {
      for (const value of values) {
        const [{ n }] = await queryRows<{ n: number | string }>(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE LOWER(CAST("${column}" AS TEXT)) LIKE ?`, `%${value.toLowerCase()}%`);
        if (Number(n) > 0) found.push({ table, column, value, rows: Number(n) });
      }
    }
  }
  return found;
}

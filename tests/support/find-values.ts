import { queryRows } from "./db-query";

// Where values are stored: every column of every table (sqlite_master + pragma table_info), searched as
// text, case-insensitively. For privacy tests: after a redaction none of a person's values may be found.

export interface Found {
  table: string;
  column: string;
  value: string;
  rows: number;
}

export async function findStoredValues(values: string[]): Promise<Found[]> {
  const tables = await queryRows<{ name: string }>(`SELECT "name" FROM sqlite_master WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite_%' ORDER BY "name"`);
  const found: Found[] = [];
  for (const { name: table } of tables) {
    const columns = await queryRows<{ name: string }>(`SELECT "name" FROM pragma_table_info(?)`, table);
    for (const { name: column } of columns) {
      for (const value of values) {
        const [{ n }] = await queryRows<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE LOWER(CAST("${column}" AS TEXT)) LIKE ?`, `%${value.toLowerCase()}%`);
        if (n > 0) found.push({ table, column, value, rows: n });
      }
    }
  }
  return found;
}

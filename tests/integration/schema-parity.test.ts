import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { migrate, readMigrations, type Migration } from "~/.server/db/engine/migrate";
import { openDatabase } from "~/.server/db/engine/open-database";
import type { Queryable } from "~/.server/db/engine/types";
import { createDatabase, dropDatabase, testPgAdminUrl } from "../support/test-database";

// db/migrations/sqlite and db/migrations/postgres must build the same database: the same tables; columns
// with the same name, nullability, type family (text, integer, real, boolean, timestamp) and default; the
// same primary keys, foreign keys, and unique and plain indexes (columns in order, partial WHERE).
//
// The SQLite side is always a live database migrated by our migrator. The PostgreSQL side is live too when
// the run has a server (`npm run test:pg`: the run's database, migrated from the template); on the SQLite run
// (only Node installed) it is read from the PostgreSQL migration files by a small DDL reader below, which the
// PostgreSQL run checks against the live catalog, so both runs mean the same.
//
// SQLite has no time type: times are ISO-8601 TEXT there and TIMESTAMPTZ on PostgreSQL. A SQLite TEXT
// column counts as a time when it is named like one (…At, …After, expires, …Expires), so a time column must be a
// timestamp on PostgreSQL and any other TEXT column must be text.

type Family = "text" | "integer" | "real" | "boolean" | "timestamp";

interface Column {
  notNull: boolean;
  family: Family;
  /** null (none), "now", "identity", or the literal as text. */
  default: string | null;
}

interface Index {
  unique: boolean;
  columns: string[];
  where: string | null;
}

interface Table {
  columns: Record<string, Column>;
  primaryKey: string[];
  /** "column → Table.column on delete ACTION" */
  foreignKeys: string[];
  indexes: Record<string, Index>;
}

type Schema = Record<string, Table>;

const LEDGER_TABLE = "_migrations";
const TIME_NAME = /(At|After|Expires)$|^expires$/;

// ---------------------------------------------------------------------------------------------------------
// Normalizing what each side reports.

function sqliteFamily(declared: string, column: string): Family {
  const t = declared.toUpperCase();
  if (t.includes("BOOL")) return "boolean";
  if (t.includes("TIMESTAMP") || t.includes("DATETIME")) return "timestamp";
  if (t.includes("INT")) return "integer"; // SQLite's affinity rules, in their order
  if (t.includes("CHAR") || t.includes("CLOB") || t.includes("TEXT")) return TIME_NAME.test(column) ? "timestamp" : "text";
  if (t.includes("REAL") || t.includes("FLOA") || t.includes("DOUB")) return "real";
  throw new Error(`SQLite column ${column}: no family for declared type ${declared}`);
}

function pgFamily(type: string, column: string): Family {
  const t = type.toLowerCase().replace(/\(.*\)/, "").trim();
  if (t === "boolean" || t === "bool") return "boolean";
  if (/^timestamp/.test(t) || t === "timestamptz") return "timestamp";
  if (["integer", "int", "int4", "bigint", "int8", "smallint", "int2", "bigserial", "serial"].includes(t)) return "integer";
  if (["double precision", "real", "float8", "float4", "numeric"].includes(t)) return "real";
  if (t === "text" || /^(character varying|varchar|character|char)$/.test(t)) return "text";
  throw new Error(`PostgreSQL column ${column}: no family for type ${type}`);
}

function normalizeDefault(raw: string | null, family: Family): string | null {
  if (raw === null || raw === undefined) return null;
  let v = raw.trim();
  while (v.startsWith("(") && v.endsWith(")")) v = v.slice(1, -1).trim();
  v = v.replace(/::[a-z ]+(\([0-9]+\))?$/i, ""); // PostgreSQL's cast of a literal: 'USD'::text
  if (/^now\(\)$|^current_timestamp$|^strftime\(.*'now'\)$/i.test(v)) return "now";
  if (family === "boolean") {
    if (/^(true|1)$/i.test(v)) return "true";
    if (/^(false|0)$/i.test(v)) return "false";
  }
  return v;
}

function normalizeWhere(raw: string | null): string | null {
  if (!raw) return null;
  return raw.replace(/::[a-z ]+/gi, "").replace(/["()\s]/g, "").toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// Live SQLite, through the port (PRAGMA table-valued functions).

async function sqliteSchema(q: Queryable): Promise<Schema> {
  const tables = await q.all<{ name: string }>(`SELECT "name" FROM "sqlite_master" WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite_%' AND "name" != ? ORDER BY "name"`, LEDGER_TABLE);
  const schema: Schema = {};
  for (const { name } of tables) {
    const cols = await q.all<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(`SELECT "name","type","notnull","dflt_value","pk" FROM pragma_table_info(?)`, name);
    const pkCols = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const rowidAlias = pkCols.length === 1 && pkCols[0].type.toUpperCase() === "INTEGER"; // SQLite numbers it: an identity
    const columns: Record<string, Column> = {};
    for (const c of cols) {
      const family = sqliteFamily(c.type, c.name);
      columns[c.name] = { notNull: c.notnull === 1 || (rowidAlias && c.pk === 1), family, default: rowidAlias && c.pk === 1 ? "identity" : normalizeDefault(c.dflt_value, family) };
    }
    const fks = await q.all<{ from: string; table: string; to: string; on_delete: string }>(`SELECT "from","table","to","on_delete" FROM pragma_foreign_key_list(?)`, name);
    const indexes: Record<string, Index> = {};
    const list = await q.all<{ name: string; unique: number; origin: string; partial: number }>(`SELECT "name","unique","origin","partial" FROM pragma_index_list(?)`, name);
    for (const i of list) {
      if (i.origin === "pk") continue; // the primary key, compared as such
      const info = await q.all<{ seqno: number; name: string }>(`SELECT "seqno","name" FROM pragma_index_info(?) ORDER BY "seqno"`, i.name);
      const ddl = (await q.get<{ sql: string | null }>(`SELECT "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "name" = ?`, i.name))?.sql ?? null;
      const where = i.partial && ddl ? ddl.slice(ddl.search(/\sWHERE\s/i) + 1).replace(/^WHERE\s+/i, "") : null;
      indexes[i.origin === "u" ? `unique constraint (${info.map((c) => c.name).join(",")})` : i.name] = { unique: i.unique === 1, columns: info.map((c) => c.name), where: normalizeWhere(where) };
    }
    schema[name] = {
      columns,
      primaryKey: pkCols.map((c) => c.name),
      foreignKeys: fks.map((f) => `${f.from} → ${f.table}.${f.to} on delete ${f.on_delete.toUpperCase()}`).sort(),
      indexes,
    };
  }
  return schema;
}

async function migratedSqliteSchema(migrations = readMigrations("sqlite")): Promise<Schema> {
  const db = openDatabase("file::memory:");
  try {
    await migrate(db, migrations);
    return await sqliteSchema(db);
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Live PostgreSQL, from its catalog.

const PG_ON_DELETE: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

async function postgresSchema(q: Queryable): Promise<Schema> {
  const cols = await q.all<{ table: string; column: string; nullable: string; type: string; dflt: string | null; identity: string }>(
    `SELECT "table_name" AS "table", "column_name" AS "column", "is_nullable" AS "nullable", "data_type" AS "type", "column_default" AS "dflt", "is_identity" AS "identity"
     FROM information_schema.columns WHERE "table_schema" = current_schema() AND "table_name" != ? ORDER BY "table_name", "ordinal_position"`,
    LEDGER_TABLE,
  );
  const schema: Schema = {};
  for (const c of cols) {
    const table = (schema[c.table] ??= { columns: {}, primaryKey: [], foreignKeys: [], indexes: {} });
    const family = pgFamily(c.type, c.column);
    table.columns[c.column] = { notNull: c.nullable === "NO", family, default: c.identity === "YES" ? "identity" : normalizeDefault(c.dflt, family) };
  }
  const indexes = await q.all<{ table: string; name: string; unique: boolean; primary: boolean; columns: string; where: string | null }>(
    `SELECT t."relname" AS "table", i."relname" AS "name", x."indisunique" AS "unique", x."indisprimary" AS "primary",
       (SELECT string_agg(a."attname", ',' ORDER BY k."n") FROM unnest(x."indkey") WITH ORDINALITY AS k("attnum", "n")
         JOIN pg_attribute a ON a."attrelid" = t."oid" AND a."attnum" = k."attnum") AS "columns",
       pg_get_expr(x."indpred", x."indrelid") AS "where"
     FROM pg_index x JOIN pg_class i ON i."oid" = x."indexrelid" JOIN pg_class t ON t."oid" = x."indrelid"
     JOIN pg_namespace s ON s."oid" = t."relnamespace"
     WHERE s."nspname" = current_schema() AND t."relname" != ?`,
    LEDGER_TABLE,
  );
  const constraintIndexes = new Set(
    (await q.all<{ name: string }>(`SELECT c."conname" AS "name" FROM pg_constraint c JOIN pg_namespace s ON s."oid" = c."connamespace" WHERE s."nspname" = current_schema() AND c."contype" = 'u'`)).map((r) => r.name),
  );
  for (const i of indexes) {
    const table = schema[i.table];
    if (!table) continue;
    const columns = i.columns.split(",");
    if (i.primary) table.primaryKey = columns;
    else table.indexes[constraintIndexes.has(i.name) ? `unique constraint (${columns.join(",")})` : i.name] = { unique: i.unique, columns, where: normalizeWhere(i.where) };
  }
  const fks = await q.all<{ table: string; from: string; target: string; to: string; action: string }>(
    `SELECT t."relname" AS "table", a."attname" AS "from", r."relname" AS "target", ra."attname" AS "to", c."confdeltype" AS "action"
     FROM pg_constraint c JOIN pg_class t ON t."oid" = c."conrelid" JOIN pg_class r ON r."oid" = c."confrelid"
     JOIN pg_namespace s ON s."oid" = t."relnamespace"
     JOIN pg_attribute a ON a."attrelid" = c."conrelid" AND a."attnum" = c."conkey"[1]
     JOIN pg_attribute ra ON ra."attrelid" = c."confrelid" AND ra."attnum" = c."confkey"[1]
     WHERE c."contype" = 'f' AND s."nspname" = current_schema()`,
  );
  for (const f of fks) schema[f.table]?.foreignKeys.push(`${f.from} → ${f.target}.${f.to} on delete ${PG_ON_DELETE[f.action]}`);
  for (const t of Object.values(schema)) t.foreignKeys.sort();
  return schema;
}

// ---------------------------------------------------------------------------------------------------------
// The PostgreSQL migration files, read as PostgreSQL would build them (the subset of DDL our migrations use;
// anything else is refused, so a new construct extends this reader rather than passing unseen).

function statements(script: string): string[] {
  const out: string[] = [];
  let current = "";
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === "-" && script[i + 1] === "-") {
      while (i < script.length && script[i] !== "\n") i++;
      current += " ";
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < script.length && !(script[j] === c && script[j + 1] !== c)) j += script[j] === c ? 2 : 1;
      current += script.slice(i, j + 1);
      i = j;
    } else if (c === ";") {
      if (current.trim()) out.push(current.trim().replace(/\s+/g, " "));
      current = "";
    } else {
      current += c;
    }
  }
  if (current.trim()) out.push(current.trim().replace(/\s+/g, " "));
  return out;
}

/** Split on commas at depth 0 (outside parentheses and quotes). */
function topLevel(text: string, separator = ","): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = "";
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    if (c === separator && depth === 0 && !quote) {
      parts.push(current.trim());
      current = "";
    } else current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

const unquote = (name: string) => name.trim().replace(/^"(.*)"$/, "$1");
const nameList = (text: string) => topLevel(text.replace(/^\(|\)$/g, "")).map(unquote);
const CLAUSE = /\s(NOT NULL|NULL|DEFAULT|PRIMARY KEY|REFERENCES|UNIQUE|CHECK|GENERATED|CONSTRAINT)\b/i;

function parseColumn(tableName: string, table: Table, def: string): void {
  const m = /^("[^"]+"|\w+)\s+(.*)$/.exec(def);
  if (!m) throw new Error(`Cannot read column definition ${def}`);
  const name = unquote(m[1]);
  let rest = m[2];
  const cut = rest.search(CLAUSE);
  const type = (cut === -1 ? rest : rest.slice(0, cut)).trim();
  rest = cut === -1 ? "" : rest.slice(cut);
  const family = pgFamily(type, `${tableName}.${name}`);
  const column: Column = { notNull: /\bNOT NULL\b/i.test(rest) || /\bPRIMARY KEY\b/i.test(rest), family, default: null };
  if (/\bGENERATED\b.*\bAS IDENTITY\b/i.test(rest) || /serial$/i.test(type)) {
    column.default = "identity";
    column.notNull = true;
  }
  const dflt = /\bDEFAULT\s+(.*)$/i.exec(rest);
  if (dflt && column.default === null) {
    const expr = dflt[1];
    const end = expr.search(CLAUSE);
    column.default = normalizeDefault(end === -1 ? expr : expr.slice(0, end), family);
  }
  if (/\bPRIMARY KEY\b/i.test(rest)) table.primaryKey = [name];
  if (/\bUNIQUE\b/i.test(rest)) table.indexes[`unique constraint (${name})`] = { unique: true, columns: [name], where: null };
  const ref = /\bREFERENCES\s+("[^"]+"|\w+)\s*\(([^)]*)\)(?:\s+ON DELETE (CASCADE|SET NULL|RESTRICT|NO ACTION|SET DEFAULT))?/i.exec(rest);
  if (ref) table.foreignKeys.push(`${name} → ${unquote(ref[1])}.${unquote(ref[2])} on delete ${(ref[3] ?? "NO ACTION").toUpperCase()}`);
  table.columns[name] = column;
}

function postgresSchemaFromFiles(migrations = readMigrations("postgres")): Schema {
  const schema: Schema = {};
  for (const migration of migrations) {
    for (const s of statements(migration.sql)) {
      let m: RegExpExecArray | null;
      if ((m = /^CREATE TABLE (?:IF NOT EXISTS )?("[^"]+"|\w+) \((.*)\)$/i.exec(s))) {
        const name = unquote(m[1]);
        const table: Table = (schema[name] = { columns: {}, primaryKey: [], foreignKeys: [], indexes: {} });
        for (const part of topLevel(m[2])) {
          let c: RegExpExecArray | null;
          if ((c = /^PRIMARY KEY \((.*)\)$/i.exec(part))) table.primaryKey = nameList(c[1]);
          else if ((c = /^UNIQUE \((.*)\)$/i.exec(part))) table.indexes[`unique constraint (${nameList(c[1]).join(",")})`] = { unique: true, columns: nameList(c[1]), where: null };
          else if (/^(CONSTRAINT|FOREIGN KEY|CHECK)\b/i.test(part)) throw new Error(`${migration.name}: table constraint not understood by this reader: ${part}`);
          else parseColumn(name, table, part);
        }
        for (const pk of table.primaryKey) table.columns[pk].notNull = true;
      } else if ((m = /^CREATE (UNIQUE )?INDEX (?:IF NOT EXISTS )?("[^"]+"|\w+) ON ("[^"]+"|\w+)(?: USING btree)? \((.*?)\)(?: WHERE (.*))?$/i.exec(s))) {
        schema[unquote(m[3])].indexes[unquote(m[2])] = { unique: Boolean(m[1]), columns: nameList(m[4]), where: normalizeWhere(m[5] ?? null) };
      } else if ((m = /^ALTER TABLE ("[^"]+"|\w+) ADD COLUMN (.*)$/i.exec(s))) {
        const name = unquote(m[1]);
        parseColumn(name, schema[name], m[2]);
      } else if ((m = /^ALTER TABLE ("[^"]+"|\w+) DROP COLUMN ("[^"]+"|\w+)$/i.exec(s))) {
        delete schema[unquote(m[1])].columns[unquote(m[2])];
      } else if ((m = /^DROP INDEX (?:IF EXISTS )?("[^"]+"|\w+)$/i.exec(s))) {
        for (const t of Object.values(schema)) delete t.indexes[unquote(m[1])];
      } else if ((m = /^DROP TABLE (?:IF EXISTS )?("[^"]+"|\w+)$/i.exec(s))) {
        delete schema[unquote(m[1])];
      } else {
        throw new Error(`${migration.name}: statement not understood by this reader (extend tests/integration/schema-parity.test.ts): ${s.slice(0, 120)}`);
      }
    }
  }
  for (const t of Object.values(schema)) t.foreignKeys.sort();
  return schema;
}

// ---------------------------------------------------------------------------------------------------------

/** Every difference, one line each (empty when the two build the same database). */
function differences(sqlite: Schema, postgres: Schema): string[] {
  const out: string[] = [];
  const names = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const t of names(sqlite, postgres)) {
    const s = sqlite[t];
    const p = postgres[t];
    if (!s || !p) {
      out.push(`table ${t} only on ${s ? "SQLite" : "PostgreSQL"}`);
      continue;
    }
    for (const c of names(s.columns, p.columns)) {
      if (!s.columns[c] || !p.columns[c]) out.push(`column ${t}.${c} only on ${s.columns[c] ? "SQLite" : "PostgreSQL"}`);
      else if (JSON.stringify(s.columns[c]) !== JSON.stringify(p.columns[c])) out.push(`column ${t}.${c}: SQLite ${JSON.stringify(s.columns[c])}, PostgreSQL ${JSON.stringify(p.columns[c])}`);
    }
    if (s.primaryKey.join(",") !== p.primaryKey.join(",")) out.push(`primary key of ${t}: SQLite (${s.primaryKey}), PostgreSQL (${p.primaryKey})`);
    for (const fk of s.foreignKeys.filter((f) => !p.foreignKeys.includes(f))) out.push(`foreign key ${t}.${fk} only on SQLite`);
    for (const fk of p.foreignKeys.filter((f) => !s.foreignKeys.includes(f))) out.push(`foreign key ${t}.${fk} only on PostgreSQL`);
    for (const i of names(s.indexes, p.indexes)) {
      if (!s.indexes[i] || !p.indexes[i]) out.push(`index ${t}.${i} only on ${s.indexes[i] ? "SQLite" : "PostgreSQL"}`);
      else if (JSON.stringify(s.indexes[i]) !== JSON.stringify(p.indexes[i])) out.push(`index ${t}.${i}: SQLite ${JSON.stringify(s.indexes[i])}, PostgreSQL ${JSON.stringify(p.indexes[i])}`);
    }
  }
  return out;
}

const probe = (sql: string): Migration => ({ name: "9999_parity_probe", sql, checksum: "probe" });
const pgAdmin = testPgAdminUrl();
const scratch: string[] = [];
afterAll(async () => {
  for (const name of scratch) await dropDatabase(pgAdmin!, name);
});

/** A scratch PostgreSQL database migrated with these files, introspected live (PostgreSQL runs only). */
async function migratedPostgresSchema(migrations: Migration[]): Promise<Schema> {
  const name = `${process.env.OMS_TEST_PG_PREFIX ?? "oms_parity_"}parity_${randomBytes(4).toString("hex")}`;
  scratch.push(name);
  const db = openDatabase(await createDatabase(pgAdmin!, name), { poolSize: 1 });
  try {
    await migrate(db, migrations);
    return await postgresSchema(db);
  } finally {
    await db.close();
  }
}

describe("SQLite and PostgreSQL migrations", () => {
  it("are the same files, in the same order", () => {
    expect(readMigrations("sqlite").map((m) => m.name)).toEqual(readMigrations("postgres").map((m) => m.name));
  });

  it("build the same tables, columns, keys and indexes", async () => {
    const live = database();
    const sqlite = live.dialect === "sqlite" ? await sqliteSchema(live) : await migratedSqliteSchema();
    const postgres = live.dialect === "postgres" ? await postgresSchema(live) : postgresSchemaFromFiles();
    expect(Object.keys(sqlite).length).toBeGreaterThan(15); // it read something
    expect(sqlite.Allocation.indexes.Allocation_backordered_idx).toEqual({ unique: false, columns: ["shopId"], where: `status='backordered'` });
    expect(differences(sqlite, postgres)).toEqual([]);
    // On the PostgreSQL run: the files as this test reads them (the SQLite run's view) are what PostgreSQL built.
    if (live.dialect === "postgres") expect(differences(postgresSchemaFromFiles(), postgres)).toEqual([]);
  });

  it("notice a column, an index or a nullability that one dialect has and the other has not", async () => {
    const sqliteFiles = readMigrations("sqlite");
    const pgFiles = readMigrations("postgres");
    const pgSchema = (extra: Migration[]) => (pgAdmin ? migratedPostgresSchema([...pgFiles, ...extra]) : Promise.resolve(postgresSchemaFromFiles([...pgFiles, ...extra])));
    const baseline = { sqlite: await migratedSqliteSchema(sqliteFiles), postgres: await pgSchema([]) };
    expect(differences(baseline.sqlite, baseline.postgres)).toEqual([]);

    const sqliteOnly = await migratedSqliteSchema([...sqliteFiles, probe(`ALTER TABLE "Shop" ADD COLUMN "parityProbe" TEXT`)]);
    expect(differences(sqliteOnly, baseline.postgres)).toEqual(["column Shop.parityProbe only on SQLite"]);

    const pgOnly = await pgSchema([probe(`ALTER TABLE "Order" ADD COLUMN "parityProbe" BIGINT NOT NULL DEFAULT 0;\nCREATE INDEX "Order_parityProbe_idx" ON "Order" ("shopId", "parityProbe") WHERE "parityProbe" > 0;`)]);
    expect(differences(baseline.sqlite, pgOnly)).toEqual(["column Order.parityProbe only on PostgreSQL", "index Order.Order_parityProbe_idx only on PostgreSQL"]);

    // The same column on both, but a time on one side and text on the other, or nullable on one side only.
    const sqliteTime = await migratedSqliteSchema([...sqliteFiles, probe(`ALTER TABLE "Shop" ADD COLUMN "probedAt" TEXT NOT NULL DEFAULT ''`)]);
    const pgText = await pgSchema([probe(`ALTER TABLE "Shop" ADD COLUMN "probedAt" TEXT DEFAULT ''`)]);
    expect(differences(sqliteTime, pgText)).toEqual([`column Shop.probedAt: SQLite {"notNull":true,"family":"timestamp","default":"''"}, PostgreSQL {"notNull":false,"family":"text","default":"''"}`]);
  });
});

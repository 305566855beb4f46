import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Offline-safe Prisma: the bundled JS/Wasm schema engine, driven through the better-sqlite3 adapter.
const url = process.env.DATABASE_URL ?? "file:./prisma/dev.db";
process.env.DATABASE_URL = url;

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new PrismaBetterSQLite3({ url }),
});

// Loads schema.graphql (our SDL subset of Shopify's Admin API) once.
import { readFileSync } from "node:fs";
import { buildSchema, type GraphQLSchema } from "graphql";

let cached: GraphQLSchema | undefined;

export function sandboxSdl(): string {
  return readFileSync(new URL("./schema.graphql", import.meta.url), "utf8");
}

export function sandboxSchema(): GraphQLSchema {
  cached ??= buildSchema(sandboxSdl());
  return cached;
}

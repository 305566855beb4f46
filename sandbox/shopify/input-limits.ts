// Shopify rejects any input list longer than 250 items, whether written in the query or passed
// in variables, with extensions.code MAX_INPUT_SIZE_EXCEEDED.
import { GraphQLError, visit, type DocumentNode } from "graphql";

export const MAX_INPUT_SIZE = 250;

export function inputSizeErrors(document: DocumentNode, variables: Record<string, unknown>): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const tooBig = (size: number) => `The input array size of ${size} is greater than the maximum allowed of ${MAX_INPUT_SIZE}.`;
  visit(document, {
    ListValue(node) {
      if (node.values.length > MAX_INPUT_SIZE) {
        errors.push(new GraphQLError(tooBig(node.values.length), { nodes: node, extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } }));
      }
    },
  });
  const walk = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) {
      if (value.length > MAX_INPUT_SIZE) {
        errors.push(new GraphQLError(tooBig(value.length), { path, extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } }));
      }
      value.forEach((v, i) => walk(v, [...path, i]));
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(variables, []);
  return errors;
}

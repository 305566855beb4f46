import { readFileSync } from "node:fs";
import { buildSchema, getVariableValues, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { RETURN_PROCESS_MUTATION, returnProcessInput } from "~/.server/shopify/graphql/return-process-mutation";
import { RETURN_SUGGESTED_REFUND_QUERY } from "~/.server/shopify/graphql/return-suggested-refund-query";

// The refund of a return (ADR 0035) as the app sends it: Return.suggestedFinancialOutcome, then returnProcess with
// financialTransfer.issueRefund. The documents and the variables the app builds validate against Shopify's 2026-01
// Admin schema and against the stand-in's SDL (which serves them in the integration tests); the deprecated
// returnRefund / suggestedRefund are not used.

function variableErrors(schema: GraphQLSchema, document: string, variables: Record<string, unknown>): string[] {
  const op = parse(document).definitions[0] as OperationDefinitionNode;
  const result = getVariableValues(schema, op.variableDefinitions ?? [], variables);
  return "errors" in result && result.errors ? result.errors.map((e) => e.message) : [];
}

const pinned = buildSchema(readFileSync("../shared/fixtures/shopify_admin_graphql_schema/admin_schema_2026-01.graphql", "utf8"));
const sandbox = buildSchema(readFileSync("sandbox/shopify/schema.graphql", "utf8"));
const refund = returnProcessInput({ returnId: "gid://shopify/Return/1", lines: [{ id: "gid://shopify/ReturnLineItem/2", quantity: 2 }], refund: [{ parentId: "gid://shopify/OrderTransaction/3", amount: "39.90", currencyCode: "USD" }], note: "RMA R1001: refunded" });

describe("a return's refund against the 2026-01 Admin schema", () => {
  it("the documents validate on 2026-01 and on the stand-in's schema", () => {
    for (const schema of [pinned, sandbox]) {
      for (const doc of [RETURN_SUGGESTED_REFUND_QUERY, RETURN_PROCESS_MUTATION]) expect(validate(schema, parse(doc)).map((e) => e.message)).toEqual([]);
    }
  });

  it("the variables the app builds validate: returnProcess with and without a refund, the suggestion's line items", () => {
    const noMoney = returnProcessInput({ returnId: "gid://shopify/Return/1", lines: [{ id: "gid://shopify/ReturnLineItem/2", quantity: 1 }], refund: [], note: "RMA R1002: exchanged" });
    expect(noMoney).not.toHaveProperty("financialTransfer");
    expect(refund).toMatchObject({ financialTransfer: { issueRefund: { orderTransactions: [{ parentId: "gid://shopify/OrderTransaction/3", transactionAmount: { amount: "39.90", currencyCode: "USD" } }] } } });
    for (const schema of [pinned, sandbox]) {
      expect(variableErrors(schema, RETURN_PROCESS_MUTATION, { input: refund })).toEqual([]);
      expect(variableErrors(schema, RETURN_PROCESS_MUTATION, { input: noMoney })).toEqual([]);
      expect(variableErrors(schema, RETURN_SUGGESTED_REFUND_QUERY, { id: "gid://shopify/Return/1", returnLineItems: [{ id: "gid://shopify/ReturnLineItem/2", quantity: 2 }] })).toEqual([]);
    }
  });

  it("wrong variables are refused (the check can fail)", () => {
    const broken = { ...refund, financialTransfer: { issueRefund: { orderTransactions: [{ parentId: "gid://shopify/OrderTransaction/3", amount: "39.90" }] } } };
    expect(variableErrors(pinned, RETURN_PROCESS_MUTATION, { input: broken }).join()).toMatch(/transactionAmount|amount/);
    expect(variableErrors(pinned, RETURN_PROCESS_MUTATION, { input: { ...refund, financialTransfer: { refundLater: true } } }).join()).toMatch(/refundLater/);
  });

  it("uses the returns-processing operations, not the deprecated ones", () => {
    const mutation = pinned.getMutationType()!.getFields();
    expect(mutation.returnRefund?.deprecationReason).toBeTruthy();
    expect(mutation.returnProcess?.deprecationReason ?? null).toBeNull();
    expect(pinned.getType("Return") && (pinned.getType("Return") as { getFields(): Record<string, { deprecationReason?: string | null }> }).getFields().suggestedRefund.deprecationReason).toBeTruthy();
    for (const doc of [RETURN_SUGGESTED_REFUND_QUERY, RETURN_PROCESS_MUTATION]) expect(doc).not.toMatch(/returnRefund|suggestedRefund\(/);
  });
});

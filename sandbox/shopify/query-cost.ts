// Query cost after Shopify's published method: scalars and enums 0, objects 1, connections
// 2 + first/last × (cost of one node), each mutation field 10. The requested cost uses the page
// sizes asked for; the actual cost walks the returned data and counts what came back.
import {
  getArgumentValues, getNamedType, isCompositeType, isObjectType, isInterfaceType, Kind,
  type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from "graphql";

export const MUTATION_COST = 10;
type Data = Record<string, unknown> | null | undefined;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Walk the response (actual cost) instead of the requested page sizes. */
  actual: boolean;
}

export function queryCost(
  schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>, data?: Data,
): number {
  if (operation.operation === "mutation") return collect(operation.selectionSet, { fragments } as Walk).length * MUTATION_COST;
  const root = operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  return selectionCost({ schema, fragments, variables, actual: data !== undefined }, operation.selectionSet, root, data);
}

function selectionCost(w: Walk, set: SelectionSetNode, parent: GraphQLCompositeType, data: Data): number {
  if (!isObjectType(parent) && !isInterfaceType(parent)) return 0; // unions: only __typename, or fragments below
  let total = 0;
  for (const field of collect(set, w)) {
    const def = parent.getFields()[field.name.value];
    if (!def || !field.selectionSet) continue; // scalars, enums, __typename
    const type = getNamedType(def.type);
    if (!isCompositeType(type)) continue;
    const value = data?.[field.alias?.value ?? field.name.value];
    if (w.actual && (value === null || value === undefined)) continue;
    if (type.name.endsWith("Connection") && isObjectType(type)) {
      total += connectionCost(w, field, def.args.length ? getArgumentValues(def, field, w.variables) : {}, type, value as Data);
    } else if (field.name.value === "nodes" && parent === w.schema.getQueryType()) {
      // nodes(ids:) costs each object it looks up, as one node(id:) each would.
      const ids = (getArgumentValues(def, field, w.variables).ids as unknown[] | undefined) ?? [];
      const items = w.actual && Array.isArray(value) ? (value as Data[]) : ids.map(() => undefined);
      for (const item of items) total += 1 + selectionCost(w, field.selectionSet, type, item);
    } else {
      const item = Array.isArray(value) ? (value[0] as Data) : (value as Data);
      total += 1 + selectionCost(w, field.selectionSet, type, item);
    }
  }
  return total;
}

function connectionCost(w: Walk, field: FieldNode, args: Record<string, unknown>, type: GraphQLCompositeType, value: Data): number {
  if (!isObjectType(type)) return 0;
  const nodeType = getNamedType(type.getFields().nodes?.type);
  if (!nodeType || !isCompositeType(nodeType)) return 2;
  let cost = 2;
  for (const sub of collect(field.selectionSet!, w)) {
    const key = sub.alias?.value ?? sub.name.value;
    const nodeSelection = sub.name.value === "nodes" ? sub.selectionSet
      : sub.name.value === "edges" ? collect(sub.selectionSet!, w).find((f) => f.name.value === "node")?.selectionSet : undefined;
    if (!nodeSelection) continue;
    if (w.actual) {
      const items = (value?.[key] as unknown[] | undefined) ?? [];
      for (const item of items) {
        const node = sub.name.value === "edges" ? ((item as Data)?.node as Data) : (item as Data);
        cost += 1 + selectionCost(w, nodeSelection, nodeType, node);
      }
    } else {
      const size = Number(args.first ?? args.last ?? 0);
      cost += size * (1 + selectionCost(w, nodeSelection, nodeType, undefined));
    }
  }
  return cost;
}

/** Flattens fields of a selection set, following fragment spreads and inline fragments. */
function collect(set: SelectionSetNode, w: Pick<Walk, "fragments">): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...collect(sel.selectionSet, w));
    else if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = w.fragments[sel.name.value];
      if (fragment) out.push(...collect(fragment.selectionSet, w));
    }
  }
  return out;
}

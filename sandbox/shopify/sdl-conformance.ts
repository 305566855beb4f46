// Checks that our hand-written SDL subset only says things Shopify's real Admin schema also says:
// every type, field, argument, input field and enum value exists there with the same type.
// Used by tests/conformance/sandbox-sdl.test.ts against the real introspection fixture.
import {
  buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType,
  isUnionType, isIntrospectionType, isSpecifiedDirective,
  type GraphQLArgument, type GraphQLField, type GraphQLInputField, type GraphQLNamedType, type GraphQLSchema,
} from "graphql";

export interface SdlMismatch {
  /** e.g. "Order.lineItems(first)" */
  path: string;
  problem: string;
}

export interface CompareOptions {
  /** Our directives that the real schema may lack (default: "idempotent", which schemas before 2026-01 lack). */
  allowDirectives?: string[];
}

export function compareSdlToSchema(sdl: string | GraphQLSchema, real: GraphQLSchema, opts: CompareOptions = {}): SdlMismatch[] {
  const ours = typeof sdl === "string" ? buildSchema(sdl) : sdl;
  const out: SdlMismatch[] = [];
  const add = (path: string, problem: string) => out.push({ path, problem });

  for (const [op, mine, theirs] of [
    ["query", ours.getQueryType(), real.getQueryType()],
    ["mutation", ours.getMutationType(), real.getMutationType()],
  ] as const) {
    if (mine && mine.name !== theirs?.name) add(`schema.${op}`, `root type is ${mine.name}, real is ${theirs?.name ?? "absent"}`);
  }

  for (const type of Object.values(ours.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    const realType = real.getType(type.name);
    if (!realType) {
      add(type.name, "type does not exist in the real schema");
      continue;
    }
    if (kindOf(type) !== kindOf(realType)) {
      add(type.name, `is ${kindOf(type)}, real is ${kindOf(realType)}`);
      continue;
    }
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(realType) || isInterfaceType(realType))) {
      const realInterfaces = new Set(realType.getInterfaces().map((i) => i.name));
      for (const i of type.getInterfaces()) if (!realInterfaces.has(i.name)) add(type.name, `real type does not implement ${i.name}`);
      const realFields = realType.getFields();
      for (const field of Object.values(type.getFields())) {
        const realField = realFields[field.name];
        if (!realField) add(`${type.name}.${field.name}`, "field does not exist in the real schema");
        else compareField(type.name, field, realField, add);
      }
    } else if (isInputObjectType(type) && isInputObjectType(realType)) {
      compareInputFields(type.name, type.getFields(), realType.getFields(), add);
    } else if (isEnumType(type) && isEnumType(realType)) {
      const realValues = new Set(realType.getValues().map((v) => v.name));
      for (const v of type.getValues()) if (!realValues.has(v.name)) add(`${type.name}.${v.name}`, "enum value does not exist in the real schema");
    } else if (isUnionType(type) && isUnionType(realType)) {
      const members = new Set(realType.getTypes().map((t) => t.name));
      for (const t of type.getTypes()) if (!members.has(t.name)) add(type.name, `real union has no member ${t.name}`);
    }
  }

  const allowed = new Set(opts.allowDirectives ?? ["idempotent"]);
  for (const directive of ours.getDirectives()) {
    if (isSpecifiedDirective(directive) || allowed.has(directive.name)) continue;
    const realDirective = real.getDirective(directive.name);
    if (!realDirective) add(`@${directive.name}`, "directive does not exist in the real schema");
  }
  return out;
}

type Add = (path: string, problem: string) => void;

function compareField(typeName: string, field: GraphQLField<unknown, unknown>, real: GraphQLField<unknown, unknown>, add: Add): void {
  const path = `${typeName}.${field.name}`;
  if (String(field.type) !== String(real.type)) add(path, `type is ${field.type}, real is ${real.type}`);
  compareArgs(path, field.args, real.args, add);
}

function compareArgs(path: string, args: readonly GraphQLArgument[], realArgs: readonly GraphQLArgument[], add: Add): void {
  for (const arg of args) {
    const realArg = realArgs.find((a) => a.name === arg.name);
    if (!realArg) add(`${path}(${arg.name})`, "argument does not exist in the real schema");
    else {
      if (String(arg.type) !== String(realArg.type)) add(`${path}(${arg.name})`, `type is ${arg.type}, real is ${realArg.type}`);
      if (JSON.stringify(arg.defaultValue) !== JSON.stringify(realArg.defaultValue)) {
        add(`${path}(${arg.name})`, `default is ${JSON.stringify(arg.defaultValue)}, real is ${JSON.stringify(realArg.defaultValue)}`);
      }
    }
  }
  // A required real argument we leave out would let queries pass here that Shopify rejects.
  for (const realArg of realArgs) {
    if (String(realArg.type).endsWith("!") && realArg.defaultValue === undefined && !args.some((a) => a.name === realArg.name)) {
      add(`${path}(${realArg.name})`, "required argument of the real schema is missing");
    }
  }
}

function compareInputFields(typeName: string, fields: Record<string, GraphQLInputField>, real: Record<string, GraphQLInputField>, add: Add): void {
  for (const field of Object.values(fields)) {
    const realField = real[field.name];
    if (!realField) add(`${typeName}.${field.name}`, "input field does not exist in the real schema");
    else if (String(field.type) !== String(realField.type)) add(`${typeName}.${field.name}`, `type is ${field.type}, real is ${realField.type}`);
    else if (JSON.stringify(field.defaultValue) !== JSON.stringify(realField.defaultValue)) {
      add(`${typeName}.${field.name}`, `default is ${JSON.stringify(field.defaultValue)}, real is ${JSON.stringify(realField.defaultValue)}`);
    }
  }
  for (const realField of Object.values(real)) {
    if (String(realField.type).endsWith("!") && realField.defaultValue === undefined && !fields[realField.name]) {
      add(`${typeName}.${realField.name}`, "required input field of the real schema is missing");
    }
  }
}

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return "object";
  if (isInterfaceType(type)) return "interface";
  if (isUnionType(type)) return "union";
  if (isEnumType(type)) return "enum";
  if (isInputObjectType(type)) return "input";
  if (isScalarType(type)) return "scalar";
  return "unknown";
}

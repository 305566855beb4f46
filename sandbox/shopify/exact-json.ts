// JSON text that keeps 64-bit ids exact: BigInt values are written as bare JSON numbers
// (JSON.stringify throws on BigInt, and Number would round them). Otherwise matches JSON.stringify.

export function toExactJson(value: unknown, indent = 0): string {
  const out = write(value, indent, "");
  return out === undefined ? "null" : out;
}

function write(value: unknown, indent: number, pad: string): string | undefined {
  if (value === null) return "null";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return write((value as { toJSON: () => unknown }).toJSON(), indent, pad);
  }
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  const inner = indent ? pad + " ".repeat(indent) : "";
  const nl = indent ? "\n" : "";
  const colon = indent ? ": " : ":";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => inner + (write(v, indent, inner) ?? "null"));
    return `[${nl}${items.join("," + nl)}${nl}${indent ? pad : ""}]`;
  }
  const entries: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const text = write(v, indent, inner);
    if (text !== undefined) entries.push(`${inner}${JSON.stringify(key)}${colon}${text}`);
  }
  if (entries.length === 0) return "{}";
  return `{${nl}${entries.join("," + nl)}${nl}${indent ? pad : ""}}`;
}

import { KIND_VARIABLES, type NotificationKind } from "./kinds";
import type { TemplateText } from "./default-templates";

// The one renderer of notification templates (the send path and the admin's live preview): `{{name}}` is replaced
// by a variable the kind allows, nothing else is evaluated. The HTML part escapes every character of the template
// and of the values; a link variable becomes an <a> only when it is an http(s) URL. The subject is one line.

export const TEMPLATE_LIMITS = { subject: 200, body: 5_000 } as const;

type Token = { text: string } | { variable: string };

const TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;

function tokenize(source: string): { tokens: Token[]; problems: string[] } {
  const tokens: Token[] = [];
  const problems: string[] = [];
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    if (match.index > last) tokens.push({ text: source.slice(last, match.index) });
    tokens.push({ variable: match[1] });
    last = match.index + match[0].length;
  }
  if (last < source.length) tokens.push({ text: source.slice(last) });
  for (const t of tokens) if ("text" in t && (t.text.includes("{{") || t.text.includes("}}"))) problems.push(`unclosed or stray braces near "${t.text.slice(0, 30)}"`);
  return { tokens, problems };
}

/** Every problem of a template for a kind (unknown variables, stray braces, lengths); empty when it can be saved. */
export function templateProblems(kind: NotificationKind, template: TemplateText): string[] {
  const allowed = new Set(KIND_VARIABLES[kind].map((v) => v.name));
  const problems: string[] = [];
  if (template.subject.trim() === "") problems.push("subject: must not be empty");
  if (template.subject.length > TEMPLATE_LIMITS.subject) problems.push(`subject: longer than ${TEMPLATE_LIMITS.subject} characters`);
  if (template.body.trim() === "") problems.push("body: must not be empty");
  if (template.body.length > TEMPLATE_LIMITS.body) problems.push(`body: longer than ${TEMPLATE_LIMITS.body} characters`);
  for (const [field, source] of [["subject", template.subject], ["body", template.body]] as const) {
    const { tokens, problems: syntax } = tokenize(source);
    problems.push(...syntax.map((p) => `${field}: ${p}`));
    for (const t of tokens) {
      if ("variable" in t && !allowed.has(t.variable)) problems.push(`${field}: {{${t.variable}}} is not a variable of this notice (allowed: ${[...allowed].join(", ")})`);
    }
  }
  return problems;
}

export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
};

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export type RenderResult = { ok: true; message: RenderedMessage } | { ok: false; problems: string[] };

/** Render a template with these values (a value missing renders empty). A template with problems is refused whole. */
export function renderTemplate(kind: NotificationKind, template: TemplateText, values: Record<string, string | null | undefined>): RenderResult {
  const problems = templateProblems(kind, template);
  if (problems.length) return { ok: false, problems };
  const specs = new Map(KIND_VARIABLES[kind].map((v) => [v.name, v]));
  const value = (name: string) => values[name] ?? "";
  const plain = (source: string) => tokenize(source).tokens.map((t) => ("text" in t ? t.text : value(t.variable))).join("");
  const html = (source: string) =>
    tokenize(source)
      .tokens.map((t) => {
        if ("text" in t) return escapeHtml(t.text);
        const v = value(t.variable);
        if (specs.get(t.variable)?.kind === "url" && isHttpUrl(v)) return `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>`;
        return escapeHtml(v);
      })
      .join("");
  const text = plain(template.body).replace(/\r\n?/g, "\n");
  const paragraphs = html(template.body.replace(/\r\n?/g, "\n"))
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.replace(/\n/g, "<br>\n")}</p>`);
  return {
    ok: true,
    message: {
      subject: plain(template.subject).replace(/[\r\n\t]+/g, " ").replace(/ {2,}/g, " ").trim().slice(0, 300),
      text,
      html: `<!doctype html>\n<html><body style="font-family: sans-serif; line-height: 1.5">\n${paragraphs.join("\n")}\n</body></html>\n`,
    },
  };
}

import { ESSENTIAL, type Language, type NotificationKind } from "./kinds";

// The customer's own way out of non-essential e-mails (ADR 0038): a courtesy message (not ESSENTIAL) carries a link to
// a confirm page on the store (the app proxy) and RFC 8058's one-click headers; an essential one carries neither
// (an opt-out does not stop it, so offering one would mislead). Decided without I/O: the links come in made.

/** The only purpose an unsubscribe token names today: every non-essential notice of the shop. */
export const UNSUBSCRIBE_PURPOSE = "non_essential";
export type UnsubscribePurpose = typeof UNSUBSCRIBE_PURPOSE;

export interface UnsubscribeLinks {
  /** The confirm page through the shop's app proxy (`https://{shop}/apps/orders?unsubscribe=…`), shown in the body. */
  page: string;
  /** The app's own one-click endpoint (RFC 8058), named in List-Unsubscribe; the mail provider POSTs to it (https in production: Shopify requires the app URL to be). */
  oneClick: string;
}

export interface MailParts {
  text: string;
  html: string;
  headers: Record<string, string>;
}

const WORDS: Record<Language, { text: string; link: string }> = {
  en: { text: "You receive this optional e-mail about your order. To stop these (order updates you need still come):", link: "Unsubscribe" },
  es: { text: "Recibes este correo opcional sobre tu pedido. Para dejar de recibirlos (los avisos necesarios seguirán llegando):", link: "Darse de baja" },
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export const offersUnsubscribe = (kind: NotificationKind): boolean => !ESSENTIAL[kind];

/**
 * The message as it leaves: a non-essential kind gets the footer (text and HTML, in the message's language) and the
 * List-Unsubscribe / List-Unsubscribe-Post headers; an essential kind is returned as it is, with no headers.
 */
export function withUnsubscribe(kind: NotificationKind, language: Language, message: { text: string; html: string }, links: UnsubscribeLinks | null): MailParts {
  if (!offersUnsubscribe(kind) || links === null) return { text: message.text, html: message.html, headers: {} };
  const w = WORDS[language];
  const text = `${message.text.replace(/\s+$/, "")}\n\n--\n${w.text}\n${w.link}: ${links.page}\n`;
  const footer = `<hr style="border:0;border-top:1px solid #ddd;margin-top:2em">\n<p style="color:#666;font-size:12px">${escape(w.text)} <a href="${escape(links.page)}">${escape(w.link)}</a></p>\n`;
  const at = message.html.lastIndexOf("</body>");
  const html = at >= 0 ? `${message.html.slice(0, at)}${footer}${message.html.slice(at)}` : `${message.html}${footer}`;
  return { text, html, headers: { "List-Unsubscribe": `<${links.oneClick}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } };
}

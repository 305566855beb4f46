import { describe, expect, it } from "vitest";
import { ESSENTIAL, NOTIFICATION_KINDS } from "./kinds";
import { withUnsubscribe } from "./unsubscribe";

const links = { page: "https://shop.example/apps/orders?unsubscribe=abc.d&x=1", oneClick: "https://app.example/notifications/unsubscribe?token=abc.d" };
const message = { text: "Hello\n", html: "<!doctype html>\n<html><body>\n<p>Hello</p>\n</body></html>\n" };

describe("withUnsubscribe (ADR 0038)", () => {
  it("leaves every essential kind as it is, with no headers", () => {
    for (const kind of NOTIFICATION_KINDS.filter((k) => ESSENTIAL[k])) {
      expect(withUnsubscribe(kind, "en", message, links)).toEqual({ ...message, headers: {} });
    }
  });

  it("gives a courtesy notice the footer link (escaped, inside the body, in its language) and the RFC 8058 headers", () => {
    const out = withUnsubscribe("order_confirmation", "es", message, links);
    expect(out.headers).toEqual({ "List-Unsubscribe": `<${links.oneClick}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    expect(out.text).toBe(`Hello\n\n--\nRecibes este correo opcional sobre tu pedido. Para dejar de recibirlos (los avisos necesarios seguirán llegando):\nDarse de baja: ${links.page}\n`);
    expect(out.html).toContain('<a href="https://shop.example/apps/orders?unsubscribe=abc.d&amp;x=1">Darse de baja</a></p>\n</body></html>');
    expect(withUnsubscribe("split_shipment", "en", message, links).text).toContain(`Unsubscribe: ${links.page}`);
  });

  it("adds nothing without links", () => {
    expect(withUnsubscribe("order_confirmation", "en", message, null)).toEqual({ ...message, headers: {} });
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES } from "./default-templates";
import { LANGUAGES, NOTIFICATION_KINDS } from "./kinds";
import { sampleValues } from "./plan";
import { renderTemplate, templateProblems } from "./render";

describe("the notification renderer", () => {
  it("renders every default template in every language with no problem and no placeholder left", () => {
    for (const kind of NOTIFICATION_KINDS) {
      for (const language of LANGUAGES) {
        const result = renderTemplate(kind, DEFAULT_TEMPLATES[kind][language], sampleValues(language, "Acme"));
        expect(result.ok, `${kind}/${language}`).toBe(true);
        if (!result.ok) continue;
        expect(result.message.subject).toContain("#1001");
        expect(result.message.text + result.message.html).not.toContain("{{");
      }
    }
  });

  it("escapes the template and every value in the HTML part, and keeps the text part as written", () => {
    const result = renderTemplate("order_confirmation", { subject: "Order {{orderName}}", body: "Hi <b>{{customerName}}</b> & welcome" }, { orderName: "#1", customerName: `<script>alert("x")</script>` });
    if (!result.ok) throw new Error(result.problems.join());
    expect(result.message.html).toContain("Hi &lt;b&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;/b&gt; &amp; welcome");
    expect(result.message.html).not.toContain("<script>");
    expect(result.message.text).toBe(`Hi <b><script>alert("x")</script></b> & welcome`);
  });

  it("makes a link of an http(s) tracking URL only; anything else is shown as text", () => {
    const body = "Track: {{trackingUrl}}";
    const values = { carrier: "UPS", trackingNumber: "1Z" };
    const linked = renderTemplate("shipped", { subject: "s", body }, { ...values, trackingUrl: "https://www.ups.com/track?tracknum=1Z&x=1" });
    const notLinked = renderTemplate("shipped", { subject: "s", body }, { ...values, trackingUrl: "javascript:alert(1)" });
    if (!linked.ok || !notLinked.ok) throw new Error("refused");
    expect(linked.message.html).toContain('<a href="https://www.ups.com/track?tracknum=1Z&amp;x=1">');
    expect(notLinked.message.html).not.toContain("<a ");
    expect(notLinked.message.html).toContain("Track: javascript:alert(1)");
  });

  it("refuses variables the kind does not have, stray braces and empty or long fields, naming each", () => {
    expect(templateProblems("order_confirmation", { subject: "{{trackingUrl}}", body: "Hi {{ customerName }} {{process.env}} {{oops" })).toEqual([
      "subject: {{trackingUrl}} is not a variable of this notice (allowed: shopName, orderName, customerName)",
      'body: unclosed or stray braces near " {{oops"',
      "body: {{process.env}} is not a variable of this notice (allowed: shopName, orderName, customerName)",
    ]);
    expect(templateProblems("backorder", { subject: " ", body: "x".repeat(5_001) })).toEqual(["subject: must not be empty", "body: longer than 5000 characters"]);
    const refused = renderTemplate("backorder", { subject: "{{nope}}", body: "b" }, {});
    expect(refused).toEqual({ ok: false, problems: ["subject: {{nope}} is not a variable of this notice (allowed: shopName, orderName, customerName, expectedDate)"] });
  });

  it("keeps the subject on one line (no header injection) and makes paragraphs of blank-line blocks", () => {
    const result = renderTemplate("order_confirmation", { subject: "Order {{orderName}}", body: "One\nline two\n\nPara two" }, { orderName: "#1\r\nBcc: x@example.com" });
    if (!result.ok) throw new Error("refused");
    expect(result.message.subject).toBe("Order #1 Bcc: x@example.com");
    expect(result.message.html).toContain("<p>One<br>\nline two</p>\n<p>Para two</p>");
    expect(result.message.text).toBe("One\nline two\n\nPara two");
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "~/domain/integrations/verify-signature";

// A merchant's webhook receiver for tests (ADR 0031): on a free loopback port, it answers each request as the test
// scripts it (an HTTP status, or "hang": no answer until closed), verifies every signature with the documented helper
// (at the test's clock), and records what it accepted.

export type Answer = number | "hang";

export interface ReceivedDelivery {
  eventId: string;
  topic: string;
  body: Record<string, unknown>;
  signature: ReturnType<typeof verifyWebhookSignature>;
  answered: Answer;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  /** The deliveries answered 2xx, in the order they arrived. */
  accepted(): ReceivedDelivery[];
  setSecret(secret: string): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(opts: { answers: (n: number) => Answer; clock: () => Date }): Promise<WebhookReceiver> {
  let secret = "";
  const received: ReceivedDelivery[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const answer = opts.answers(received.length);
      received.push({
        eventId: String(req.headers["x-oms-event-id"] ?? ""), topic: String(req.headers["x-oms-topic"] ?? ""), body: JSON.parse(raw) as Record<string, unknown>,
        signature: verifyWebhookSignature({ body: raw, header: req.headers["x-oms-signature"] as string | undefined, secret, now: opts.clock() }), answered: answer,
      });
      if (answer === "hang") return; // no answer: the sender's timeout
      res.writeHead(answer, { "Content-Type": "text/plain" }).end(answer < 300 ? "ok" : "nope");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    accepted: () => received.filter((r) => typeof r.answered === "number" && r.answered >= 200 && r.answered < 300),
    setSecret: (s) => { secret = s; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

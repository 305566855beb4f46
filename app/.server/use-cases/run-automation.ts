import { sendDueAutomation, type AutomationSendOutcome } from "./send-automation";
import { sweepAutomation, type AutomationSweepOutcome } from "./sweep-automation";

/** The automate job (ADR 0031): new events from the audit trail into the outbox, then what is due sent (webhooks, Flow triggers). */
export async function runAutomation(shopId: string): Promise<{ swept: AutomationSweepOutcome; sent: AutomationSendOutcome }> {
  const swept = await sweepAutomation(shopId);
  const sent = await sendDueAutomation(shopId);
  return { swept, sent };
}

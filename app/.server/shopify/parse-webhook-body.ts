import { parseJsonKeepingBigInts } from "~/domain/shared/safe-json";
import { AppError } from "../errors";

/**
 * A webhook's stored raw body as JSON (64-bit ids kept exact). A body that is not JSON never becomes JSON on
 * a retry: it is invalid data, which process-webhook records on the inbox row and fails once.
 */
export function parseWebhookBody<T = unknown>(raw: string, topic: string): T {
  try {
    return parseJsonKeepingBigInts<T>(raw);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new AppError("invalid_data", "WEBHOOK.INVALID_JSON", `${topic} payload is not valid JSON: ${error.message}`);
  }
}

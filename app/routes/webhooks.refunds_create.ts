import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyMethods } from "~/.server/api/http";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";

// refunds/create: verify, record, enqueue, answer. The work happens in the process-webhook job.
export const WEBHOOK_TOPIC = "refunds/create";
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, WEBHOOK_TOPIC);
export const loader = onlyMethods(["POST"]);

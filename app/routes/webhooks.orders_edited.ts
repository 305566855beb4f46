import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyMethods } from "~/.server/api/http";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";

// orders/edited: verify, record, enqueue, answer. The work happens in the process-webhook job.
export const WEBHOOK_TOPIC = "orders/edited";
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, WEBHOOK_TOPIC);
export const loader = onlyMethods(["POST"]);

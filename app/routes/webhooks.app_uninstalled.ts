import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";

// app/uninstalled: verify, record, enqueue, answer. The work happens in the process-webhook job.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "app/uninstalled");

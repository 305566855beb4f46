import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";

// customers/data_request: verify, record, enqueue, answer. The work happens in the process-webhook job.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "customers/data_request");

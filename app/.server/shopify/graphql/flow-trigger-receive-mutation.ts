// Starts the shop's Flow workflows that use one of the app's trigger extensions (extensions/flow-trigger-<handle>):
// `handle` names the trigger, `payload` carries the fields its TOML declares (order_id for an order_reference). Sent
// once per event from the automation outbox (ADR 0031); Flow answers problems in userErrors.
export const FLOW_TRIGGER_RECEIVE_MUTATION = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

export interface FlowTriggerReceiveVariables {
  handle: string;
  payload: Record<string, unknown>;
}

export interface FlowTriggerReceiveResult {
  flowTriggerReceive: { userErrors: { field: string[] | null; message: string }[] } | null;
}

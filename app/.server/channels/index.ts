// Every channel adapter, registered on import (the job that applies routing resolves them by kind).
import "./shopify/shopify-channel";
import "./manual/manual-channel";
import "./amazon/amazon-channel";
import "./wholesale/wholesale-channel";

export { channelAdapter, type ChannelAdapter, type Placement } from "./channel-adapter";
export { intakeChannel, intakeChannelOfKind, type IntakeChannel } from "./intake-channel";

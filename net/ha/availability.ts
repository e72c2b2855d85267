/*
 * Availability (interop-protocols.md A.3): the device connects with a retained last will
 * `offline` on `<base>/status` and publishes a retained `online` there after every connect,
 * before its discovery configs and states. Both at QoS 1, so that a broker that was restarted
 * still ends up holding the right retained value. The shapes match net/mqtt/client's `will`
 * option and its write() options.
 */
import { type Topics, OFFLINE, ONLINE } from "net/topics";

export interface AvailabilityMessage {
	readonly topic: string;
	readonly message: string;
	readonly QoS: 1;
	readonly retain: true;
}

/** The CONNECT's last will: `offline`, retained. */
export function will(topics: Topics): AvailabilityMessage {
	return Object.freeze({ topic: topics.availability, message: OFFLINE, QoS: 1, retain: true });
}

/** The birth published after every CONNACK: `online`, retained. */
export function birth(topics: Topics): AvailabilityMessage {
	return Object.freeze({ topic: topics.availability, message: ONLINE, QoS: 1, retain: true });
}

/**
 * The connect sequence of A.3, in order; the sync layer runs it after every CONNACK:
 *   1. (CONNECT carried will())
 *   2. publish birth()
 *   3. publish every discoveryMessages() payload, retained
 *   4. publish every entity's state, retained
 *   5. subscribe to topics.haStatus and topics.commandFilter
 *   6. on HA's `online`, after DiscoveryResend's random delay, repeat 3 and 4
 *   7. never act on a retained command (parseCommand rejects it)
 */
export const CONNECT_SEQUENCE = Object.freeze(["will", "birth", "discovery", "state", "subscribe"]);

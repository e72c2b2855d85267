/*
 * Run-time faults of the MQTT client, reported through `onError(error)` (STYLE §2.7): every one
 * of them ends the connection (§4.8: a protocol violation closes the network connection), and the
 * client is left closed and reusable (`connect()` again). Bad arguments throw instead: RangeError
 * for options and packets that can never be sent, Error for calls in the wrong state.
 */

export const MQTTErrorCode = Object.freeze({
	/** The broker answered CONNECT with a non-zero return code (§3.2.2.3); see `returnCode`. */
	refused: "refused",
	/** Bytes that are not MQTT 3.1.1: reserved type, wrong flags, bad lengths, QoS 3, bad UTF-8 (§2, §1.5.3). */
	malformed: "malformed",
	/** Well-formed packets out of order: not CONNACK first, a second CONNACK, a packet a client never receives. */
	protocol: "protocol",
	/** A packet whose remaining length exceeds the receive buffer, rejected before any of it is buffered. */
	oversized: "oversized",
	/** Nothing (not even PINGRESP) received for 1.5 × keep alive (§3.1.2.10). */
	keepalive: "keepalive",
	/** No CONNACK within the connect timeout (§3.1.4), counted from connect(). */
	timeout: "timeout",
	/** The transport ended: refused, reset or closed by the peer. */
	connection: "connection",
	/** An acknowledgement could not be queued: the peer stopped reading while it kept sending. */
	congestion: "congestion",
	/** An application callback (onReadable, onControl, onWritable) threw; `cause` holds what it threw. */
	callback: "callback",
} as const);

export type MQTTErrorCodeName = (typeof MQTTErrorCode)[keyof typeof MQTTErrorCode];

export class MQTTError extends Error {
	readonly code: MQTTErrorCodeName;
	/** CONNACK return code for `refused` (1..5 per §3.2.2.3, anything else reserved); else 0. */
	readonly returnCode: number;

	constructor(code: MQTTErrorCodeName, detail: string, returnCode = 0, cause?: unknown) {
		super(`mqtt: ${code}: ${detail}`, cause === undefined ? undefined : { cause });
		this.name = "MQTTError";
		this.code = code;
		this.returnCode = returnCode;
	}
}
Object.freeze(MQTTError.prototype);

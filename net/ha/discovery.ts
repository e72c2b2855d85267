/*
 * Home Assistant MQTT discovery (../shared/reference/interop-protocols.md Part A): one
 * single-component config per entity (A.1, A.6: single-component discovery works on every HA
 * version), published retained (A.2) to `<discovery>/<component>/<unique_id>/config` (object_id
 * = unique_id, no node_id: A.1's best practice). Every payload has
 *
 *   `~` = `<prefix>/<device>` and `~/...` topics (A.5) so the prefix is written once;
 *   `uniq_id` = `<device>_<key>` (the device block only takes effect with one, A.4);
 *   `avty_t` = `~/status` (birth `online` / will `offline`, retained: net/ha/availability);
 *   `dev` {ids, name, mf, mdl, sw[, hw, sa, cns]} and `o` {name, sw[, url]} (A.4);
 *
 * with HA's abbreviations (A.5, and homeassistant/components/mqtt/abbreviations.py for the
 * rest) to keep payloads small. Sensors (A.7): `stat_t`, `dev_cla`, `unit_of_meas`, `stat_cla`;
 * heart rate `bpm` and SpO2 `%` without a device class; diagnostics with `ent_cat:
 * diagnostic`. HVAC relays are read-only `binary_sensor`s (A.7's design rule), so HA controls
 * the system through the climate entity only. The climate (A.7, A.8): modes, presets (never
 * `none`, given with their command topic), fan modes, action, current temperature and
 * humidity, the single set point and the heat_cool low/high pair, unit, min/max and step.
 *
 * Budget: every discovery PUBLISH (QoS 1, topic included) fits DISCOVERY_PACKET_LIMIT = 1536
 * bytes with the longest options allowed (prefixes of 32 bytes, a 32-character device id,
 * 32-character names; test/net/ha/discovery.test.ts builds that worst case), and
 * discoveryMessages() throws rather than produce a larger one. Sensors are 320-420 bytes; the
 * climate about 1.3 KB, 343 bytes of it the six command templates that carry the sending time
 * (the staleness rule, net/commands/parse); without them it would be about 930. So the MQTT
 * client's maxPacket (its transmit buffer, default 1024, net/mqtt/client) must be at least
 * 1536: 512 bytes more than its default, which is also esp-mqtt's default buffer (Tasmota's
 * MAX_PACKET_SIZE is 1000, peer-defaults §3). To stay small, the climate names the
 * device by its identifiers only (HA merges device information across configs; every other
 * entity carries the full block), topics are `~`-relative, and keys are abbreviated.
 *
 * Pure: builds strings; the caller publishes them (and re-publishes on every connect and after
 * HA's birth, net/ha/resend).
 */
import { type Topics, isKey, utf8Length } from "net/topics";
import { type ClimateLimits, type Unit, FAN_MODES, MODES, PRESETS, fromCelsius, round } from "net/commands/types";

export const DISCOVERY_PACKET_LIMIT = 1536;

/**
 * The command template Home Assistant renders for every climate command: the value and the
 * time it was sent, as the compact form of a command, `["heat",1768456800.123]` (the
 * staleness rule, net/commands/parse). `to_json` is HA's JSON filter (strings quoted, numbers
 * bare); now().timestamp() is HA's wall time in seconds. The shortest template that carries
 * the time: the climate repeats it six times.
 */
export const COMMAND_TEMPLATE = "{{[value,now().timestamp()]|to_json}}";

export type Profile = "thermostat" | "wearable";
export type Component = "sensor" | "binary_sensor" | "climate";

/** One entity: what its discovery config says, before topics and the device block. */
export interface EntitySpec {
	readonly key: string;
	readonly component: Component;
	/** null: the entity is named after the device (the climate). */
	readonly name: string | null;
	readonly deviceClass?: string;
	readonly unit?: string;
	readonly stateClass?: "measurement" | "total_increasing";
	readonly diagnostic?: boolean;
	/** suggested_display_precision */
	readonly precision?: number;
	readonly icon?: string;
	/** A JSON attributes topic `~/state/<attributes>`. */
	readonly attributes?: string;
}

export interface DeviceInfo {
	/** Device name shown in HA (1..32 characters). */
	readonly name: string;
	readonly manufacturer: string;
	readonly model: string;
	readonly swVersion: string;
	readonly hwVersion?: string;
	readonly suggestedArea?: string;
	/** MAC as "aa:bb:cc:dd:ee:ff": adds `cns` [["mac", ...]]. */
	readonly mac?: string;
}

export interface OriginInfo {
	readonly name: string;
	readonly swVersion: string;
	readonly url?: string;
}

export interface DiscoveryOptions {
	readonly topics: Topics;
	readonly profile: Profile;
	readonly device: DeviceInfo;
	/** Default: "aiot-firmware" with the device's sw version. */
	readonly origin?: OriginInfo;
	/** The thermostat's climate; default DEFAULT_LIMITS of net/commands/types. Its unit is the temperature sensor's too. */
	readonly climate?: ClimateLimits;
	/** Thermostat: a pressure sensor (BME280). Default false. */
	readonly pressure?: boolean;
	/** Thermostat: an occupancy estimate besides the PIR's motion. Default false. */
	readonly occupancy?: boolean;
	/** Thermostat relays published as read-only binary sensors. Default ["heat", "cool", "fan"]. */
	readonly relays?: readonly string[];
	/** Measurement sensors' expire_after, s (0 or absent: none). The state must then be re-published within it. */
	readonly expireAfterS?: number;
	/** Largest PUBLISH allowed (the MQTT client's maxPacket); default DISCOVERY_PACKET_LIMIT. */
	readonly maxPacket?: number;
}

export interface DiscoveryMessage {
	readonly key: string;
	readonly component: Component;
	readonly uniqueId: string;
	readonly topic: string;
	/** JSON text; publish retained. */
	readonly payload: string;
	/** UTF-8 bytes of the payload. */
	readonly bytes: number;
	/** Bytes of the whole PUBLISH packet at QoS 1. */
	readonly packetBytes: number;
}

const MAX_TEXT = 32;
const MAX_VERSION = 16;

const DIAGNOSTICS: readonly EntitySpec[] = Object.freeze([
	{ key: "rssi", component: "sensor", name: "RSSI", deviceClass: "signal_strength", unit: "dBm", stateClass: "measurement", diagnostic: true },
	{ key: "uptime", component: "sensor", name: "Uptime", deviceClass: "duration", unit: "s", stateClass: "total_increasing", diagnostic: true },
	{ key: "queue", component: "sensor", name: "Queue depth", stateClass: "measurement", diagnostic: true, icon: "mdi:tray-full" },
	{ key: "dropped", component: "sensor", name: "Dropped records", stateClass: "total_increasing", diagnostic: true, icon: "mdi:delete-alert" },
	{ key: "fault", component: "binary_sensor", name: "Fault", deviceClass: "problem", diagnostic: true, attributes: "faults" },
] as EntitySpec[]);

/** Bytes of a PUBLISH packet (MQTT 3.1.1 §3.3): fixed header, topic, packet id at QoS > 0, payload. */
export function packetBytes(topic: string, payloadBytes: number, qos = 1): number {
	const remaining = 2 + utf8Length(topic) + (qos > 0 ? 2 : 0) + payloadBytes;
	const lengthBytes = remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4;
	return 1 + lengthBytes + remaining;
}

function text(value: unknown, what: string, max = MAX_TEXT): string {
	if (typeof value !== "string" || value.length === 0 || value.length > max) throw new RangeError(`discovery: ${what}`);
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff)) throw new RangeError(`discovery: ${what}`);
	}
	return value;
}

function temperatureUnit(unit: Unit): string {
	return unit === "F" ? "°F" : "°C";
}

/** The entities of a profile, in publishing order. */
export function entities(options: DiscoveryOptions): readonly EntitySpec[] {
	const list: EntitySpec[] = [];
	if (options.profile === "thermostat") {
		const unit = temperatureUnit((options.climate ?? DEFAULT_CLIMATE).unit);
		list.push({ key: "temperature", component: "sensor", name: "Temperature", deviceClass: "temperature", unit, stateClass: "measurement", precision: 1 });
		list.push({ key: "humidity", component: "sensor", name: "Humidity", deviceClass: "humidity", unit: "%", stateClass: "measurement", precision: 0 });
		if (options.pressure) list.push({ key: "pressure", component: "sensor", name: "Pressure", deviceClass: "atmospheric_pressure", unit: "hPa", stateClass: "measurement", precision: 1 });
		list.push({ key: "motion", component: "binary_sensor", name: "Motion", deviceClass: "motion" });
		if (options.occupancy) list.push({ key: "occupancy", component: "binary_sensor", name: "Occupancy", deviceClass: "occupancy" });
		for (const relay of options.relays ?? DEFAULT_RELAYS) {
			if (!isKey(relay)) throw new RangeError(`discovery: relay ${JSON.stringify(relay)}`);
			list.push({ key: `relay_${relay}`, component: "binary_sensor", name: `Relay ${relay}`, deviceClass: "running", diagnostic: true });
		}
		list.push({ key: "climate", component: "climate", name: null });
	} else if (options.profile === "wearable") {
		list.push({ key: "heart_rate", component: "sensor", name: "Heart rate", unit: "bpm", stateClass: "measurement", precision: 0, icon: "mdi:heart-pulse" });
		list.push({ key: "spo2", component: "sensor", name: "SpO2", unit: "%", stateClass: "measurement", precision: 0 });
		list.push({ key: "motion", component: "binary_sensor", name: "Motion", deviceClass: "motion" });
	} else throw new RangeError("discovery: profile");
	list.push(...DIAGNOSTICS);
	return list;
}

const DEFAULT_RELAYS: readonly string[] = Object.freeze(["heat", "cool", "fan"]);
const DEFAULT_CLIMATE: ClimateLimits = Object.freeze({ unit: "C", minC: 7, maxC: 35, minDifferentialC: 0.5 });

/** Climate state keys (`~/state/<key>`), published by the state publisher. */
export const ClimateState = Object.freeze({
	MODE: "mode",
	ACTION: "action",
	/** The single set point: heat's in heat mode, cool's in cool mode, `None` otherwise. */
	TARGET: "target",
	/** heat_cool's pair: the set points in heat_cool, `None` otherwise. */
	TARGET_LO: "target_lo",
	TARGET_HI: "target_hi",
	/** A preset name, or `none`. */
	PRESET: "preset",
	FAN_MODE: "fan_mode",
});

function deviceBlock(device: DeviceInfo, id: string): Record<string, unknown> {
	const block: Record<string, unknown> = {
		ids: [id],
		name: text(device.name, "device.name"),
		mf: text(device.manufacturer, "device.manufacturer"),
		mdl: text(device.model, "device.model"),
		sw: text(device.swVersion, "device.swVersion", MAX_VERSION),
	};
	if (device.hwVersion !== undefined) block.hw = text(device.hwVersion, "device.hwVersion", MAX_VERSION);
	if (device.suggestedArea !== undefined) block.sa = text(device.suggestedArea, "device.suggestedArea");
	if (device.mac !== undefined) {
		if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(device.mac)) throw new RangeError("discovery: device.mac");
		block.cns = [["mac", device.mac]];
	}
	return block;
}

function originBlock(origin: OriginInfo): Record<string, unknown> {
	const block: Record<string, unknown> = { name: text(origin.name, "origin.name"), sw: text(origin.swVersion, "origin.swVersion", MAX_VERSION) };
	if (origin.url !== undefined) block.url = text(origin.url, "origin.url", 64);
	return block;
}

function checkLimits(c: ClimateLimits): void {
	if (c.unit !== "C" && c.unit !== "F") throw new RangeError("discovery: climate.unit");
	if (!(Number.isFinite(c.minC) && Number.isFinite(c.maxC) && c.maxC - c.minC >= c.minDifferentialC && c.minDifferentialC >= 0))
		throw new RangeError("discovery: climate limits");
	if (c.step !== undefined && !(c.step > 0 && c.step <= 5)) throw new RangeError("discovery: climate.step");
	if (c.modes && (c.modes.length === 0 || c.modes.some((m) => !MODES.includes(m)))) throw new RangeError("discovery: climate.modes");
	if (c.presets && c.presets.some((p) => p === "none" as string || !PRESETS.includes(p))) throw new RangeError("discovery: climate.presets");
	if (c.fanModes && (c.fanModes.length === 0 || c.fanModes.some((m) => !FAN_MODES.includes(m)))) throw new RangeError("discovery: climate.fanModes");
}

function climateFields(payload: Record<string, unknown>, topics: Topics, c: ClimateLimits): void {
	const state = (key: string): string => topics.relative(topics.state(key));
	const command = (kind: string): string => topics.relative(topics.command(kind));
	payload.mode_cmd_t = command("mode");
	payload.mode_cmd_tpl = COMMAND_TEMPLATE;
	payload.mode_stat_t = state(ClimateState.MODE);
	payload.modes = c.modes ?? MODES;
	payload.temp_cmd_t = command("target");
	payload.temp_cmd_tpl = COMMAND_TEMPLATE;
	payload.temp_stat_t = state(ClimateState.TARGET);
	payload.temp_lo_cmd_t = command("target_lo");
	payload.temp_lo_cmd_tpl = COMMAND_TEMPLATE;
	payload.temp_lo_stat_t = state(ClimateState.TARGET_LO);
	payload.temp_hi_cmd_t = command("target_hi");
	payload.temp_hi_cmd_tpl = COMMAND_TEMPLATE;
	payload.temp_hi_stat_t = state(ClimateState.TARGET_HI);
	payload.curr_temp_t = state("temperature");
	payload.curr_hum_t = state("humidity");
	payload.act_t = state(ClimateState.ACTION);
	payload.pr_mode_cmd_t = command("preset");
	payload.pr_mode_cmd_tpl = COMMAND_TEMPLATE;
	payload.pr_mode_stat_t = state(ClimateState.PRESET);
	payload.pr_modes = c.presets ?? PRESETS.filter((p) => p !== "none");
	payload.fan_mode_cmd_t = command("fan_mode");
	payload.fan_mode_cmd_tpl = COMMAND_TEMPLATE;
	payload.fan_mode_stat_t = state(ClimateState.FAN_MODE);
	payload.fan_modes = c.fanModes ?? FAN_MODES;
	payload.temp_unit = c.unit;
	payload.min_temp = round(fromCelsius(c.minC, c.unit), 1);
	payload.max_temp = round(fromCelsius(c.maxC, c.unit), 1);
	payload.temp_step = c.step ?? (c.unit === "F" ? 1 : 0.5);
	payload.qos = 1; // HA publishes commands at QoS 1: they carry their time, so a redelivered one is judged by it
}

/** Every discovery config of the device, in publishing order. Throws RangeError("discovery: ...") on a bad option. */
export function discoveryMessages(options: DiscoveryOptions): readonly DiscoveryMessage[] {
	const topics = options.topics;
	const id = topics.deviceId;
	const device = deviceBlock(options.device, id);
	const origin = originBlock(options.origin ?? { name: "aiot-firmware", swVersion: options.device.swVersion });
	const climate = options.climate ?? DEFAULT_CLIMATE;
	checkLimits(climate);
	const expire = options.expireAfterS ?? 0;
	if (!(Number.isInteger(expire) && expire >= 0)) throw new RangeError("discovery: expireAfterS");
	const maxPacket = options.maxPacket ?? DISCOVERY_PACKET_LIMIT;
	const availability = topics.relative(topics.availability);
	const messages: DiscoveryMessage[] = [];
	for (const spec of entities(options)) {
		const uniqueId = `${id}_${spec.key}`;
		const payload: Record<string, unknown> = { "~": topics.base, name: spec.name, uniq_id: uniqueId };
		if (spec.component === "climate") climateFields(payload, topics, climate);
		else {
			payload.stat_t = topics.relative(topics.state(spec.key));
			if (spec.deviceClass) payload.dev_cla = spec.deviceClass;
			if (spec.unit) payload.unit_of_meas = spec.unit;
			if (spec.stateClass) payload.stat_cla = spec.stateClass;
			if (spec.precision !== undefined) payload.sug_dsp_prc = spec.precision;
			if (spec.icon) payload.ic = spec.icon;
			if (spec.attributes) payload.json_attr_t = topics.relative(topics.state(spec.attributes));
			if (spec.diagnostic) payload.ent_cat = "diagnostic";
			if (expire > 0 && spec.stateClass === "measurement" && !spec.diagnostic) payload.exp_aft = expire;
		}
		payload.avty_t = availability;
		// The climate, the largest payload, names the device by its identifiers only: HA merges
		// device information from every config that names the same identifiers (A.4), and every
		// other entity carries the full block.
		payload.dev = spec.component === "climate" ? { ids: device.ids } : device;
		payload.o = origin;
		const json = JSON.stringify(payload);
		const topic = topics.discovery(spec.component, uniqueId);
		const bytes = utf8Length(json);
		const packet = packetBytes(topic, bytes);
		if (packet > maxPacket) throw new RangeError(`discovery: ${spec.key} config is a ${packet}-byte packet, over ${maxPacket}`);
		messages.push(Object.freeze({ key: spec.key, component: spec.component, uniqueId, topic, payload: json, bytes, packetBytes: packet }));
	}
	return Object.freeze(messages);
}

/** The discovery topics of `before` that `after` no longer has: publish an empty retained payload to each (A.2). */
export function removedTopics(before: readonly DiscoveryMessage[], after: readonly DiscoveryMessage[]): readonly string[] {
	const kept = after.map((m) => m.topic);
	return before.map((m) => m.topic).filter((topic) => !kept.includes(topic));
}

// @host --creation budget
// Home Assistant discovery payloads (net/ha/discovery), built within the device's memory budget, checked against the facts in
// ../shared/reference/interop-protocols.md Part A: every payload is JSON, expands (A.5: HA's
// abbreviations and the `~` base topic) into a config with the keys its platform requires
// (A.7) and the device and origin blocks (A.4), with availability (A.3); unique_ids are
// unique; topics agree with net/topics and with what the command parser accepts; only HA's
// abbreviations are used; every PUBLISH fits the 1024-byte budget, also with the longest
// options allowed. The sizes are printed (`size <key> <payload> <packet>`).
import { test, ok, equal, deepEqual, throws } from "test/harness";
import { Topics } from "net/topics";
import {
	COMMAND_TEMPLATE, DISCOVERY_PACKET_LIMIT, type DiscoveryMessage, type DiscoveryOptions,
	discoveryMessages, entities, packetBytes, removedTopics,
} from "net/ha/discovery";
import { KINDS, parseCommand } from "net/commands/parse";
import type { ClimateLimits } from "net/commands/types";

/*
 * HA's abbreviations for the keys a config may use (A.5; the rest from home-assistant/core
 * homeassistant/components/mqtt/abbreviations.py, ABBREVIATIONS, DEVICE_ABBREVIATIONS and
 * ORIGIN_ABBREVIATIONS). Keys HA lists as their own abbreviation (name, modes, min_temp,
 * max_temp) are full names. A payload may use a full key only where HA has no abbreviation.
 */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
	act_t: "action_topic", avty_t: "availability_topic", cmd_t: "command_topic", curr_hum_t: "current_humidity_topic",
	curr_temp_t: "current_temperature_topic", dev: "device", dev_cla: "device_class", ent_cat: "entity_category",
	exp_aft: "expire_after", fan_mode_cmd_t: "fan_mode_command_topic", fan_mode_cmd_tpl: "fan_mode_command_template",
	fan_mode_stat_t: "fan_mode_state_topic", ic: "icon", json_attr_t: "json_attributes_topic",
	max_temp: "max_temp", min_temp: "min_temp", mode_cmd_t: "mode_command_topic", mode_cmd_tpl: "mode_command_template",
	mode_stat_t: "mode_state_topic", modes: "modes", name: "name", o: "origin", pr_mode_cmd_t: "preset_mode_command_topic",
	pr_mode_cmd_tpl: "preset_mode_command_template", pr_mode_stat_t: "preset_mode_state_topic", pr_modes: "preset_modes",
	stat_cla: "state_class", stat_t: "state_topic", sug_dsp_prc: "suggested_display_precision",
	temp_cmd_t: "temperature_command_topic", temp_cmd_tpl: "temperature_command_template",
	temp_hi_cmd_t: "temperature_high_command_topic", temp_hi_cmd_tpl: "temperature_high_command_template",
	temp_hi_stat_t: "temperature_high_state_topic", temp_lo_cmd_t: "temperature_low_command_topic",
	temp_lo_cmd_tpl: "temperature_low_command_template", temp_lo_stat_t: "temperature_low_state_topic",
	temp_stat_t: "temperature_state_topic", temp_unit: "temperature_unit", uniq_id: "unique_id",
	unit_of_meas: "unit_of_measurement",
};
const DEVICE_ABBREVIATIONS: Readonly<Record<string, string>> = {
	cns: "connections", cu: "configuration_url", ids: "identifiers", name: "name", mf: "manufacturer", mdl: "model",
	mdl_id: "model_id", hw: "hw_version", sw: "sw_version", sa: "suggested_area", sn: "serial_number",
};
const ORIGIN_ABBREVIATIONS: Readonly<Record<string, string>> = { name: "name", sw: "sw_version", url: "support_url" };
/** Full keys HA has no abbreviation for (climate.py / mqtt schema), allowed as they are. */
const UNABBREVIATED = ["~", "fan_modes", "temp_step", "qos"];

/*
 * Required keys per platform, from interop-protocols.md:
 *   A.7 sensor: state_topic required; entity_category, if set, must be diagnostic.
 *   A.7 binary_sensor: state_topic required.
 *   A.7 climate: no key strictly required; preset_mode_command_topic and preset_modes together,
 *       preset_modes without "none"; temperature_low/high_* for the dual set point;
 *       temperature_unit C or F; action values off, heating, cooling, drying, idle, fan.
 *   A.4 device: identifiers or connections; name when several entities share the device;
 *       takes effect only with a unique_id. origin: name (and sw_version, support_url).
 *   A.3 availability_topic (payloads default online / offline).
 * Plus this project's rules: every entity has unique_id, availability_topic, device, origin.
 */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
	sensor: ["state_topic"],
	binary_sensor: ["state_topic"],
	climate: [],
};
const PROJECT_REQUIRED = ["unique_id", "availability_topic", "device", "origin"];
const CLIMATE_EXPECTED = [
	"mode_command_topic", "mode_state_topic", "modes", "temperature_command_topic", "temperature_state_topic",
	"temperature_low_command_topic", "temperature_low_state_topic", "temperature_high_command_topic",
	"temperature_high_state_topic", "current_temperature_topic", "current_humidity_topic", "action_topic",
	"preset_mode_command_topic", "preset_mode_state_topic", "preset_modes", "fan_mode_command_topic",
	"fan_mode_state_topic", "fan_modes", "temperature_unit", "min_temp", "max_temp", "temp_step",
];
/** HA device classes (A.7 names some; the rest are HA's SensorDeviceClass / BinarySensorDeviceClass values used here). */
const SENSOR_CLASSES = ["temperature", "humidity", "atmospheric_pressure", "signal_strength", "duration"];
const BINARY_CLASSES = ["motion", "occupancy", "problem", "running"];

const DEVICE = { name: "Thermostat", manufacturer: "Acme", model: "T1", swVersion: "0.1.0" };

function options(extra: Partial<DiscoveryOptions> = {}): DiscoveryOptions {
	return { topics: new Topics({ prefix: "aiot", deviceId: "a1b2c3d4e5f6" }), profile: "thermostat", device: DEVICE, ...extra };
}

/** The config HA builds from a payload: abbreviations expanded (top level, dev, o), `~` expanded in *_topic values (A.5). */
function expand(payload: string): Record<string, unknown> {
	const raw = JSON.parse(payload) as Record<string, unknown>;
	const base = raw["~"] as string | undefined;
	const config: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(raw)) {
		if (key === "~") continue;
		const full = ABBREVIATIONS[key] ?? key;
		let expanded = value;
		if (key === "dev" || key === "o") {
			const table = key === "dev" ? DEVICE_ABBREVIATIONS : ORIGIN_ABBREVIATIONS;
			const block: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) block[table[k] ?? k] = v;
			expanded = block;
		}
		if (full.endsWith("_topic") && typeof value === "string" && base !== undefined) {
			if (value.startsWith("~")) expanded = base + value.slice(1);
			else if (value.endsWith("~")) expanded = value.slice(0, -1) + base;
		}
		config[full] = expanded;
	}
	return config;
}

function all(): { label: string; messages: readonly DiscoveryMessage[] }[] {
	const wearable = new Topics({ prefix: "aiot", deviceId: "0a1b2c3d4e5f" });
	return [
		{ label: "thermostat", messages: discoveryMessages(options()) },
		{ label: "thermostat-full", messages: discoveryMessages(options({ pressure: true, occupancy: true, relays: ["heat", "heat2", "cool", "fan"], expireAfterS: 300 })) },
		{ label: "thermostat-F", messages: discoveryMessages(options({ climate: { unit: "F", minC: 7, maxC: 35, minDifferentialC: 5 / 9 } })) },
		{ label: "wearable", messages: discoveryMessages({ topics: wearable, profile: "wearable", device: { ...DEVICE, name: "Band", model: "W1" } }) },
	];
}

test("prints-payload-sizes", () => {
	for (const { label, messages } of all())
		for (const m of messages) trace(`size ${label} ${m.component}/${m.key} payload ${m.bytes} packet ${m.packetBytes}\n`);
});

test("every-payload-is-json-with-the-keys-its-platform-requires", () => {
	for (const { label, messages } of all()) {
		for (const m of messages) {
			const config = expand(m.payload);
			for (const key of [...REQUIRED[m.component], ...PROJECT_REQUIRED])
				ok(config[key] !== undefined, `${label} ${m.key}: ${key}`);
			const device = config.device as Record<string, unknown>;
			ok(Array.isArray(device.identifiers) && (device.identifiers as unknown[]).length > 0, "A.4: identifiers");
			if (m.component === "climate") deepEqual(Object.keys(device), ["identifiers"], "the climate names the device by identifiers");
			else {
				ok(typeof device.name === "string", "A.4: name, entities share the device");
				for (const key of ["manufacturer", "model", "sw_version"]) equal(typeof device[key], "string", `${m.key} device.${key}`);
			}
			equal(typeof (config.origin as Record<string, unknown>).name, "string", "A.4: origin name");
			equal(config.unique_id, m.uniqueId);
			if (config.entity_category !== undefined) equal(config.entity_category, "diagnostic", "A.7");
			if (m.component === "sensor" && config.device_class !== undefined) ok(SENSOR_CLASSES.includes(config.device_class as string), `${m.key} class`);
			if (m.component === "binary_sensor") ok(BINARY_CLASSES.includes(config.device_class as string), `${m.key} class`);
			if (m.component === "climate") {
				for (const key of CLIMATE_EXPECTED) ok(config[key] !== undefined, `${label} climate: ${key}`);
				ok(!(config.preset_modes as string[]).includes("none"), "A.7: preset_modes without none");
				ok(["C", "F"].includes(config.temperature_unit as string), "A.7: temperature_unit");
				equal(config.name, null, "climate named after the device");
			}
		}
	}
});

test("uses-only-ha-abbreviations-and-abbreviates-where-ha-can", () => {
	const fullNames = Object.values(ABBREVIATIONS);
	for (const { label, messages } of all()) {
		for (const m of messages) {
			const raw = JSON.parse(m.payload) as Record<string, unknown>;
			for (const key of Object.keys(raw)) {
				ok(key in ABBREVIATIONS || UNABBREVIATED.includes(key), `${label} ${m.key}: ${key} is not an HA abbreviation`);
				ok(!fullNames.includes(key) || ABBREVIATIONS[key] === key, `${label} ${m.key}: ${key} has an abbreviation`);
			}
			for (const key of Object.keys(raw.dev as object)) ok(key in DEVICE_ABBREVIATIONS, `dev.${key}`);
			for (const key of Object.keys(raw.o as object)) ok(key in ORIGIN_ABBREVIATIONS, `o.${key}`);
		}
	}
});

test("unique-ids-and-discovery-topics-are-unique-and-follow-a1", () => {
	for (const { messages } of all()) {
		const ids = messages.map((m) => m.uniqueId);
		equal(new Set(ids).size, ids.length, "unique_ids");
		equal(new Set(messages.map((m) => m.topic)).size, ids.length, "topics");
		for (const m of messages) {
			equal(m.topic, `homeassistant/${m.component}/${m.uniqueId}/config`, "A.1: object_id = unique_id, no node_id");
			ok(/^[a-zA-Z0-9_-]+$/.test(m.uniqueId), "A.1 characters");
		}
	}
	const thermostat = discoveryMessages(options()).map((m) => m.uniqueId);
	const other = discoveryMessages(options({ topics: new Topics({ prefix: "aiot", deviceId: "ffeeddccbbaa" }) })).map((m) => m.uniqueId);
	ok(thermostat.every((id) => !other.includes(id)), "unique across devices");
});

test("topics-are-consistent-with-net-topics", () => {
	const topics = new Topics({ prefix: "aiot", deviceId: "a1b2c3d4e5f6" });
	for (const m of discoveryMessages(options({ pressure: true, occupancy: true }))) {
		const config = expand(m.payload);
		equal(config.availability_topic, topics.availability);
		for (const [key, value] of Object.entries(config)) {
			if (!key.endsWith("_topic") || key === "availability_topic") continue;
			const topic = value as string;
			if (key.endsWith("_command_topic")) {
				const kind = topics.commandKind(topic);
				ok(kind !== undefined && (KINDS as readonly string[]).includes(kind), `${m.key} ${key} ${topic}`);
			} else ok(topic.startsWith(`${topics.base}/state/`) && topic.split("/").length === 4, `${m.key} ${key} ${topic}`);
		}
		if (m.component !== "climate") equal(config.state_topic, topics.state(m.key));
	}
	const climate = expand(discoveryMessages(options()).find((m) => m.component === "climate")!.payload);
	equal(climate.current_temperature_topic, topics.state("temperature"), "the climate shares the sensor's state");
	equal(climate.current_humidity_topic, topics.state("humidity"));
});

test("command-template-renders-to-a-command-the-parser-accepts", () => {
	const climate = expand(discoveryMessages(options()).find((m) => m.component === "climate")!.payload);
	const topics = new Topics({ prefix: "aiot", deviceId: "a1b2c3d4e5f6" });
	const now = Date.UTC(2026, 0, 15, 6, 0, 0);
	// HA renders the template with `value` (a string for modes, a float for temperatures) and now()
	// HA renders the template with `value` (a string for modes, a float for temperatures) and
	// now() (a datetime; timestamp() has microseconds); to_json is orjson: no spaces
	const render = (template: string, value: string | number): Uint8Array => {
		equal(template, "{{[value,now().timestamp()]|to_json}}", "the template this renderer knows");
		return new Uint8Array(ArrayBuffer.fromString(JSON.stringify([value, now / 1000 - 1.234567])));
	};
	const cases: [string, string, string | number][] = [
		["mode_command_topic", "mode_command_template", "heat_cool"],
		["temperature_command_topic", "temperature_command_template", 21.5],
		["temperature_low_command_topic", "temperature_low_command_template", 20],
		["temperature_high_command_topic", "temperature_high_command_template", 24],
		["preset_mode_command_topic", "preset_mode_command_template", "eco"],
		["fan_mode_command_topic", "fan_mode_command_template", "circulate"],
	];
	const context = { retained: false, climate: { unit: "C", minC: 7, maxC: 35, minDifferentialC: 0.5 } as ClimateLimits, current: { mode: "heat" as const, heat: 19, cool: 25 } };
	for (const [topicKey, templateKey, value] of cases) {
		equal(climate[templateKey], COMMAND_TEMPLATE, templateKey);
		const kind = topics.commandKind(climate[topicKey] as string)!;
		const result = parseCommand(kind, render(climate[templateKey] as string, value), now, context);
		ok("ok" in result, `${kind}: ${JSON.stringify(result)}`);
	}
	equal(climate.qos, 1, "HA publishes commands at QoS 1");
});

test("climate-advertises-modes-presets-fan-modes-and-limits", () => {
	const climate = expand(discoveryMessages(options()).find((m) => m.component === "climate")!.payload);
	deepEqual(climate.modes, ["off", "heat", "cool", "heat_cool", "fan_only"]);
	deepEqual(climate.preset_modes, ["home", "away", "sleep", "eco", "boost", "comfort", "activity"]);
	deepEqual(climate.fan_modes, ["auto", "on", "circulate"]);
	equal(climate.temperature_unit, "C");
	equal(climate.min_temp, 7);
	equal(climate.max_temp, 35);
	equal(climate.temp_step, 0.5);
	const f = expand(discoveryMessages(options({ climate: { unit: "F", minC: 7, maxC: 35, minDifferentialC: 0.5 } })).find((m) => m.component === "climate")!.payload);
	equal(f.temperature_unit, "F");
	equal(f.min_temp, 44.6, "7 °C");
	equal(f.max_temp, 95, "35 °C");
	equal(f.temp_step, 1);
	const temperature = expand(discoveryMessages(options({ climate: { unit: "F", minC: 7, maxC: 35, minDifferentialC: 0.5 } })).find((m) => m.key === "temperature")!.payload);
	equal(temperature.unit_of_measurement, "°F", "the sensor reports in the climate's unit");
	const narrow = expand(discoveryMessages(options({ climate: { unit: "C", minC: 10, maxC: 30, minDifferentialC: 1, step: 0.1, modes: ["off", "heat"], presets: ["home", "away"], fanModes: ["auto"] } }))
		.find((m) => m.component === "climate")!.payload);
	deepEqual(narrow.modes, ["off", "heat"]);
	deepEqual(narrow.preset_modes, ["home", "away"]);
	deepEqual(narrow.fan_modes, ["auto"]);
	equal(narrow.temp_step, 0.1);
});

test("entity-sets-per-profile", () => {
	deepEqual(entities(options()).map((e) => `${e.component}/${e.key}`), [
		"sensor/temperature", "sensor/humidity", "binary_sensor/motion", "binary_sensor/relay_heat", "binary_sensor/relay_cool",
		"binary_sensor/relay_fan", "climate/climate", "sensor/rssi", "sensor/uptime", "sensor/queue", "sensor/dropped", "binary_sensor/fault",
	]);
	deepEqual(entities(options({ pressure: true, occupancy: true })).slice(0, 5).map((e) => e.key), ["temperature", "humidity", "pressure", "motion", "occupancy"]);
	deepEqual(entities(options({ profile: "wearable" })).map((e) => `${e.component}/${e.key}`), [
		"sensor/heart_rate", "sensor/spo2", "binary_sensor/motion", "sensor/rssi", "sensor/uptime", "sensor/queue", "sensor/dropped", "binary_sensor/fault",
	]);
	const wearable = discoveryMessages(options({ profile: "wearable" })).map((m) => expand(m.payload));
	const hr = wearable.find((c) => c.unique_id === "a1b2c3d4e5f6_heart_rate")!;
	equal(hr.unit_of_measurement, "bpm");
	equal(hr.device_class, undefined, "A.7: heart rate has no device class");
	equal(hr.state_class, "measurement");
	const spo2 = wearable.find((c) => c.unique_id === "a1b2c3d4e5f6_spo2")!;
	equal(spo2.unit_of_measurement, "%");
	equal(spo2.device_class, undefined, "A.7: SpO2 has no device class");
	ok(!wearable.some((c) => c.mode_command_topic !== undefined), "no climate on the wearable");
});

test("relays-are-read-only-diagnostic-binary-sensors", () => {
	for (const m of discoveryMessages(options({ relays: ["heat", "heat2", "cool", "fan"] })).filter((m) => m.key.startsWith("relay_"))) {
		equal(m.component, "binary_sensor");
		const config = expand(m.payload);
		equal(config.command_topic, undefined, "A.7: no command topic");
		equal(config.entity_category, "diagnostic");
		equal(config.device_class, "running");
	}
});

test("diagnostics-are-diagnostic", () => {
	const diagnostics = ["rssi", "uptime", "queue", "dropped", "fault"];
	for (const m of discoveryMessages(options())) {
		const config = expand(m.payload);
		if (diagnostics.includes(m.key)) equal(config.entity_category, "diagnostic", m.key);
	}
	const byKey = (key: string) => expand(discoveryMessages(options()).find((m) => m.key === key)!.payload);
	equal(byKey("rssi").unit_of_measurement, "dBm");
	equal(byKey("uptime").state_class, "total_increasing");
	equal(byKey("dropped").state_class, "total_increasing");
	equal(byKey("fault").device_class, "problem");
	equal(byKey("fault").json_attributes_topic, "aiot/a1b2c3d4e5f6/state/faults");
});

test("expire-after-only-on-measurements", () => {
	for (const m of discoveryMessages(options({ expireAfterS: 300 }))) {
		const config = expand(m.payload);
		const expected = ["temperature", "humidity"].includes(m.key) ? 300 : undefined;
		equal(config.expire_after, expected, m.key);
	}
	for (const m of discoveryMessages(options())) equal(expand(m.payload).expire_after, undefined);
});

test("device-block-optional-fields", () => {
	const m = discoveryMessages(options({ device: { ...DEVICE, hwVersion: "rev B", suggestedArea: "Hall", mac: "02:5b:26:a8:dc:12" }, origin: { name: "aiot", swVersion: "0.1.0", url: "https://example.com/aiot" } }))[0];
	const config = expand(m.payload);
	deepEqual(config.device, {
		identifiers: ["a1b2c3d4e5f6"], name: "Thermostat", manufacturer: "Acme", model: "T1", sw_version: "0.1.0",
		hw_version: "rev B", suggested_area: "Hall", connections: [["mac", "02:5b:26:a8:dc:12"]],
	});
	deepEqual(config.origin, { name: "aiot", sw_version: "0.1.0", support_url: "https://example.com/aiot" });
	deepEqual(expand(discoveryMessages(options())[0].payload).origin, { name: "aiot-firmware", sw_version: "0.1.0" }, "default origin");
});

test("every-publish-fits-the-packet-budget-even-with-the-longest-options", () => {
	for (const { label, messages } of all())
		for (const m of messages) ok(m.packetBytes <= DISCOVERY_PACKET_LIMIT, `${label} ${m.key}: ${m.packetBytes}`);
	const long = (n: number, c = "x") => c.repeat(n);
	const worst = discoveryMessages({
		topics: new Topics({ prefix: `${long(15, "p")}/${long(16, "q")}`, deviceId: long(32, "d"), discoveryPrefix: long(32, "h") }),
		profile: "thermostat",
		device: { name: long(32), manufacturer: long(32), model: long(32), swVersion: long(16), hwVersion: long(16), suggestedArea: long(32), mac: "02:5b:26:a8:dc:12" },
		origin: { name: long(32), swVersion: long(16), url: long(64) },
		climate: { unit: "F", minC: 7.3, maxC: 34.9, minDifferentialC: 0.5, step: 0.5 },
		pressure: true, occupancy: true, relays: ["heat", "heat2", "cool", "fan", "compressor", "aux", long(18, "r")], expireAfterS: 86400,
	});
	let largest = worst[0];
	for (const m of worst) {
		ok(m.packetBytes <= DISCOVERY_PACKET_LIMIT, `worst case ${m.key}: ${m.packetBytes}`);
		if (m.packetBytes > largest.packetBytes) largest = m;
	}
	trace(`size worst-case largest ${largest.key} payload ${largest.bytes} packet ${largest.packetBytes}\n`);
});

test("packet-size-arithmetic", () => {
	equal(packetBytes("a/b", 10, 0), 1 + 1 + 2 + 3 + 10);
	equal(packetBytes("a/b", 10, 1), 1 + 1 + 2 + 3 + 2 + 10);
	equal(packetBytes("t", 200, 1), 1 + 2 + 2 + 1 + 2 + 200, "two length bytes from 128");
	const m = discoveryMessages(options())[0];
	equal(m.bytes, new Uint8Array(ArrayBuffer.fromString(m.payload)).length, "UTF-8 bytes (°C is 3 bytes)");
});

test("removed-entities-get-an-empty-retained-config", () => {
	const before = discoveryMessages(options({ pressure: true, relays: ["heat", "heat2", "cool", "fan"] }));
	const after = discoveryMessages(options());
	deepEqual(removedTopics(before, after), [
		"homeassistant/sensor/a1b2c3d4e5f6_pressure/config", "homeassistant/binary_sensor/a1b2c3d4e5f6_relay_heat2/config",
	]);
	deepEqual(removedTopics(after, after), []);
});

test("bad-options-throw-range-errors", () => {
	throws(() => discoveryMessages(options({ profile: "toaster" as "wearable" })), RangeError, /discovery: profile/);
	throws(() => discoveryMessages(options({ device: { ...DEVICE, name: "" } })), RangeError, /device\.name/);
	throws(() => discoveryMessages(options({ device: { ...DEVICE, name: "x".repeat(33) } })), RangeError, /device\.name/);
	throws(() => discoveryMessages(options({ device: { ...DEVICE, model: "a\nb" } })), RangeError, /device\.model/);
	throws(() => discoveryMessages(options({ device: { ...DEVICE, mac: "02-5b-26-a8-dc-12" } })), RangeError, /device\.mac/);
	throws(() => discoveryMessages(options({ relays: ["Heat!"] })), RangeError, /relay/);
	throws(() => discoveryMessages(options({ climate: { unit: "K" as "C", minC: 7, maxC: 35, minDifferentialC: 0.5 } })), RangeError, /climate\.unit/);
	throws(() => discoveryMessages(options({ climate: { unit: "C", minC: 30, maxC: 20, minDifferentialC: 0.5 } })), RangeError, /climate limits/);
	throws(() => discoveryMessages(options({ climate: { unit: "C", minC: 7, maxC: 35, minDifferentialC: 0.5, presets: ["none" as "home"] } })), RangeError, /presets/);
	throws(() => discoveryMessages(options({ climate: { unit: "C", minC: 7, maxC: 35, minDifferentialC: 0.5, modes: ["auto" as "off"] } })), RangeError, /modes/);
	throws(() => discoveryMessages(options({ expireAfterS: -1 })), RangeError, /expireAfterS/);
	throws(() => discoveryMessages(options({ maxPacket: 1024 })), RangeError, /discovery: climate config is a \d+-byte packet, over 1024/);
	equal(discoveryMessages(options({ profile: "wearable", maxPacket: 1024 })).length, 8, "the wearable fits the client's default");
});

// net/topics: the topic layout under a prefix and device id, and the validation of both against
// MQTT 3.1.1 §4.7 (no wildcards in topic names, no U+0000, `$` topics are the server's),
// §1.5.3 (well-formed UTF-8, no control characters), no empty levels, the length limits, and
// Home Assistant's object_id characters for the device id (interop-protocols.md A.1).
import { test, ok, equal, throws } from "test/harness";
import {
	MAX_DEVICE_ID, MAX_PREFIX_BYTES, Topics, deviceIdProblem, isKey, isObjectId, prefixProblem, topicProblem, utf8Length,
} from "net/topics";

const topics = new Topics({ prefix: "aiot", deviceId: "a1b2c3d4e5f6" });

test("layout-under-prefix-and-device-id", () => {
	equal(topics.base, "aiot/a1b2c3d4e5f6");
	equal(topics.telemetry, "aiot/a1b2c3d4e5f6/telemetry");
	equal(topics.events, "aiot/a1b2c3d4e5f6/events");
	equal(topics.availability, "aiot/a1b2c3d4e5f6/status");
	equal(topics.state("temperature"), "aiot/a1b2c3d4e5f6/state/temperature");
	equal(topics.command("mode"), "aiot/a1b2c3d4e5f6/cmd/mode");
	equal(topics.commandFilter, "aiot/a1b2c3d4e5f6/cmd/+");
	equal(topics.haStatus, "homeassistant/status");
	equal(topics.discovery("sensor", "a1b2c3d4e5f6_temperature"), "homeassistant/sensor/a1b2c3d4e5f6_temperature/config");
	const other = new Topics({ prefix: "home/hvac", deviceId: "t-1", discoveryPrefix: "ha" });
	equal(other.availability, "home/hvac/t-1/status");
	equal(other.haStatus, "ha/status");
	equal(other.discovery("climate", "t-1_climate"), "ha/climate/t-1_climate/config");
});

test("every-topic-is-a-valid-topic-name", () => {
	for (const topic of [topics.telemetry, topics.events, topics.availability, topics.state("relay_heat"), topics.command("target_lo"), topics.haStatus,
		topics.discovery("binary_sensor", "a1b2c3d4e5f6_motion")])
		equal(topicProblem(topic), undefined, topic);
	ok(topicProblem(topics.commandFilter) !== undefined, "the filter has a wildcard: a filter, not a name");
});

test("command-kind-of-a-topic", () => {
	equal(topics.commandKind("aiot/a1b2c3d4e5f6/cmd/mode"), "mode");
	equal(topics.commandKind("aiot/a1b2c3d4e5f6/cmd/anything_else"), "anything_else", "the parser decides what is known");
	equal(topics.commandKind("aiot/a1b2c3d4e5f6/cmd/"), undefined, "empty kind");
	equal(topics.commandKind("aiot/a1b2c3d4e5f6/cmd"), undefined);
	equal(topics.commandKind("aiot/a1b2c3d4e5f6/cmd/mode/x"), undefined, "deeper levels");
	equal(topics.commandKind("aiot/ffffffffffff/cmd/mode"), undefined, "another device");
	equal(topics.commandKind("aiot/a1b2c3d4e5f6/state/mode"), undefined);
	equal(topics.commandKind("homeassistant/status"), undefined);
});

test("relative-topics-for-discovery", () => {
	equal(topics.relative(topics.state("mode")), "~/state/mode");
	equal(topics.relative("other/topic"), "other/topic");
	equal(topics.relative("aiot/a1b2c3d4e5f6x/state"), "aiot/a1b2c3d4e5f6x/state", "a longer device id is not under base");
});

test("prefix-rules", () => {
	for (const good of ["aiot", "home/aiot", "a/b/c/d/e/f/g/h", "maison/été", "x".repeat(MAX_PREFIX_BYTES), "dev-1_a.b"])
		equal(prefixProblem(good), undefined, good);
	const bad: [unknown, RegExp][] = [
		["", /empty/], ["aiot/", /empty level/], ["/aiot", /empty level/], ["a//b", /empty level/],
		["a/+/b", /wildcard/], ["a/#", /wildcard/], ["ai+ot", /wildcard/], ["$SYS", /\$/], ["a\u0000b", /NUL/],
		["a\nb", /control/], ["a\u0085b", /control/], ["a\ud800b", /surrogate/], ["a\udc00", /surrogate/], ["a\uffff", /non-character/],
		["x".repeat(MAX_PREFIX_BYTES + 1), /longer/], ["é".repeat(17), /longer than 32 bytes/], ["a/b/c/d/e/f/g/h/i", /levels/],
		[42, /not a string/], [undefined, /not a string/],
	];
	for (const [prefix, why] of bad) {
		const problem = prefixProblem(prefix);
		ok(problem !== undefined && why.test(problem), `${JSON.stringify(prefix)}: ${problem}`);
	}
	equal(prefixProblem("a\ud83d\ude00b"), undefined, "a surrogate pair is one character (U+1F600)");
});

test("device-id-rules", () => {
	for (const good of ["a1b2c3d4e5f6", "T-1", "x_y", "d".repeat(MAX_DEVICE_ID)]) equal(deviceIdProblem(good), undefined, good);
	for (const bad of ["", "a b", "a/b", "a.b", "a+b", "a#b", "é", "d".repeat(MAX_DEVICE_ID + 1), null])
		ok(deviceIdProblem(bad) !== undefined, JSON.stringify(bad));
	ok(isObjectId("a1b2c3d4e5f6_climate"));
	ok(!isObjectId("a1b2:climate"));
});

test("constructor-throws-naming-the-option", () => {
	throws(() => new Topics({ prefix: "a/+", deviceId: "x" }), RangeError, /topics: prefix: wildcard/);
	throws(() => new Topics({ prefix: "aiot", deviceId: "a/b" }), RangeError, /topics: deviceId: characters/);
	throws(() => new Topics({ prefix: "aiot", deviceId: "x", discoveryPrefix: "" }), RangeError, /topics: discoveryPrefix: empty/);
	throws(() => new Topics(null as unknown as { prefix: string; deviceId: string }), RangeError, /topics: options/);
	throws(() => topics.state("Temp"), RangeError, /state key/);
	throws(() => topics.state("a/b"), RangeError, /state key/);
	throws(() => topics.command(""), RangeError, /command kind/);
	throws(() => topics.discovery("sensor", "a b"), RangeError, /object_id/);
});

test("keys-and-utf8-length", () => {
	ok(isKey("relay_heat2"));
	ok(!isKey("2relay"), "starts with a letter");
	ok(!isKey("x".repeat(25)), "at most 24");
	equal(utf8Length("aiot"), 4);
	equal(utf8Length("°C"), 3);
	equal(utf8Length("€"), 3);
	equal(utf8Length("\ud83d\ude00"), 4);
	equal(utf8Length("\ud800"), 3, "a lone surrogate counts as U+FFFD would");
});

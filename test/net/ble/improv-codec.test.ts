// Improv RPC frames (spec rev 2.4): the worked example of interop-protocols B.3 and the spec's
// own example frame, chunked assembly, and every way a frame can be wrong.
import { test, equal, deepEqual, ok } from "test/harness";
import { Assembly, FrameAssembler, checksum, encodeResult, isValidHostname, parseOptionalString, parseWifiSettings } from "net/ble/improv-codec";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const ascii = (text: string): number[] => Array.from(new Uint8Array(ArrayBuffer.fromString(text)));

test("checksum-of-the-worked-example-is-0x95", () => {
	// B.3: SSID "ab", password "cd": 01 06 02 61 62 02 63 64, sum 0x195
	equal(checksum(bytes(0x01, 0x06, 0x02, 0x61, 0x62, 0x02, 0x63, 0x64)), 0x95);
});

test("the-spec's-example-frame-assembles-from-20-byte-writes", () => {
	// spec "Send Wi-Fi settings": 01 1E 0C {MyWirelessAP} 10 {mysecurepassword} CS
	const body = [0x01, 0x1e, 0x0c, ...ascii("MyWirelessAP"), 0x10, ...ascii("mysecurepassword")];
	const frame = bytes(...body, checksum(body));
	equal(frame.length, 33);
	const assembler = new FrameAssembler();
	equal(assembler.push(frame.subarray(0, 20)), Assembly.incomplete);
	equal(assembler.pending, 20);
	equal(assembler.push(frame.subarray(20)), Assembly.frame);
	equal(assembler.command(), 1);
	deepEqual(parseWifiSettings(assembler.data()), { ssid: "MyWirelessAP", password: "mysecurepassword" });
	equal(assembler.pending, 0, "reset after a frame");
});

test("byte-by-byte-writes-assemble-too", () => {
	const frame = bytes(0x03, 0x00, 0x03);
	const assembler = new FrameAssembler();
	equal(assembler.push(frame.subarray(0, 1)), Assembly.incomplete);
	equal(assembler.push(frame.subarray(1, 2)), Assembly.incomplete);
	equal(assembler.push(frame.subarray(2)), Assembly.frame);
	equal(assembler.command(), 3);
	equal(assembler.data().length, 0);
});

test("a-bad-checksum-is-invalid-and-resets", () => {
	const assembler = new FrameAssembler();
	equal(assembler.push(bytes(0x02, 0x00, 0x03)), Assembly.invalid);
	equal(assembler.pending, 0);
	equal(assembler.push(bytes(0x02, 0x00, 0x02)), Assembly.frame, "the next frame starts clean");
});

test("bytes-beyond-the-frame-are-invalid", () => {
	const assembler = new FrameAssembler();
	equal(assembler.push(bytes(0x02, 0x00, 0x02, 0x02)), Assembly.invalid);
	equal(assembler.pending, 0);
});

test("a-truncated-frame-spoils-the-next-one-then-recovers", () => {
	const assembler = new FrameAssembler();
	equal(assembler.push(bytes(0x01, 0x06, 0x02, 0x61)), Assembly.incomplete, "the rest never comes");
	equal(assembler.push(bytes(0x03, 0x00, 0x03)), Assembly.incomplete, "appended to the stale frame");
	equal(assembler.push(bytes(0x02, 0x00, 0x02)), Assembly.invalid, "length reached, checksum wrong");
	equal(assembler.push(bytes(0x03, 0x00, 0x03)), Assembly.frame);
});

test("an-empty-write-adds-nothing", () => {
	const assembler = new FrameAssembler();
	equal(assembler.push(new Uint8Array(0)), Assembly.incomplete);
	equal(assembler.pending, 0);
});

test("more-than-a-whole-frame-is-invalid", () => {
	const assembler = new FrameAssembler();
	const chunk = new Uint8Array(200).fill(0xff);
	equal(assembler.push(chunk), Assembly.incomplete, "255 data bytes announced");
	equal(assembler.push(chunk), Assembly.invalid, "more than 2 + 255 + 1 bytes");
	equal(assembler.pending, 0);
});

test("wifi-settings-data-must-be-exact", () => {
	deepEqual(parseWifiSettings(bytes(0x02, 0x61, 0x62, 0x02, 0x63, 0x64)), { ssid: "ab", password: "cd" });
	deepEqual(parseWifiSettings(bytes(0x02, 0x61, 0x62, 0x00)), { ssid: "ab", password: "" }, "an open network");
	equal(parseWifiSettings(bytes(0x03, 0x61, 0x62, 0x02, 0x63, 0x64)), undefined, "ssid length past its bytes");
	equal(parseWifiSettings(bytes(0x02, 0x61, 0x62, 0x03, 0x63, 0x64)), undefined, "password length past the data");
	equal(parseWifiSettings(bytes(0x02, 0x61, 0x62, 0x01, 0x63, 0x64)), undefined, "bytes left over");
	equal(parseWifiSettings(bytes(0x00, 0x00)), undefined, "an empty SSID");
	equal(parseWifiSettings(bytes(0x02, 0x61)), undefined);
	const long = new Uint8Array(35);
	long[0] = 33;
	long.fill(0x61, 1, 34);
	long[34] = 0;
	equal(parseWifiSettings(long), undefined, "an SSID is at most 32 bytes");
	const password = new Uint8Array(3 + 65);
	password.set([1, 0x61, 65]);
	password.fill(0x62, 3);
	equal(parseWifiSettings(password), undefined, "a passphrase is at most 64 bytes");
	equal(parseWifiSettings(bytes(0x01, 0xff, 0x00)), undefined, "not UTF-8");
	deepEqual(parseWifiSettings(bytes(0x02, 0xc3, 0xa9, 0x00)), { ssid: "é", password: "" });
});

test("result-frames-carry-length-prefixed-strings-and-a-checksum", () => {
	const into = new Uint8Array(258);
	const length = encodeResult(0x01, ["http://x"], into);
	const expected = [0x01, 0x09, 0x08, ...ascii("http://x")];
	deepEqual(into.slice(0, length), bytes(...expected, checksum(expected)));
	equal(encodeResult(0x04, [], into), 3, "an empty list: no networks");
	deepEqual(into.slice(0, 3), bytes(0x04, 0x00, 0x04));
	let threw = false;
	try {
		encodeResult(0x03, ["x".repeat(200), "y".repeat(60)], into);
	} catch (error) {
		threw = error instanceof RangeError;
	}
	ok(threw, "more than 255 data bytes do not fit one frame");
});

test("hostnames-follow-rfc-1123", () => {
	for (const good of ["a", "thermostat-1", "A0", "x".repeat(63)]) ok(isValidHostname(good), good);
	for (const bad of ["", "-a", "a-", "a_b", "a.b", "x".repeat(64), "é"]) ok(!isValidHostname(bad), bad);
});

test("get-or-set-data", () => {
	equal(parseOptionalString(new Uint8Array(0)), undefined, "no data: get");
	equal(parseOptionalString(bytes(0x61)), "a");
	equal(parseOptionalString(bytes(0xff)), null, "not UTF-8");
});

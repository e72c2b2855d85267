// @host --sim-entry sim/world/main
// "preference" on the XS host: the simulated device's NVS, with the ESP32's rules.
import { test, equal, deepEqual, ok, throws } from "test/harness";
import Preference from "preference";

test("stores-each-nvs-type", () => {
	Preference.set("test", "flag", true);
	Preference.set("test", "count", -42);
	Preference.set("test", "name", "thermostat-1");
	Preference.set("test", "blob", new Uint8Array([1, 2, 254]).buffer);
	equal(Preference.get("test", "flag"), true);
	equal(Preference.get("test", "count"), -42);
	equal(Preference.get("test", "name"), "thermostat-1");
	deepEqual(new Uint8Array(Preference.get("test", "blob") as ArrayBuffer), new Uint8Array([1, 2, 254]));
});

test("missing-key-is-undefined-and-delete-removes", () => {
	equal(Preference.get("test", "never-set"), undefined);
	Preference.set("test", "gone", 1);
	Preference.delete("test", "gone");
	equal(Preference.get("test", "gone"), undefined);
	Preference.delete("test", "gone");
});

test("keys-lists-a-domain", () => {
	Preference.set("keys", "a", 1);
	Preference.set("keys", "b", "x");
	deepEqual(Preference.keys("keys").sort(), ["a", "b"]);
	deepEqual(Preference.keys("empty-domain"), []);
});

test("refuses-what-nvs-cannot-store", () => {
	throws(() => Preference.set("test", "float", 1.5), RangeError, /invalid value/);
	throws(() => Preference.set("test", "big", 2 ** 31), RangeError, /invalid value/);
	throws(() => Preference.set("a-domain-too-long", "k", 1), RangeError, /domain/);
	throws(() => Preference.set("test", "", 1), RangeError, /key/);
	throws(() => Preference.set("test", "long", "x".repeat(4001)), RangeError, /too long/);
	throws(() => Preference.set("test", "obj", {} as never), RangeError, /invalid value/);
	ok(Preference.get("test", "float") === undefined, "nothing stored by a refused set");
});

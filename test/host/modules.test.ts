// The host loads modules through the manifest's map and binds natives declared with @ "xs_…".
import { test, equal, ok, throws } from "test/harness";
import config from "mc/config";
import Timer from "timer";
import Time from "time";
import Instrumentation from "instrumentation";
import { VERSION } from "app/version";

test("loads-project-modules-by-manifest-specifier", () => {
	ok(/^\d+\.\d+\.\d+$/.test(VERSION), VERSION);
});

test("mc-config-comes-from-manifest-and-is-frozen", () => {
	equal(config.profile, "thermostat");
	ok(Object.isFrozen(config));
});

test("binds-natives-declared-in-binding-files", () => {
	equal(typeof Timer.set, "function");
	equal(typeof Time.ticks, "number");
});

test("native-argument-errors-are-typed", () => {
	throws(() => Timer.set(undefined as unknown as () => void, 10), TypeError, /callback/);
	throws(() => Timer.set(() => undefined, -1), RangeError, /interval/);
});

test("instrumentation-maps-moddable-names", () => {
	const index = Instrumentation.map("XS Slot Heap Used");
	ok(index !== undefined);
	equal(Instrumentation.name(index!), "XS Slot Heap Used");
	ok((Instrumentation.get(index!) ?? 0) > 0);
	equal(Instrumentation.map("Pixels Drawn"), undefined, "no display on this device");
});

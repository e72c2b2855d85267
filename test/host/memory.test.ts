// @host --creation budget
// The device machine gets the manifest's creation figures as one pool (built-ins excluded).
import { test, equal, ok } from "test/harness";
import { memory } from "xshost";

test("budget-is-the-manifest-static-size", () => {
	const figures = memory();
	equal(figures.budget, 131072);
	equal(figures.slotBytes, 16, "32-bit host: 16-byte slots as on the ESP32");
});

test("allocations-within-budget-succeed-and-count", () => {
	const before = memory().used;
	const kept = new Uint8Array(20_000);
	kept[0] = 1;
	ok(memory().used >= before, "usage is tracked");
	ok(memory().peak <= 131072);
});

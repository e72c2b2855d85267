import { test, equal, deepEqual, throws } from "test/harness";
import { SimPinBank, digitalIoFor } from "sim/devices/digital-pin";

test("input-reads-external-level-and-fires-on-selected-edges", () => {
	const bank = new SimPinBank();
	const Digital = digitalIoFor(bank);
	const seen: number[] = [];
	const rising = new Digital({
		pin: 4, mode: Digital.Input, edge: Digital.Rising,
		onReadable(this: { read(): number }) {
			seen.push(this.read());
		},
	});
	const pin = bank.pin(4);
	pin.set(1);
	pin.set(0);
	pin.set(1);
	deepEqual(seen, [1, 1], "rising edges only, `this` is the instance");
	equal(rising.read(), 1);
	rising.close();
	pin.set(0);
	deepEqual(seen, [1, 1], "closed: no callbacks");
});

test("both-edges-bitmask", () => {
	const bank = new SimPinBank();
	const Digital = digitalIoFor(bank);
	let count = 0;
	const io = new Digital({ pin: 5, mode: Digital.InputPullDown, edge: Digital.Rising | Digital.Falling, onReadable: () => count++ });
	bank.pin(5).set(1);
	bank.pin(5).set(1);
	bank.pin(5).set(0);
	equal(count, 2, "no callback without a level change");
	io.close();
});

test("output-starts-low-writes-and-cannot-be-read", () => {
	const bank = new SimPinBank();
	const Digital = digitalIoFor(bank);
	bank.pin(6).set(1);
	const out = new Digital({ pin: 6, mode: Digital.Output });
	equal(bank.pin(6).level, 0, "ESP32 configures an output low");
	out.write(1);
	equal(bank.pin(6).level, 1);
	throws(() => out.read(), Error, /unimplemented/);
	throws(() => out.write(2), RangeError);
	out.close();
	equal(bank.pin(6).level, 1, "released: back to the external level");
	equal(bank.pin(6).transitions, 3, "pulled up, driven low, written high");
});

test("validates-options-and-pin-use", () => {
	const bank = new SimPinBank();
	const Digital = digitalIoFor(bank);
	throws(() => new Digital({ pin: -1, mode: Digital.Input }), RangeError, /pin/);
	throws(() => new Digital({ pin: 1, mode: "Sideways" }), RangeError, /mode/);
	throws(() => new Digital({ pin: 1, mode: Digital.Input, onReadable() {} }), RangeError, /edge/);
	throws(() => new Digital({ pin: 1, mode: Digital.Output, edge: Digital.Rising, onReadable() {} }), RangeError);
	const a = new Digital({ pin: 1, mode: Digital.Input });
	throws(() => new Digital({ pin: 1, mode: Digital.Input }), RangeError, /in use/);
	throws(() => a.write(1), Error, /unimplemented/);
	a.close();
	a.close();
	throws(() => a.read(), RangeError, /closed/);
});

test("forced-level-overrides-drivers", () => {
	const bank = new SimPinBank();
	const Digital = digitalIoFor(bank);
	const input = new Digital({ pin: 7, mode: Digital.Input });
	bank.pin(7).force(1);
	bank.pin(7).set(0);
	equal(input.read(), 1);
	bank.pin(7).force(undefined);
	equal(input.read(), 0);
	input.close();
});

// The thermostat's safety rules, checked on a relay command stream (Node side). Written from
// the rules (issue 6, peer-defaults §11), not from the controller's code: the checker knows the
// case's inputs and configuration, replays what reached the device (inputs while it is off are
// lost), and watches the relays.
//
// Stream entries (test/thermostat/replay.ts): [case, t, relay, on, reason] per change,
// [case, t, -1, offMs] per reboot or power cut, [case, t, -2] at the end.
import { Kind, TICK_MS } from "./cases.mjs";

const EPSILON = 1e-6;

/** The case's rule figures in °C and ms, from its firmware configuration. */
export function rulesOf(config) {
	const f = config.unit === "F";
	const abs = (v) => (f ? (v - 32) * 5 / 9 : v);
	const rel = (v) => (f ? v * 5 / 9 : v);
	const heatPump = config.system === "heat_pump";
	const timing = (t, maxDefault = Infinity) => ({ minRun: t?.minRunMs ?? 0, minOff: t?.minOffMs ?? 0, maxRun: t?.maxRunMs ?? maxDefault });
	const relays = heatPump
		? [timing(config.heating), timing(config.stage2), timing(undefined), timing(config.fan)]
		: [timing(config.heating), timing(config.stage2), timing(config.cooling), timing(config.fan)];
	const floor = config.frostFloor === null ? NaN : abs(config.frostFloor);
	return {
		heatPump,
		names: heatPump ? ["compressor", "aux", "ob", "fan"] : ["heat", "heat2", "cool", "fan"],
		present: [true, heatPump ? config.auxHeat : config.heatStages === 2, true, true],
		conditioning: heatPump ? [true, true, false, false] : [true, true, true, false],
		relays,
		valveOnHeats: config.reversingValve === "B",
		changeover: config.changeoverMs,
		minIdle: config.minIdleMs,
		staleAfter: config.staleAfterMs,
		plausibleMin: abs(config.plausibleMin),
		plausibleMax: abs(config.plausibleMax),
		frostFloor: floor,
		frostUntil: floor + rel(config.heatDeadband) + rel(config.heatOverrun),
		coolMinOutdoor: abs(config.coolMinOutdoor),
		compressorMinOutdoor: abs(config.compressorMinOutdoor),
		auxMaxOutdoor: abs(config.auxMaxOutdoor),
	};
}

const MODES = ["off", "heat", "cool", "heat_cool", "fan_only"];

/** What a case exercised (for the coverage figures): counts of each kind of moment. */
export const COVERAGE = Object.freeze(["heatingStarts", "coolingStarts", "changeovers", "stage2Starts", "valveSwitches",
	"maxRunCutoffs", "failSafeCutoffs", "failSafeBeforeMinRun", "frostStarts", "powerCutsWhileOn"]);

/**
 * Checks one case. `events` are its expanded inputs, `stream` its parsed stream entries.
 * Returns the violations (empty when every rule held), each "t=…: rule: detail"; counts what
 * the case exercised into `stats` (COVERAGE keys) when given.
 */
export function checkCase(config, events, stream, { tick = TICK_MS, stats } = {}) {
	const count = (key) => {
		if (stats) stats[key] = (stats[key] ?? 0) + 1;
	};
	const r = rulesOf(config);
	const violations = [];
	const fail = (t, rule, detail) => violations.push(`t=${t}: ${rule}: ${detail}`);

	const on = [0, 0, 0, 0], onAt = [-Infinity, -Infinity, -Infinity, -Infinity], offAt = [0, 0, 0, 0];
	let bootAt = 0, heatingEnd = 0, coolingEnd = 0, idleSince = 0, sawValid = false;
	let mode = config.mode, fault = false, outdoor = NaN, sample = null, reboots = 0, markers = 0, ended = false;
	const checks = []; // { t, kind, sample, boot }
	const group = { t: NaN, idle: true, heating: false, idleSince: 0 }; // the state before the step at t

	const valveHeats = (s) => (s[2] === 1) === r.valveOnHeats;
	const heating = (s) => (r.heatPump ? s[1] === 1 || (s[0] === 1 && valveHeats(s)) : s[0] === 1 || s[1] === 1);
	const cooling = (s) => (r.heatPump ? s[0] === 1 && !valveHeats(s) : s[2] === 1);
	const anyConditioning = (s) => heating(s) || cooling(s);
	const plausible = (T) => Number.isFinite(T) && T >= r.plausibleMin && T <= r.plausibleMax;
	const validAt = (t) => sample !== null && sample.t >= bootAt && plausible(sample.T) && t - sample.t <= r.staleAfter;
	const frostAllows = (t, heatingNow) => r.frostFloor === r.frostFloor && validAt(t)
		&& (sample.T <= r.frostFloor + EPSILON || (heatingNow && sample.T < r.frostUntil + EPSILON));
	const describeState = () => r.names.map((n, i) => `${n}=${on[i]}`).join(" ");

	/** Everything goes off (a relay change or a power cut at t): bookkeeping of the ends. */
	const turnOff = (t, i) => {
		const before = on.slice();
		const ran = t - onAt[i];
		if (ran > r.relays[i].maxRun + tick) fail(t, "max continuous run", `${r.names[i]} ran ${ran} ms > ${r.relays[i].maxRun} + one tick`);
		on[i] = 0;
		offAt[i] = t;
		if (heating(before) && !heating(on)) heatingEnd = t;
		if (cooling(before) && !cooling(on)) coolingEnd = t;
		if (anyConditioning(before) && !anyConditioning(on)) idleSince = t;
	};

	const runCheck = (check) => {
		if (check.boot !== bootAt || sample !== check.sample) return; // rebooted, or a newer reading arrived
		if (check.kind === "fault") {
			if (!fault) return;
			if (cooling(on)) fail(check.t, "equipment fault -> cooling off", describeState());
			if (heating(on) && !frostAllows(check.t, true)) fail(check.t, "equipment fault -> heating off (frost floor excepted)", describeState());
			return;
		}
		if (anyConditioning(on))
			fail(check.t, `${check.kind} temperature -> heating and cooling off within one control tick`, `${describeState()} (last reading ${JSON.stringify(sample)})`);
	};
	const runChecksBefore = (t) => {
		checks.sort((a, b) => a.t - b.t);
		while (checks.length && checks[0].t < t) runCheck(checks.shift());
	};

	const applyInput = ([t, kind, a]) => {
		if (kind === Kind.END) return;
		if (t < bootAt) return; // the device is off: lost
		switch (kind) {
		case Kind.SAMPLE:
			sample = { t, T: a };
			if (plausible(a)) {
				sawValid = true;
				checks.push({ t: t + r.staleAfter + tick, kind: "stale", sample, boot: bootAt });
			} else checks.push({ t, kind: "invalid", sample, boot: bootAt });
			break;
		case Kind.OUTDOOR: outdoor = a; break;
		case Kind.MODE: mode = MODES[a]; break;
		case Kind.FAULT:
			fault = a === 1;
			if (fault) checks.push({ t, kind: "fault", sample, boot: bootAt });
			break;
		case Kind.REBOOT:
			reboots++;
			if (on.some((x) => x)) count("powerCutsWhileOn");
			for (let i = 0; i < 4; i++) if (on[i]) turnOff(t, i);
			bootAt = t + a;
			for (let i = 0; i < 4; i++) offAt[i] = bootAt; // min off counts from boot
			sawValid = false;
			fault = false;
			outdoor = NaN;
			break;
		}
	};

	const applyStream = (entry) => {
		const [, t, i, state, reason] = entry;
		if (i === -1) {
			markers++;
			return;
		}
		if (i === -2) {
			ended = true;
			for (let k = 0; k < 4; k++) if (on[k] && t - onAt[k] > r.relays[k].maxRun + tick)
				fail(t, "max continuous run", `${r.names[k]} on for ${t - onAt[k]} ms at the end`);
			return;
		}
		if (t !== group.t) { // the changes of one step are one transition for the idle rule
			group.t = t;
			group.idle = !anyConditioning(on);
			group.heating = heating(on);
			group.idleSince = idleSince;
		}
		const name = r.names[i];
		if (!r.present[i]) fail(t, "relay exists", `${name} is not wired in this configuration`);
		if (t < bootAt) fail(t, "device off", `${name} switched while the device has no power (boots at ${bootAt})`);
		const prefix = `${name} ${state ? "on" : "off"}: `;
		if (typeof reason !== "string" || !reason.startsWith(prefix) || !reason.slice(prefix.length).trim() || /undefined|\[object/.test(reason))
			fail(t, "relay events have a reason", JSON.stringify(reason));
		if (on[i] === state) fail(t, "a change changes", `${name} already ${state ? "on" : "off"}`);
		const before = on.slice();
		if (state) {
			if (!sawValid) fail(t, "all off at boot until the first valid reading", `${name} on`);
			if (t - offAt[i] < r.relays[i].minOff) fail(t, "minimum off (after boot included)", `${name} on after ${t - offAt[i]} ms off < ${r.relays[i].minOff}`);
			if (r.heatPump && i === 2 && (on[0] || t - offAt[0] < r.changeover))
				fail(t, "valve moves only with the compressor at rest", `compressor ${on[0] ? "on" : `off ${t - offAt[0]} ms`}`);
			on[i] = 1;
			onAt[i] = t;
		} else {
			const ran = t - onAt[i];
			const exempt = ran >= r.relays[i].maxRun
				|| (r.conditioning[i] && (!validAt(t) || fault))
				|| (!r.heatPump && i === 1 && t - onAt[0] >= r.relays[0].maxRun);
			if (!exempt && ran < r.relays[i].minRun) fail(t, "minimum run", `${name} off after ${ran} ms < ${r.relays[i].minRun}`);
			if (ran >= r.relays[i].maxRun) count("maxRunCutoffs");
			else if (r.conditioning[i] && (!validAt(t) || fault)) {
				count("failSafeCutoffs");
				if (ran < r.relays[i].minRun) count("failSafeBeforeMinRun");
			}
			if (r.heatPump && i === 2 && (on[0] || t - offAt[0] < r.changeover))
				fail(t, "valve moves only with the compressor at rest", `compressor ${on[0] ? "on" : `off ${t - offAt[0]} ms`}`);
			on[i] = 1; // restore for turnOff's bookkeeping
			turnOff(t, i);
		}
		const startsHeating = !heating(before) && heating(on), startsCooling = !cooling(before) && cooling(on);
		const addsHeating = state === 1 && (r.heatPump ? i === 1 || (i === 0 && valveHeats(on)) : i === 0 || i === 1);
		if (heating(on) && cooling(on)) fail(t, "never heating and cooling together", describeState());
		if (startsHeating) count("heatingStarts");
		if (startsCooling) count("coolingStarts");
		if ((startsHeating && coolingEnd > 0) || (startsCooling && heatingEnd > 0)) count("changeovers");
		if (state && i === 1) count("stage2Starts");
		if (r.heatPump && i === 2) count("valveSwitches");
		if (addsHeating && !(mode === "heat" || mode === "heat_cool")) count("frostStarts");
		if (!r.heatPump && on[1] && !on[0]) fail(t, "stage 2 only with stage 1", describeState());
		if (startsHeating && t - coolingEnd < r.changeover) fail(t, "changeover dead time", `heating ${t - coolingEnd} ms after cooling < ${r.changeover}`);
		if (startsCooling && t - heatingEnd < r.changeover) fail(t, "changeover dead time", `cooling ${t - heatingEnd} ms after heating < ${r.changeover}`);
		if ((startsHeating || startsCooling) && group.idle && t - group.idleSince < r.minIdle)
			fail(t, "minimum idle", `started ${t - group.idleSince} ms after idle < ${r.minIdle}`);
		if (state && r.conditioning[i]) {
			if (!validAt(t)) fail(t, "no heating or cooling without a valid, fresh reading", `${name} on, last reading ${JSON.stringify(sample)}`);
			// frost heating continues (up to floor + deadband + overrun) if the step began heating: one
			// heating relay may hand over to another in the same step (aux locked out, compressor allowed)
			if (addsHeating && !(mode === "heat" || mode === "heat_cool") && !frostAllows(t, group.heating))
				fail(t, "heating only in heat / heat_cool mode or below the frost floor", `${name} on in mode ${mode}`);
			if (addsHeating && fault && !frostAllows(t, group.heating)) fail(t, "equipment fault: frost floor heating only", `${name} on`);
			if (cooling(on) && startsCooling && !(mode === "cool" || mode === "heat_cool")) fail(t, "cooling only in cool / heat_cool mode", `${name} on in mode ${mode}`);
			if (cooling(on) && startsCooling && fault) fail(t, "equipment fault: no cooling", `${name} on`);
			if (startsCooling && outdoor < r.coolMinOutdoor) fail(t, "compressor cooling lockout", `outdoor ${outdoor} < ${r.coolMinOutdoor}`);
			if (r.heatPump && i === 0 && valveHeats(on) && outdoor < r.compressorMinOutdoor) fail(t, "compressor heating lockout", `outdoor ${outdoor}`);
			if (r.heatPump && i === 1 && outdoor > r.auxMaxOutdoor) fail(t, "aux heat lockout", `outdoor ${outdoor} > ${r.auxMaxOutdoor}`);
		}
	};

	// merge: inputs at a time come before the relay changes the step at that time makes
	let s = 0, last = -Infinity;
	for (const input of events) {
		while (s < stream.length && stream[s][1] < input[0]) {
			if (stream[s][1] < last) fail(stream[s][1], "stream in time order", JSON.stringify(stream[s]));
			last = stream[s][1];
			runChecksBefore(stream[s][1]);
			applyStream(stream[s++]);
		}
		runChecksBefore(input[0]);
		applyInput(input);
	}
	while (s < stream.length) {
		runChecksBefore(stream[s][1]);
		applyStream(stream[s++]);
	}
	runChecksBefore(events.at(-1)[0] + 1); // deadlines after the end of the case are not observed
	if (!ended) fail(events.at(-1)[0], "stream complete", "no end marker");
	if (markers !== reboots) fail(events.at(-1)[0], "stream complete", `${markers} reboot markers for ${reboots} reboots`);
	return violations;
}

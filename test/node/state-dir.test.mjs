// --state-dir keeps the simulated device's preferences and flash between runs: a second run is a reboot.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../sim/tools/manifest.mjs";
import { HOST, MODULE_MAP, build } from "../../sim/tools/build.mjs";

before(() => build({ quiet: true }));

function boot(stateDir) {
	const args = ["--modules", MODULE_MAP, "--entry", join(ROOT, "test/fixtures/host/boot-counter.js"),
		"--sim-entry", "sim/world/main", "--speed", "max"];
	if (stateDir) args.push("--state-dir", stateDir);
	return spawnSync(HOST, args, { encoding: "utf8" });
}

test("preferences-and-flash-survive-a-restart-with-a-state-dir", () => {
	const dir = mkdtempSync(join(tmpdir(), "state-"));
	const outputs = [1, 2, 3].map(() => boot(dir));
	for (const run of outputs) assert.equal(run.status, 0, run.stderr);
	assert.deepEqual(outputs.map((run) => run.stdout.trim()), ["boots 1 flash 1", "boots 2 flash 1,2", "boots 3 flash 1,2,3"]);
	assert.ok(existsSync(join(dir, "preferences.json")) && existsSync(join(dir, "flash-log.bin")));
});

test("without-a-state-dir-every-run-is-a-new-device", () => {
	assert.equal(boot().stdout.trim(), "boots 1 flash 1");
	assert.equal(boot().stdout.trim(), "boots 1 flash 1");
});

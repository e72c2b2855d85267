// The build's guards: device imports must be manifest specifiers mapped for esp32 and lin, and
// device code may not use Node (eslint).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, loadManifest } from "../../sim/tools/manifest.mjs";
import { checkImports, importsOf } from "../../sim/tools/imports.mjs";

test("the-project-manifest-maps-every-device-import", () => {
	assert.deepEqual(checkImports(loadManifest()), []);
});

test("an-import-mapped-only-for-one-platform-is-reported", () => {
	const manifest = structuredClone(loadManifest());
	// take the simulated digital IO away from lin: drivers that use it are then unmapped there
	delete manifest.platforms.lin.modules["embedded:io/digital"];
	const problems = checkImports(manifest);
	assert.ok(problems.some((p) => /imports "embedded:io\/digital", which is not mapped for lin/.test(p)), problems.join("\n"));
	assert.ok(!problems.some((p) => /for esp32/.test(p)), "the SDK maps it on esp32");
});

test("a-preload-that-does-not-resolve-is-reported", () => {
	const manifest = structuredClone(loadManifest());
	manifest.preload = [...manifest.preload, "drivers/no-such-chip"];
	assert.ok(checkImports(manifest).some((p) => /preloads "drivers\/no-such-chip", which is not mapped for esp32/.test(p)));
});

test("import-scanner-finds-static-dynamic-and-re-exports-but-not-type-imports", () => {
	const source = [
		'import Timer from "timer";', 'import type { X } from "types/only";', 'export { y } from "re/export";',
		'import "side/effect";', 'const m = await import("dynamic/one");', '// import "commented/out";',
	].join("\n");
	assert.deepEqual(importsOf(source).sort(), ["dynamic/one", "re/export", "side/effect", "timer"]);
});

test("lint-rejects-node-in-device-code", () => {
	const fixture = join(ROOT, "test", "fixtures", "lint", "uses-node.ts");
	const run = spawnSync(join(ROOT, "node_modules", ".bin", "eslint"), ["--no-ignore", "--format", "json", fixture], { cwd: ROOT, encoding: "utf8" });
	const [{ messages }] = JSON.parse(run.stdout);
	const rules = messages.map((m) => m.ruleId);
	assert.equal(rules.filter((r) => r === "no-restricted-imports").length, 2, "node:fs and a relative path");
	assert.ok(rules.filter((r) => r === "no-restricted-globals").length >= 3, "setTimeout, process, Buffer");
});

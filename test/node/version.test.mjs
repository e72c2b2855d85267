// The firmware reports the version package.json declares.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

test("app-version-matches-package-json", () => {
	const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
	const source = readFileSync(new URL("../../app/version.ts", import.meta.url), "utf8");
	assert.equal(/VERSION = "([^"]+)"/.exec(source)?.[1], version);
});

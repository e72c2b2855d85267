// The GATT services (bleservices/*.json, Moddable's format) are the one source of truth for the
// device's BLE table: the simulated stack loads every one of them, they pass the checks of the
// SDK's tools/bles2gatt.js, and the Improv service has the UUIDs and properties of the Improv
// BLE specification (rev 2.4). The simulated phone and radio import nothing from the firmware.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../sim/tools/manifest.mjs";

const dir = join(ROOT, "bleservices");
const files = readdirSync(dir).filter((name) => name.endsWith(".json")).sort();
const services = Object.fromEntries(files.map((name) => [name, JSON.parse(readFileSync(join(dir, name), "utf8")).service]));

test("the-simulated-stack-deploys-every-service-file", () => {
	const source = readFileSync(join(ROOT, "sim", "world", "ble.ts"), "utf8");
	const listed = JSON.parse(/SERVICE_FILES = Object\.freeze\((\[[^\]]*\])\)/.exec(source)[1]);
	assert.deepEqual([...listed].sort(), files);
});

test("service-files-pass-the-checks-of-bles2gatt", () => {
	const names = new Set();
	for (const [file, service] of Object.entries(services)) {
		assert.match(service.uuid, /^([0-9A-Fa-f]{4}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/, file);
		for (const [name, c] of Object.entries(service.characteristics)) {
			assert.ok(!names.has(name), `${name} is unique across services (the firmware dispatches on it)`);
			names.add(name);
			assert.match(c.uuid, /^([0-9A-Fa-f]{4}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/, name);
			for (const p of c.properties.split(",")) assert.ok(["read", "write", "writeNoResponse", "notify", "indicate", "extended"].includes(p.trim()), `${name}: ${p}`);
			const permissions = c.permissions.split(",").map((p) => p.trim());
			for (const p of permissions) assert.ok(["read", "readEncrypted", "write", "writeEncrypted"].includes(p), `${name}: ${p}`);
			assert.ok(permissions.filter((p) => p.startsWith("read")).length <= 1 && permissions.filter((p) => p.startsWith("write")).length <= 1, name);
			assert.ok(["Array", "ArrayBuffer", "String", "Uint8", "Uint8Array", "Int8Array", "Int16Array", "Uint16", "Uint16Array", "Uint32"].includes(c.type), name);
			assert.ok(Number.isInteger(c.maxBytes) && c.maxBytes >= 1 && c.maxBytes <= 512, `${name}: maxBytes (ATT values are at most 512 bytes)`);
		}
	}
});

test("the-improv-service-is-the-specification's", () => {
	const improv = services["improv.json"];
	assert.equal(improv.uuid, "00467768-6228-2272-4663-277478268000");
	const byUuid = Object.fromEntries(Object.values(improv.characteristics).map((c) => [c.uuid.slice(-1), c]));
	const props = (x) => byUuid[x].properties.split(",").sort().join(",");
	assert.equal(props("1"), "notify,read", "current state");
	assert.equal(props("2"), "notify,read", "error state");
	assert.equal(props("3"), "write", "RPC command");
	assert.equal(props("4"), "notify,read", "RPC result");
	assert.equal(props("5"), "read", "capabilities");
	for (const c of Object.values(improv.characteristics)) assert.ok(!c.permissions.includes("Encrypted"), "Improv clients do not pair");
	assert.ok(byUuid["3"].maxBytes >= 2 + 255 + 1 && byUuid["4"].maxBytes >= 2 + 255 + 1, "a whole frame fits");
});

test("the-configuration-service-needs-an-encrypted-link", () => {
	const config = services["config.json"];
	assert.equal(config.uuid.length, 36, "a 128-bit UUID");
	for (const c of Object.values(config.characteristics)) assert.ok(!/\b(read|write)\b/.test(c.permissions), `${c.uuid}: ${c.permissions}`);
});

test("the-simulated-phone-and-radio-import-nothing-from-the-firmware", () => {
	for (const file of ["sim/world/ble.ts", "sim/world/phone.ts"]) {
		const imports = [...readFileSync(join(ROOT, file), "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
		assert.ok(imports.length > 0);
		for (const specifier of imports) assert.ok(!specifier.startsWith("net/"), `${file} imports ${specifier}`);
	}
});

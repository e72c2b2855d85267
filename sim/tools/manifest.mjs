// Reads manifest.json the way mcconfig does for the parts the project uses, and resolves
// module specifiers per platform: esp32, lin (Moddable's desktop simulator) and xshost
// (this project's XS host, which maps what lin maps plus its own host modules).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "../..");

/** Specifiers the Moddable SDK itself provides, per platform, given the manifest's includes. */
const SDK_COMMON = ["timer", "time", "Resource", "instrumentation", "mc/config", "preference"];
const SDK_IO = ["analog", "digital", "digitalbank", "i2c", "smbus", "spi", "serial", "pwm", "pulsecount", "pulsewidth",
	"socket/tcp", "socket/udp", "socket/listener"].map((name) => `embedded:io/${name}`);
export const SDK_MODULES = Object.freeze({
	esp32: new Set([...SDK_COMMON, ...SDK_IO, "embedded:provider/builtin", "system", "embedded:storage/flash", "wifi", "net"]),
	lin: new Set([...SDK_COMMON]),
	xshost: new Set(),
});

const PLATFORM_CHAIN = Object.freeze({ esp32: ["esp32"], lin: ["lin"], xshost: ["lin", "xshost"] });
const SOURCE_EXTENSIONS = [".ts", ".js", ".c"];

export function loadManifest(root = ROOT) {
	return JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
}

function entries(modules) {
	const result = [];
	for (const [key, value] of Object.entries(modules ?? {}))
		for (const path of Array.isArray(value) ? value : [value]) result.push([key, path]);
	return result;
}

/** Files a manifest path names: "./dir/*" lists a folder, "./x" finds x.ts, x.js or x.c. */
function filesFor(root, path) {
	const absolute = join(root, path);
	if (absolute.endsWith("/*")) {
		const dir = absolute.slice(0, -2);
		if (!existsSync(dir)) return [];
		return readdirSync(dir)
			.filter((name) => statSync(join(dir, name)).isFile())
			.filter((name) => !name.endsWith(".d.ts") && SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)))
			.map((name) => join(dir, name));
	}
	return SOURCE_EXTENSIONS.map((ext) => absolute + ext).filter((file) => existsSync(file));
}

function stem(file) {
	return basename(file).replace(/\.(ts|js|c)$/, "");
}

/**
 * Resolves the manifest's modules for a platform. Returns { modules: Map(specifier -> source
 * file of a .ts or .js module), natives: [C files] }. C files named by a module entry are native
 * sources (a binding .js declares their entry points), as mcconfig treats them.
 */
export function resolveModules(manifest, platform, root = ROOT) {
	const modules = new Map();
	const natives = new Set();
	const layers = [manifest.modules, ...PLATFORM_CHAIN[platform].map((p) => manifest.platforms?.[p]?.modules)];
	for (const layer of layers) {
		for (const [key, path] of entries(layer)) {
			for (const file of filesFor(root, path)) {
				if (file.endsWith(".c")) {
					natives.add(file);
					continue;
				}
				const specifier = key === "*" ? stem(file) : key.endsWith("/*") ? key.slice(0, -1) + stem(file) : key;
				modules.set(specifier, file); // later layers (platforms) override earlier ones
			}
		}
	}
	return { modules, natives: [...natives].sort() };
}

/**
 * The manifest's `data` files for a platform: Resource name (file name, extension kept, as
 * mcconfig does) -> file. "./dir/*" takes every file of a folder; "./dir/x" a file named x.*.
 */
export function resolveData(manifest, platform, root = ROOT) {
	const data = new Map();
	const layers = [manifest.data, ...PLATFORM_CHAIN[platform].map((p) => manifest.platforms?.[p]?.data)];
	for (const layer of layers)
		for (const [, path] of entries(layer)) {
			const absolute = join(root, path);
			const dir = absolute.endsWith("/*") ? absolute.slice(0, -2) : dirname(absolute);
			if (!existsSync(dir)) continue;
			for (const name of readdirSync(dir))
				if (absolute.endsWith("/*") || name.startsWith(`${basename(absolute)}.`)) data.set(name, join(dir, name));
		}
	return data;
}

/** The modules a platform preloads, in manifest order (top level first, as mcconfig concatenates). */
export function preloadsFor(manifest, platform) {
	const layers = [manifest.preload, ...PLATFORM_CHAIN[platform].map((p) => manifest.platforms?.[p]?.preload)];
	return [...new Set(layers.flatMap((layer) => layer ?? []))];
}

/** The `config` object mcconfig would generate as mc/config for the platform. */
export function configFor(manifest, platform) {
	const merged = structuredClone(manifest.config ?? {});
	for (const p of PLATFORM_CHAIN[platform]) Object.assign(merged, manifest.platforms?.[p]?.config ?? {});
	return merged;
}

/** The XS creation figures the device gets (manifest `creation`). */
export function creationOf(manifest) {
	const c = manifest.creation ?? {};
	return {
		static: c.static ?? 0,
		chunk: c.chunk?.initial ?? 32768,
		heap: c.heap?.initial ?? 2048,
		stack: c.stack ?? 512,
	};
}

/**
 * The tsconfig paths that mirror the manifest: its wildcard folders, and each specifier that
 * platforms map to different files (such as "sim/link") whose types live at the specifier's own
 * path (./sim/link.ts declares what every platform's file provides).
 */
export function pathPatterns(manifest, root = ROOT) {
	const patterns = new Map();
	const layers = [manifest.modules, ...Object.values(manifest.platforms ?? {}).map((p) => p.modules)];
	for (const layer of layers)
		for (const [key, path] of entries(layer)) {
			if (key.endsWith("/*") && typeof path === "string") patterns.set(key, [path]);
			else if (key !== "*" && existsSync(join(root, `${key}.ts`))) patterns.set(key, [`./${key}`]);
		}
	return Object.fromEntries([...patterns].sort(([a], [b]) => a.localeCompare(b)));
}

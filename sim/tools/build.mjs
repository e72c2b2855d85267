// Builds everything the simulator host runs: checks device imports against the manifest,
// writes the tsconfig paths that mirror it, compiles TypeScript to build/js, writes the host's
// module map and mc/config, and builds the host itself (make rebuilds only what changed).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT, configFor, loadManifest, pathPatterns, preloadsFor, resolveData, resolveModules } from "./manifest.mjs";
import { checkImports } from "./imports.mjs";

export const BUILD = join(ROOT, "build");
export const HOST = join(BUILD, "host", "xshost");
export const MODULE_MAP = join(BUILD, "host", "modules.map");

function writeIfChanged(file, text) {
	let current;
	try {
		current = readFileSync(file, "utf8");
	} catch {
		current = undefined;
	}
	if (current !== text) writeFileSync(file, text);
	return current !== text;
}

/** The compiled file the host loads for a source file. */
export function compiledPath(file) {
	return file.endsWith(".ts") ? join(BUILD, "js", relative(ROOT, file)).replace(/\.ts$/, ".js") : file;
}

export function build({ quiet = false } = {}) {
	const say = (text) => quiet || console.error(text);
	const manifest = loadManifest();

	const problems = checkImports(manifest);
	if (problems.length) throw new Error(`imports not mapped by manifest.json:\n  ${problems.join("\n  ")}`);

	const paths = `${JSON.stringify({ compilerOptions: { paths: pathPatterns(manifest) } }, null, 2)}\n`;
	if (writeIfChanged(join(ROOT, "tsconfig.paths.json"), paths)) say("build: tsconfig.paths.json updated from manifest.json");

	say("build: tsc");
	try {
		execFileSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", join(ROOT, "tsconfig.json")], { cwd: ROOT, stdio: "pipe" });
	} catch (error) {
		throw new Error(`TypeScript errors:\n${error.stdout}${error.stderr}`, { cause: error });
	}

	const { modules, natives } = resolveModules(manifest, "xshost");
	mkdirSync(join(BUILD, "host", "mc"), { recursive: true });
	const configFile = join(BUILD, "host", "mc", "config.js");
	writeIfChanged(configFile, `export default Object.freeze(${JSON.stringify(configFor(manifest, "xshost"), null, "\t")}, true);\n`);
	const lines = [...modules].map(([specifier, file]) => `${specifier}\t${compiledPath(file)}`);
	lines.push(`mc/config\t${configFile}`);
	for (const [name, file] of resolveData(manifest, "xshost")) lines.push(`resource:${name}\t${file}`);
	for (const [index, specifier] of preloadsFor(manifest, "xshost").entries()) lines.push(`preload:${index}\t${specifier}`);
	writeIfChanged(MODULE_MAP, `${lines.sort().join("\n")}\n`);
	writeIfChanged(join(BUILD, "host", "natives.txt"), natives.join("\n") + (natives.length ? "\n" : ""));

	say("build: xshost");
	execFileSync("make", ["-s", "-j2", "-C", join(ROOT, "sim", "host")], { stdio: quiet ? "pipe" : "inherit" });
}

/**
 * A module map for one run whose mc/config has `overrides` merged in, as mcconfig's
 * command-line `key=value` does (the CLI's --profile is profile=...). Returns its path.
 */
export function runModuleMap(name, overrides) {
	const manifest = loadManifest();
	const dir = join(BUILD, "runs", name);
	mkdirSync(dir, { recursive: true });
	const config = { ...configFor(manifest, "xshost"), ...overrides };
	const configFile = join(dir, "config.js");
	writeIfChanged(configFile, `export default Object.freeze(${JSON.stringify(config, null, "\t")}, true);\n`);
	const map = readFileSync(MODULE_MAP, "utf8").replace(/^mc\/config\t.*$/m, `mc/config\t${configFile}`);
	const file = join(dir, "modules.map");
	writeIfChanged(file, map);
	return file;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	try {
		build({ quiet: process.argv.includes("--quiet") });
	} catch (error) {
		console.error(`build failed: ${error.message}`);
		process.exit(1);
	}
}

// Checks that device code imports by manifest specifier only, and that every import it makes
// is mapped on both device platforms: esp32 (real IO) and lin (Moddable's desktop simulator).
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { ROOT, SDK_MODULES, preloadsFor, resolveModules } from "./manifest.mjs";

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

export function importsOf(source) {
	const specifiers = [];
	const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
	for (const match of code.matchAll(IMPORT)) {
		const specifier = match[1] ?? match[2];
		// type-only imports vanish at compile time and need no mapping
		if (/^\s*;?\s*(import|export)\s+type\s/.test(match[0].trimStart().replace(/^;/, ""))) continue;
		specifiers.push(specifier);
	}
	return specifiers;
}

/** Walks the import graph from `main` on each platform; returns a list of problems. */
export function checkImports(manifest, platforms = ["esp32", "lin"]) {
	const problems = [];
	for (const platform of platforms) {
		const { modules } = resolveModules(manifest, platform);
		const seen = new Set();
		const pending = ["main"];
		for (const preload of preloadsFor(manifest, platform)) {
			if (!modules.has(preload) && !SDK_MODULES[platform].has(preload))
				problems.push(`manifest.json preloads "${preload}", which is not mapped for ${platform}`);
			pending.push(preload);
		}
		while (pending.length) {
			const specifier = pending.pop();
			if (seen.has(specifier)) continue;
			seen.add(specifier);
			const file = modules.get(specifier);
			if (!file) continue;
			const where = relative(ROOT, file);
			for (const imported of importsOf(readFileSync(file, "utf8"))) {
				if (imported.startsWith(".") || imported.startsWith("/"))
					problems.push(`${where}: imports "${imported}" by path; device code imports manifest specifiers only`);
				else if (modules.has(imported)) pending.push(imported);
				else if (!SDK_MODULES[platform].has(imported))
					problems.push(`${where}: imports "${imported}", which is not mapped for ${platform}`);
			}
		}
	}
	return [...new Set(problems)];
}

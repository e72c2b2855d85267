// Lint for all code. Device code (everything that runs on XS: main.ts, app/, drivers/, ml/, net/,
// and the XS side of sim/) may not touch Node: no Node modules, no Node globals, no timers other
// than Moddable's Timer. Node code is the .mjs tooling, host scripts and Node tests.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const NODE_GLOBALS = Object.fromEntries(
	["process", "console", "Buffer", "URL", "setTimeout", "clearTimeout", "setInterval", "clearInterval",
		"setImmediate", "structuredClone", "fetch", "TextEncoder", "TextDecoder", "AbortController", "performance"]
		.map((name) => [name, "readonly"]));
const XS_GLOBALS = { trace: "readonly", device: "readonly", harden: "readonly" };
/* Node's built-ins by exact name (the project's own "net/..." specifiers must not match "net"). */
const NODE_BUILTINS = ["fs", "path", "os", "child_process", "net", "http", "https", "url", "util",
	"events", "stream", "crypto", "worker_threads", "buffer", "process", "dgram", "tls", "dns"];

export default tseslint.config(
	{ ignores: ["build/**", "node_modules/**", "**/*.d.ts", "sim/modules/host/**/*.js", "ml/*.js", "test/fixtures/**"] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ["**/*.ts"],
		languageOptions: { globals: XS_GLOBALS },
		rules: {
			"no-restricted-imports": ["error", {
				paths: NODE_BUILTINS.map((name) => ({ name, message: "device code runs on XS: no Node modules" })),
				patterns: [
					{ group: ["node:*", "fs/*"], message: "device code runs on XS: no Node modules" },
					{ group: ["./*", "../*"], message: "import by manifest specifier (see manifest.json)" },
				],
			}],
			"no-restricted-globals": ["error",
				...["process", "Buffer", "require", "module", "__dirname", "__filename", "global", "setTimeout",
					"setInterval", "clearTimeout", "clearInterval", "setImmediate", "console"]
					.map((name) => ({ name, message: "device code runs on XS (Moddable): use trace, Timer, and embedded: modules" })),
			],
			"@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
			"@typescript-eslint/no-floating-promises": "off",
		},
	},
	{
		// plain-JS scripts that run on XS directly (the engine's binding test)
		files: ["test/native/xs/**/*.js"],
		languageOptions: { globals: { ...XS_GLOBALS, gc: "readonly", print: "readonly" } },
	},
	{
		files: ["**/*.mjs"],
		languageOptions: { globals: NODE_GLOBALS },
	},
);

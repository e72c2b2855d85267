// embedded:io/socket/tcp on the simulator host against real Node peers on 127.0.0.1: echo,
// refusal, peer close, virtual time waiting for a slow peer's reply, and device power cuts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { ROOT } from "../../sim/tools/manifest.mjs";
import { BUILD, HOST, MODULE_MAP, build } from "../../sim/tools/build.mjs";

const SOCKET_MODULES = {
	"embedded:io/socket/tcp": "sim/modules/host/socket/tcp.js",
	"embedded:io/socket/udp": "sim/modules/host/socket/udp.js",
	"embedded:io/socket/listener": "sim/modules/host/socket/listener.js",
};
const fixture = (name) => join(ROOT, "test", "fixtures", "sockets", name);
const modules = join(BUILD, "sockets", "modules.map");
const servers = [];

/** The host's module map plus the socket modules, for as long as manifest.json does not map them. */
before(() => {
	build({ quiet: true });
	const map = readFileSync(MODULE_MAP, "utf8");
	const mapped = new Set(map.split("\n").map((line) => line.split("\t")[0]));
	const extra = Object.entries(SOCKET_MODULES).filter(([specifier]) => !mapped.has(specifier))
		.map(([specifier, file]) => `${specifier}\t${join(ROOT, file)}\n`);
	mkdirSync(join(BUILD, "sockets"), { recursive: true });
	writeFileSync(modules, map + extra.join(""));
});

after(() => servers.forEach((server) => server.close()));

/** Runs the host without blocking Node's event loop, so that the peers here can answer it. */
function host(entry, ...options) {
	return new Promise((resolve) => {
		const started = process.hrtime.bigint();
		const child = spawn(HOST, ["--modules", modules, "--entry", entry, ...options], { cwd: ROOT });
		let stdout = "", stderr = "";
		child.stdout.on("data", (d) => (stdout += d));
		child.stderr.on("data", (d) => (stderr += d));
		const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
		child.on("close", (status, signal) => {
			clearTimeout(timer);
			resolve({ status, signal, stdout, stderr, realMs: Number(process.hrtime.bigint() - started) / 1e6 });
		});
	});
}

/** A TCP server on 127.0.0.1:0; `onConnection(socket, server)`; resolves to { server, port, log }. */
function serve(onConnection) {
	return new Promise((resolve) => {
		const log = [];
		const server = net.createServer((socket) => {
			log.push("connection");
			socket.on("data", (data) => log.push(`data ${data}`));
			socket.on("end", () => log.push("end"));
			socket.on("close", () => log.push("close"));
			socket.on("error", (error) => log.push(`error ${error.code}`));
			onConnection(socket, server);
		});
		servers.push(server);
		server.listen(0, "127.0.0.1", () => resolve({ server, port: server.address().port, log }));
	});
}

function freePort() {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.listen(0, "127.0.0.1", () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

const echo = (delayMs = 0) => (socket) => socket.on("data", (data) => setTimeout(() => socket.end(`echo:${data}`), delayMs));

test("device-connects-writes-and-reads-the-echo-of-a-node-peer", async () => {
	const { port, log } = await serve(echo());
	const run = await host(fixture("client.js"), "--speed", "max", "--arg", `port=${port}`, "--arg", "message=ping");
	assert.equal(run.status, 0, run.stderr);
	assert.equal(run.stdout, "writable 8192 at 0\nreply echo:ping (9) at 0\ntimeout at 1000\n");
	assert.deepEqual(log.slice(0, 2), ["connection", "data ping"]);
});

test("refused-connection-calls-on-error-and-never-on-writable", async () => {
	const port = await freePort();
	const run = await host(fixture("client.js"), "--speed", "max", "--arg", `port=${port}`, "--arg", "message=ping");
	assert.equal(run.status, 0, run.stderr);
	assert.equal(run.stdout, "error at 0\ntimeout at 1000\n");
});

test("peer-close-delivers-the-last-bytes-then-on-error", async () => {
	const { port } = await serve((socket) => socket.end("bye"));
	const run = await host(fixture("client.js"), "--speed", "max", "--arg", `port=${port}`, "--arg", "keep=1");
	assert.equal(run.status, 0, run.stderr);
	assert.equal(run.stdout, "writable 8192 at 0\nreply bye (3) at 0\nerror at 0\ntimeout at 1000\n");
});

test("virtual-time-waits-for-a-slow-peers-reply-before-the-device-timer", async () => {
	const { port } = await serve(echo(200));
	const run = await host(fixture("client.js"), "--speed", "max", "--arg", `port=${port}`, "--arg", "message=slow");
	assert.equal(run.status, 0, run.stderr);
	// the reply took 200 ms of real time and no simulated time: the 1-second timer fires after it
	assert.equal(run.stdout, "writable 8192 at 0\nreply echo:slow (9) at 0\ntimeout at 1000\n");
	assert.ok(run.realMs >= 200, `${run.realMs} ms`);
});

test("a-silent-peer-delays-virtual-time-but-does-not-stop-it", async () => {
	const { port, log } = await serve(() => {});
	const run = await host(fixture("client.js"), "--speed", "max", "--arg", `port=${port}`, "--arg", "message=anyone", "--arg", "keep=1",
		"--duration-ms", "1000");
	assert.equal(run.status, 0, run.stderr);
	// the event loop waits up to 2 s of real time for the reply, then moves the clock anyway
	assert.equal(run.stdout, "writable 8192 at 0\ntimeout at 1000\n");
	assert.ok(run.realMs >= 1900 && run.realMs < 15_000, `${run.realMs} ms`);
	assert.ok(log.includes("data anyone"));
});

test("real-time-run-talks-to-a-node-peer", async () => {
	const { port } = await serve(echo(50));
	const run = await host(fixture("client.js"), "--speed", "1", "--arg", `port=${port}`, "--arg", "message=real");
	assert.equal(run.status, 0, run.stderr);
	const match = /^writable 8192 at \d+\nreply echo:real \(9\) at (\d+)\ntimeout at 10\d\d\n$/.exec(run.stdout);
	assert.ok(match, run.stdout);
	assert.ok(Number(match[1]) >= 45 && Number(match[1]) < 900, run.stdout);
});

test("power-cut-closes-the-devices-socket-and-the-next-boot-connects-again", async () => {
	const { port, log } = await serve(echo());
	const run = await host(fixture("power-device.js"), "--speed", "max", "--arg", `port=${port}`);
	assert.equal(run.status, 0, run.stderr);
	assert.equal(run.stdout, "boot 1 reply echo:boot1\nboot 2 reply echo:boot2\n");
	assert.equal(log.filter((line) => line === "connection").length, 2);
	assert.ok(log.includes("data boot1") && log.includes("data boot2"), log.join(", "));
});

test("power-cut-while-awaiting-a-reply-releases-virtual-time", async () => {
	const { port, log } = await serve(() => {});
	const run = await host(fixture("power-device.js"), "--speed", "max", "--arg", `port=${port}`, "--arg", "cut=hold",
		"--sim-entry", fixture("power-sim.js"));
	assert.equal(run.status, 0, run.stderr);
	assert.equal(run.stdout, "sim ticks 50\n");
	// 50 timer steps: a hold left behind by the dead socket would cost 2 s of real time each
	assert.ok(run.realMs < 1500, `${run.realMs} ms`);
	await new Promise((resolve) => setTimeout(resolve, 50));
	assert.ok(log.includes("data boot1") && log.includes("end"), log.join(", "));
});

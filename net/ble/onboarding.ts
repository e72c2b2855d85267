/*
 * BLE onboarding and configuration, composed: the configuration document (config-store, one
 * preference entry), the Wi-Fi provisioner (the document's network, else the firmware's, else
 * none), the one BLE peripheral with the Improv service and the configuration service, the
 * button (authorizes Improv and opens the pairing window), the LED for identify, and the states
 * in the event log as `sync` events ("improv-authorized", "improv-error-unable-to-connect",
 * "wifi-online", "config-applied") and `config-error` events. main.ts calls startOnboarding()
 * where it would otherwise start a WifiManager. A device with a network joins it and keeps
 * Improv off; without one, or after a minute without it, Improv advertises.
 */
import Timer from "timer";
import type { DeviceEvent } from "app/eventlog";
import type { DigitalConstructor, DigitalInstance } from "drivers/io";
import { PressButton } from "net/ble/button";
import { ImprovService, type ImprovNames } from "net/ble/improv-service";
import { ImprovError, ImprovState } from "net/ble/improv-constants";
import { Peripheral } from "net/ble/peripheral";
import { type Credentials, type Preferences, type WifiRadio, WifiProvisioner } from "net/ble/improv-wifi";
import { ConfigStore, configCredentialStore } from "net/ble/config-store";
import { ConfigService } from "net/ble/config-service";
import type { ConfigValues } from "net/ble/config-schema";

/** Home Assistant's MQTT integration setup: what a user does next with an MQTT device. */
export const DEFAULT_REDIRECT_URL = "https://my.home-assistant.io/redirect/config_flow_start?domain=mqtt";
const BLINK_MS = 250;

const STATE_NAMES: Readonly<Record<number, string>> = Object.freeze({
	[ImprovState.stopped]: "stopped", [ImprovState.authorizationRequired]: "authorization-required", [ImprovState.authorized]: "authorized",
	[ImprovState.provisioning]: "provisioning", [ImprovState.provisioned]: "provisioned",
});
const ERROR_NAMES: Readonly<Record<number, string>> = Object.freeze({
	[ImprovError.invalidRpc]: "invalid-rpc", [ImprovError.unknownCommand]: "unknown-command", [ImprovError.unableToConnect]: "unable-to-connect",
	[ImprovError.notAuthorized]: "not-authorized", [ImprovError.badHostname]: "bad-hostname", [ImprovError.unknown]: "unknown",
});

export interface OnboardingOptions {
	readonly log: { emit(event: DeviceEvent): void };
	readonly wifi: WifiRadio;
	readonly preference: Preferences;
	readonly random: () => number;
	readonly now: () => number;
	/** The button authorizes Improv and opens the pairing window; without one Improv starts Authorized (B.5). */
	readonly button?: { readonly io: DigitalConstructor; readonly pin: number; readonly activeLow?: boolean };
	/** The LED blinks for identify; without one the identify capability is off. */
	readonly led?: { readonly io: DigitalConstructor; readonly pin: number };
	readonly fallback?: Credentials;
	readonly firmware: string;
	readonly version: string;
	readonly chip: string;
	readonly name?: string;
	readonly hostname?: string;
	readonly redirectUrl?: string;
	/** After the configuration service applied a document (the MQTT client re-reads its settings). */
	readonly onConfig?: (values: ConfigValues, changed: readonly string[]) => void;
}

export interface Onboarding {
	readonly network: WifiProvisioner;
	readonly improv: ImprovService;
	readonly config: ConfigService;
	readonly store: ConfigStore;
	readonly peripheral: Peripheral;
	/** The button's action, for a device whose button is read elsewhere. */
	press(): void;
	close(): void;
}

/** Blinks the LED for `ms`, then leaves it off. */
function blinker(led: OnboardingOptions["led"]): ((ms: number) => void) | undefined {
	if (!led) return undefined;
	let pin: DigitalInstance | undefined;
	let timer: ReturnType<typeof Timer.set> | undefined;
	return (ms: number) => {
		pin ??= new led.io({ pin: led.pin, mode: led.io.Output });
		Timer.clear(timer);
		let level = 0, left = Math.ceil(ms / BLINK_MS);
		timer = Timer.repeat(() => {
			level = left-- > 0 ? 1 - level : 0;
			pin!.write(level);
			if (left < 0) {
				Timer.clear(timer);
				timer = undefined;
			}
		}, BLINK_MS);
	};
}

export function startOnboarding(options: OnboardingOptions): Onboarding {
	const { log } = options;
	const store = new ConfigStore(options.preference);
	const stored = store.current.values;
	const names: ImprovNames = {
		hostname: typeof stored.hostname === "string" ? stored.hostname : options.hostname ?? "aiot-device",
		deviceName: typeof stored.name === "string" ? stored.name : options.name ?? "AIoT device",
	};
	const network = new WifiProvisioner({
		wifi: options.wifi, store: configCredentialStore(store), fallback: options.fallback, random: options.random,
		onState: (state) => log.emit({ type: "sync", state: `wifi-${state}` }),
	});
	const peripheral = new Peripheral({ name: names.deviceName, advertisement: () => improv.advertisement() ?? config.advertisement() });
	const improv: ImprovService = new ImprovService({
		gatt: peripheral, network, firmware: options.firmware, version: options.version, chip: options.chip, names,
		saveNames: (changed) => store.save({ ...store.current.values, hostname: changed.hostname, name: changed.deviceName }),
		requireAuthorization: options.button !== undefined,
		redirectUrl: options.redirectUrl ?? DEFAULT_REDIRECT_URL,
		identify: blinker(options.led),
		onChange: (state, error) => log.emit({ type: "sync", state: error === ImprovError.none ? `improv-${STATE_NAMES[state]}` : `improv-error-${ERROR_NAMES[error]}` }),
	});
	const config: ConfigService = new ConfigService({
		gatt: peripheral, store, defaults: { name: names.deviceName, hostname: names.hostname },
		onApplied: (values, changed) => {
			if (typeof values.name === "string") peripheral.name = names.deviceName = values.name;
			if (typeof values.hostname === "string") names.hostname = values.hostname;
			if ((changed.includes("wifi.ssid") || changed.includes("wifi.password")) && typeof values["wifi.ssid"] === "string")
				network.adopt({ ssid: values["wifi.ssid"], password: String(values["wifi.password"] ?? "") });
			log.emit({ type: "sync", state: "config-applied" });
			options.onConfig?.(values, changed);
		},
		onRejected: (error, field) => log.emit({ type: "config-error", error: field ? `${error}: ${field}` : error }),
	});
	peripheral.add(improv);
	peripheral.add(config);
	const press = (): void => {
		improv.authorize();
		config.openWindow();
	};
	const button = options.button && new PressButton({ ...options.button, now: options.now, onPress: press });
	network.listen((online) => improv.networkChanged(online));
	if (network.configured) {
		network.start();
		improv.networkChanged(false); // Improv comes up if the network stays away (ESPHome's wifi_timeout)
	} else improv.start();
	return {
		network, improv, config, store, peripheral, press,
		close(): void {
			improv.close();
			config.close();
			button?.close();
			peripheral.close();
			network.stop();
		},
	};
}

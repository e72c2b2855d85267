/*
 * "embedded:storage/flash" for the simulators (XS host and lin): the ECMA-419 flash storage
 * the app gets on the ESP32, whose partitions are NorFlash models the world serves
 * (sim/world/flash-service) across the link.
 */
import { flashFor } from "sim/devices/flash-storage";
import { flashOverLink } from "sim/devices/nor-flash-link";
import { request } from "sim/link";

export default flashFor(flashOverLink(request));
export type { Flash, FlashOpenOptions, Status as FlashStatus } from "sim/devices/flash-storage";

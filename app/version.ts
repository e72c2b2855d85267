/** Firmware version; kept equal to package.json's by test/node/version.test.mjs. */
export const VERSION = "0.1.0";

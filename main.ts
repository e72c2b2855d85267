/*
 * Composition root: read the configuration, build the parts, start them.
 * Device behaviour lives in app/; this file only wires it together.
 */
import config from "mc/config";
import { VERSION } from "app/version";

trace(`aiot-firmware ${VERSION}\n`);
trace(`config ${JSON.stringify({ ...config })}\n`);

/*
 * "embedded:provider/builtin" in Moddable's desktop simulator: the simulated world runs in
 * the app's own machine there, so importing the provider first starts it, then hands over
 * the same `device` the XS host gives (sim/provider.ts).
 */
import "sim/world/main";
import device from "sim/provider";

export default device;

// Moddable's `Resource` on the simulator host: read-only data from the manifest's `data`,
// held in memory that never moves (as flash); natives in sim/host/resource.c.
export default class Resource @ "xs_resource_destructor" {
	constructor(path) @ "xs_resource_constructor";
	static exists(path) @ "xs_resource_exists";
	get byteLength() @ "xs_resource_get_byteLength";
	slice(begin, end, copy) @ "xs_resource_slice";
}

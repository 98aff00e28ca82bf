// @ts-self-types="../../workers/spawn_child.ts"
var __defProp = Object.defineProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });

// workers/spawn_child.ts
import { $0_38 as bootSpawnChild, $0_39 as startSpawnChild } from "../toolkit.js";
bootSpawnChild();
function start() {
  startSpawnChild();
}
__name(start, "start");
export {
  start
};
//# sourceMappingURL=spawn_child.js.map

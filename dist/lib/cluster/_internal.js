// @ts-self-types="../../../lib/cluster/_internal.ts"
// lib/cluster/_internal.ts
import { $1_0 as asBuffer, $1_1 as Redis } from "../../cluster.js";
import { $1_2 as seal } from "../../cluster.js";
export {
  Redis,
  asBuffer,
  seal
};
//# sourceMappingURL=_internal.js.map

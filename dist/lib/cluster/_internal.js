// @ts-self-types="../../../lib/cluster/_internal.ts"
// lib/cluster/_internal.ts
import { $1_0 as asBuffer, $1_1 as Redis } from "../../cluster.js";
import { $1_2 as seal } from "../../cluster.js";
import { $1_3 as closeRedis, $1_4 as connectRedis, $1_5 as DISCONNECT_TIMEOUT, $1_6 as duplicateRedis } from "../../cluster.js";
import { $1_7 as decodeResult, $1_8 as encodeTask, $1_9 as packItem, $1_10 as unseal } from "../../cluster.js";
export {
  DISCONNECT_TIMEOUT,
  Redis,
  asBuffer,
  closeRedis,
  connectRedis,
  decodeResult,
  duplicateRedis,
  encodeTask,
  packItem,
  seal,
  unseal
};
//# sourceMappingURL=_internal.js.map

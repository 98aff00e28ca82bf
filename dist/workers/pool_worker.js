// @ts-self-types="../../workers/pool_worker.ts"
// workers/pool_worker.ts
import { $0_35 as runThreadPoolChild } from "../toolkit.js";
runThreadPoolChild();
//# sourceMappingURL=pool_worker.js.map

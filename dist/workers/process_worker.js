// @ts-self-types="../../workers/process_worker.ts"
// workers/process_worker.ts
import { $0_37 as runThreadProcessChild } from "../toolkit.js";
runThreadProcessChild();
//# sourceMappingURL=process_worker.js.map

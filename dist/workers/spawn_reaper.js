// @ts-self-types="../../workers/spawn_reaper.ts"
// workers/spawn_reaper.ts
import { $0_40 as runReaper } from "../toolkit.js";
await runReaper();
//# sourceMappingURL=spawn_reaper.js.map

// @ts-self-types="../../workers/cluster_worker.ts"
// workers/cluster_worker.ts
import { $1_11 as runWorkerCli } from "../cluster.js";
if (import.meta.main) {
  Deno.exit(await runWorkerCli(Deno.args));
}
//# sourceMappingURL=cluster_worker.js.map

// @ts-self-types="../../../lib/sync/barrier_preload.ts"
// lib/sync/barrier_preload.ts
import "../../toolkit.js";
import { $0_33 as rememberActionModule } from "../../toolkit.js";
var module = new URL(import.meta.url).searchParams.get("module");
if (module !== null) {
  rememberActionModule(module, await import(module));
}
//# sourceMappingURL=barrier_preload.js.map

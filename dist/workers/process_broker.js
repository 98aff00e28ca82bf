// @ts-self-types="../../workers/process_broker.ts"
// workers/process_broker.ts
import { $0_36 as runBroker } from "../toolkit.js";
runBroker();
//# sourceMappingURL=process_broker.js.map

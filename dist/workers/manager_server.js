// @ts-self-types="../../workers/manager_server.ts"
// workers/manager_server.ts
import { $0_34 as runManagerServer } from "../toolkit.js";
try {
  await runManagerServer();
} catch (error) {
  const text = error instanceof Error ? error.stack ?? error.message : String(error);
  Deno.stderr.writeSync(new TextEncoder().encode(`${text}
`));
  Deno.exit(1);
}
//# sourceMappingURL=manager_server.js.map

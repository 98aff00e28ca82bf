// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// `deno task demo`: runs every example in this folder, one after another,
// each in its own `deno run` with the permissions the demo task was given,
// and exits non-zero if any of them fails or hangs.
import { EXAMPLE_TIMEOUT_MS, exampleNames, runExample } from "./_demo.ts";

const names = await exampleNames();
const failed: string[] = [];
for (const name of names) {
  console.log(`\n=== examples/${name}`);
  const t0 = performance.now();
  const { code, timedOut } = await runExample(name, "inherit");
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    timedOut
      ? `=== ${name}: killed, still running after ${EXAMPLE_TIMEOUT_MS} ms`
      : `=== ${name}: exit ${code} (${seconds} s)`,
  );
  if (code !== 0 || timedOut) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nFailed: ${failed.join(", ")}`);
  Deno.exit(1);
}
console.log(`\nAll ${names.length} examples ran.`);

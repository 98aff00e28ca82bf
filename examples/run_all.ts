// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// `deno task demo`: runs every example in this folder, one after another,
// each in its own `deno run` with the permissions the demo task was given,
// and exits non-zero if any of them fails.

const here = new URL("./", import.meta.url);
const names: string[] = [];
for await (const entry of Deno.readDir(here)) {
  if (
    entry.isFile && entry.name.endsWith(".ts") && entry.name !== "run_all.ts" &&
    !entry.name.startsWith("_")
  ) names.push(entry.name);
}
names.sort();

const flags = [
  "--allow-read=.",
  "--allow-write=.",
  "--allow-run",
  "--allow-env",
  "--allow-net=127.0.0.1",
  "--unstable-worker-options",
];
const failed: string[] = [];
for (const name of names) {
  console.log(`\n=== examples/${name}`);
  const t0 = performance.now();
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, `examples/${name}`],
    cwd: new URL("..", here),
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`=== ${name}: exit ${code} (${seconds} s)`);
  if (code !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nFailed: ${failed.join(", ")}`);
  Deno.exit(1);
}
console.log(`\nAll ${names.length} examples ran.`);

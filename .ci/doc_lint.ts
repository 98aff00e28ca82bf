// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Runs `deno doc --lint` on mod.ts and every public lib file, checks that
// mod.ts re-exports every public lib file (a new file cannot be forgotten),
// and that no public parameter has a default value in its signature
// (`deno doc` prints `options: X = {}` as a required `options: X`; write
// `options?: X` and apply the default in the body).

const root = new URL("../", import.meta.url);
const files: string[] = [];
for await (const entry of Deno.readDir(new URL("lib/", root))) {
  if (
    entry.isFile && entry.name.endsWith(".ts") && !entry.name.startsWith("_")
  ) files.push(`lib/${entry.name}`);
}
files.sort();

const mod = await Deno.readTextFile(new URL("mod.ts", root));
const missing = files.filter((f) => !mod.includes(`"./${f}"`));
if (missing.length > 0) {
  console.error(`mod.ts does not export: ${missing.join(", ")}`);
  Deno.exit(1);
}

// Subpath exports with their own @module doc (deno.json "exports").
const subpaths = ["lib/cluster/mod.ts", "workers/cluster_worker.ts"];
const entries = ["mod.ts", ...files, ...subpaths];
const json = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--json", ...entries],
  cwd: root,
  stdout: "piped",
  stderr: "inherit",
}).output();
if (!json.success) Deno.exit(json.code);
const defaults: string[] = [];
findDefaults(JSON.parse(new TextDecoder().decode(json.stdout)), [], defaults);
if (defaults.length > 0) {
  console.error(
    `parameters with a default in their signature show as required in deno doc; use name?: T:\n  ${
      [...new Set(defaults)].join("\n  ")
    }`,
  );
  Deno.exit(1);
}

const { code } = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--lint", ...entries],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(code);

/** Collects `symbol(param)` for every `kind: "assign"` parameter. */
function findDefaults(node: unknown, names: string[], out: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) findDefaults(item, names, out);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const record = node as Record<string, unknown>;
  if (record.kind === "assign") {
    const left = record.left as { name?: string } | undefined;
    out.push(`${names.join(".")}(${left?.name ?? "?"})`);
    return;
  }
  const name = typeof record.name === "string"
    ? [...names, record.name]
    : names;
  for (const [key, value] of Object.entries(record)) {
    if (key !== "jsDoc" && key !== "location") findDefaults(value, name, out);
  }
}

// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Runs `deno doc --lint` on mod.ts and every public lib file, and checks that
// mod.ts re-exports every public lib file (a new file cannot be forgotten).

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

const { code } = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--lint", "mod.ts", ...files],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(code);

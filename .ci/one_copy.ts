// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Checks that the repository's own programs load ONE copy of the toolkit:
// the generated one in dist/ (see .ci/build.ts), which is what the package
// runs. A test, fixture, bench or example that imported mod.ts or lib/
// next to the package would load the toolkit twice, with two process
// tables: shared objects from one copy would be strangers to the other.
//
// The rules, over the static imports of every .ts file in tests/, bench/
// and examples/ (followed through their relative imports):
// - the toolkit comes from "@denomp/multiprocessing" (and "/cluster"), or
//   from dist/ by path (dist/mod.js for a program run without deno.json,
//   dist/lib/_internal.js and dist/lib/cluster/_internal.js for internals);
// - a module may import mod.ts or lib/ directly only if it is a unit test of
//   private modules that reaches no dist/ module at all;
// - fixtures, benches and examples never import mod.ts or lib/ (workers
//   and doc tests load them next to the package).

import { filesUnder, fileUrl, pathFrom } from "./_files.ts";

const root = new URL("../", import.meta.url);
const DIRS = ["tests/", "bench/", "examples/"];
const NO_SOURCES = ["tests/fixtures/", "bench/", "examples/"];

interface Module {
  path: string;
  locals: string[];
  bundle: boolean;
  sources: string[];
}

const modules = new Map<string, Module>();
for (const dir of DIRS) {
  for (const path of await filesUnder(root, dir, ".ts")) {
    modules.set(path, await scan(path));
  }
}

const problems: string[] = [];
for (const module of modules.values()) {
  if (
    module.sources.length > 0 &&
    NO_SOURCES.some((dir) => module.path.startsWith(dir))
  ) {
    problems.push(
      `${module.path} imports ${
        module.sources.join(", ")
      }: import "@denomp/multiprocessing" (or dist/lib/_internal.js) instead`,
    );
    continue;
  }
  const reach = reached(module.path);
  const bundle = reach.some((m) => m.bundle);
  const sources = reach.flatMap((m) => m.sources.map((s) => `${m.path}: ${s}`));
  if (bundle && sources.length > 0) {
    problems.push(
      `${module.path} loads the toolkit twice, from dist/ and from ${
        sources.join(", ")
      }: take internals from dist/lib/_internal.js`,
    );
  }
}
if (problems.length > 0) {
  console.error(`one copy of the toolkit:\n  ${problems.join("\n  ")}`);
  Deno.exit(1);
}

/** The module and every local module it reaches through relative imports. */
function reached(path: string): Module[] {
  const seen = new Set<string>();
  const out: Module[] = [];
  const visit = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    const module = modules.get(p);
    if (module === undefined) return;
    out.push(module);
    module.locals.forEach(visit);
  };
  visit(path);
  return out;
}

async function scan(path: string): Promise<Module> {
  const text = await Deno.readTextFile(fileUrl(root, path));
  const module: Module = { path, locals: [], bundle: false, sources: [] };
  const pattern =
    /(?:^|\n)\s*(?:import|export)\b[^"'`;]*?(?:from\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of text.matchAll(pattern)) {
    const specifier = m[1] ?? m[2]!;
    if (specifier.startsWith("@denomp/multiprocessing")) {
      module.bundle = true;
      continue;
    }
    if (!specifier.startsWith(".")) continue;
    const target = pathFrom(root, new URL(specifier, fileUrl(root, path)));
    if (target.startsWith("dist/")) module.bundle = true;
    else if (target === "mod.ts" || target.startsWith("lib/")) {
      module.sources.push(target);
    } else module.locals.push(target);
  }
  return module;
}

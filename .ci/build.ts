// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// `deno task build`: generates dist/, the JavaScript the package runs, from
// the TypeScript sources (which stay what types and docs come from).
//
// Why: a fresh Web Worker that imports the toolkit as ~70 TypeScript
// modules spends ~20 ms loading them (Deno's cost per module, and the inline
// source map of each cached emit); one bundled file costs ~3 ms. But every
// module that holds toolkit state must be loaded ONCE per isolate (one
// process table, one registry), whichever entry a program, a worker or a
// test comes in through. So the layout is:
//
// - dist/toolkit.js: all of the toolkit except the cluster, in one file
//   with no static import (a module with imports makes Deno read its source
//   map at load: ~7 ms for this one; without, only when a stack trace needs
//   it). It exports mod.ts's names, plus `$n` aliases of the internals the
//   entries below use.
// - dist/cluster.js: the cluster (lib/cluster/), importing the toolkit from
//   dist/toolkit.js and npm:ioredis; loaded only by programs that use it.
// - dist/<path>.js for each entry <path>.ts (mod.ts, lib/cluster/mod.ts,
//   workers/*.ts, the modules the toolkit imports by URL, lib/_internal.ts
//   for the tests): thin modules whose imports of lib/ are rewritten to
//   those two files, each with `// @ts-self-types` pointing at its source.
// - Linked source maps (without the sources' text), so that stack traces
//   point into lib/*.ts.
//
// The output is deterministic: `.ci/run` rebuilds and fails when dist/
// differs from what is checked in.

import { escapePath, filesUnder, fileUrl } from "./_files.ts";

const root = new URL("../", import.meta.url);
const rootPath = decodeURIComponent(root.pathname);
const DIST = "dist";
/** Generated hub sources live here during the build (their paths show in the maps). */
const BUILD = ".build";
/** Prefix of the internal aliases the hubs export. */
const ALIAS = "$";

/** Modules the toolkit imports by URL (see lib/_entries.ts), besides workers/. */
const URL_ENTRIES = ["lib/sync/barrier_preload.ts"];
/** Thin entries for the repository itself, left out of the package. */
const PRIVATE_ENTRIES = ["lib/_internal.ts", "lib/cluster/_internal.ts"];

/** A file that holds code, and the modules whose code it holds. */
interface Hub {
  /** Its output, relative to dist/. */
  out: string;
  /** The module whose exports are its public names. */
  root: string;
  /** Whether a module (path from the root) is part of it. */
  owns(path: string): boolean;
  /** Aliases of the internals other files import: `module\0name` -> alias. */
  aliases: Map<string, string>;
}

const toolkit: Hub = {
  out: "toolkit.js",
  root: "mod.ts",
  owns: (p) =>
    p === "mod.ts" || (p.startsWith("lib/") && !p.startsWith("lib/cluster/")),
  aliases: new Map(),
};
const cluster: Hub = {
  out: "cluster.js",
  root: "lib/cluster/mod.ts",
  owns: (p) => p.startsWith("lib/cluster/"),
  aliases: new Map(),
};
const hubs = [toolkit, cluster];

/** An import or re-export of a hub's module, as written by the bundler. */
interface Statement {
  /** The whole statement, as found. */
  text: string;
  kind: "import" | "export";
  /** `local` is the imported (or exported) name, `name` the module's. */
  names: { name: string; local: string }[] | null;
  /** The module's path from the root. */
  module: string;
}

async function main(): Promise<void> {
  const entries = await entryFiles();
  const libFiles = await filesUnder(root, "lib/", ".ts");
  const external = ["mod.ts", ...libFiles].filter((p) => !entries.includes(p));
  await Deno.remove(new URL(`${BUILD}/`, root), { recursive: true }).catch(
    () => {},
  );
  await Deno.mkdir(new URL(`${BUILD}/`, root), { recursive: true });
  // The previous output stays aside until this one is complete: a build
  // that fails leaves dist/ as it was.
  const previous = new URL(`${BUILD}/previous/`, root);
  const hadPrevious = await Deno.rename(new URL(`${DIST}/`, root), previous)
    .then(() => true, () => false);
  let built = false;
  try {
    // 1. The entries, with every toolkit module left as an import.
    for (const entry of entries) {
      await bundle(entry, `${DIST}/${jsPath(entry)}`, external, false);
    }
    const entryCode = new Map<string, string>();
    for (const entry of entries) {
      const code = await read(`${DIST}/${jsPath(entry)}`);
      entryCode.set(entry, code);
      for (const s of statements(code)) need(s);
    }
    // 2. The cluster's hub, with the toolkit's modules left as imports.
    await writeHubSource(cluster);
    await bundle(
      `${BUILD}/cluster.ts`,
      `${DIST}/${cluster.out}`,
      external.filter((p) => !cluster.owns(p)),
      false,
    );
    const clusterCode = await read(`${DIST}/${cluster.out}`);
    for (const s of statements(clusterCode)) need(s);
    // 3. The toolkit's hub: one file, no imports.
    await writeHubSource(toolkit);
    await bundle(`${BUILD}/toolkit.ts`, `${DIST}/${toolkit.out}`, [], false);
    const toolkitCode = await read(`${DIST}/${toolkit.out}`);
    if (/^\s*(\/\/[^\n]*\n\s*)*import\b/.test(toolkitCode)) {
      throw new Error(
        `${DIST}/${toolkit.out} has a static import: the toolkit must not import node:, npm: or jsr: modules statically (use import() where they are needed)`,
      );
    }
    for (const hub of hubs) {
      relativeModuleUrls(await read(`${DIST}/${hub.out}`), hub.out);
    }
    // 4. Imports of lib/ become imports of the hubs.
    await write(
      `${DIST}/${cluster.out}`,
      rewrite(clusterCode, `${DIST}/${cluster.out}`),
    );
    for (const [entry, code] of entryCode) {
      const out = `${DIST}/${jsPath(entry)}`;
      await write(out, selfTypes(out, entry) + rewrite(code, out));
      // One line more at the top: the map's lines move down by one.
      const map = JSON.parse(await read(`${out}.map`));
      map.mappings = `;${map.mappings}`;
      await write(`${out}.map`, JSON.stringify(map));
    }
    // 5. The public entries: the hubs' public names.
    for (const hub of [toolkit, cluster]) {
      const out = `${DIST}/${jsPath(hub.root)}`;
      const names = publicNames(await read(`${DIST}/${hub.out}`));
      await write(
        out,
        `${selfTypes(out, hub.root)}export {\n${
          names.map((n) => `  ${n},\n`).join("")
        }} from "${relative(out, `${DIST}/${hub.out}`)}";\n`,
      );
    }
    await stripSourcesContent();
    built = true;
  } finally {
    if (!built) {
      await Deno.remove(new URL(`${DIST}/`, root), { recursive: true })
        .catch(() => {});
      if (hadPrevious) await Deno.rename(previous, new URL(`${DIST}/`, root));
    }
    await Deno.remove(new URL(`${BUILD}/`, root), { recursive: true });
  }
  console.log(`built ${DIST}/ from ${entries.length + 2} entries`);
}

/** Every entry module: workers/*.ts and the modules imported by URL. */
async function entryFiles(): Promise<string[]> {
  const workers = (await filesUnder(root, "workers/", ".ts")).filter((p) =>
    !p.slice("workers/".length).includes("/")
  );
  return [...workers, ...URL_ENTRIES, ...PRIVATE_ENTRIES].sort();
}

function jsPath(ts: string): string {
  return ts.replace(/\.ts$/, ".js");
}

async function bundle(
  entry: string,
  out: string,
  external: string[],
  minify: boolean,
): Promise<void> {
  const args = [
    "bundle",
    "--quiet",
    "--platform=deno",
    "--keep-names",
    "--sourcemap=linked",
    "--external=npm:*",
    "--external=jsr:*",
    ...(minify ? ["--minify"] : []),
    ...external.map((p) => `--external=${rootPath}${p}`),
    "-o",
    out,
    entry,
  ];
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "inherit",
    stderr: "piped",
  }).output();
  if (!success) {
    throw new Error(
      `deno bundle ${entry} failed:\n${new TextDecoder().decode(stderr)}`,
    );
  }
}

/**
 * An import, `export ... from` or side-effect import statement at the start
 * of a line, as the bundler writes them (type-only ones are gone).
 */
const STATEMENT =
  /^(import|export)\s*(?:(\{[^}]*\})\s*from\s*|(\*(?:\s*as\s+[\w$]+)?|[\w$]+\s*(?:,\s*\{[^}]*\})?)\s*from\s*)?"([^"]+)";?/gm;

/** Parses a match of STATEMENT; `null` when it is not of a toolkit module. */
function parse(match: string[]): Statement | null {
  const [text, kind, braces, other, specifier] = match;
  if (!specifier!.startsWith(rootPath)) return null;
  const module = specifier!.slice(rootPath.length);
  if (other !== undefined) {
    throw new Error(
      `${module}: namespace, star and default imports of toolkit modules are not supported by the build (${text})`,
    );
  }
  const names = braces === undefined ? null : braces.slice(1, -1).split(",")
    .map((part) => part.trim()).filter((part) => part !== "").map((part) => {
      const [name, local = name] = part.split(/\s+as\s+/);
      return { name: name!, local: local! };
    });
  return { text: text!, kind: kind as "import" | "export", names, module };
}

/** The statements of a file that import (or re-export) toolkit modules. */
function statements(code: string): Statement[] {
  return [...code.matchAll(STATEMENT)].map(parse).filter((s) => s !== null);
}

function hubOf(module: string): Hub {
  const hub = hubs.find((h) => h.owns(module));
  if (hub === undefined) throw new Error(`no hub owns ${module}`);
  return hub;
}

/** Records the aliases a statement needs. */
function need(s: Statement): void {
  const hub = hubOf(s.module);
  if (s.module === hub.root || s.names === null) return;
  for (const { name } of s.names) {
    const key = `${s.module}\0${name}`;
    if (!hub.aliases.has(key)) {
      hub.aliases.set(key, `${ALIAS}${hubs.indexOf(hub)}_${hub.aliases.size}`);
    }
  }
}

async function writeHubSource(hub: Hub): Promise<void> {
  const name = hub.out.replace(/\.js$/, ".ts");
  const byModule = new Map<string, string[]>();
  for (const [key, alias] of hub.aliases) {
    const [module, exported] = key.split("\0") as [string, string];
    const list = byModule.get(module) ?? [];
    list.push(`${exported} as ${alias}`);
    byModule.set(module, list);
  }
  const lines = [
    `// Generated by .ci/build.ts: the ${hub.out} hub.`,
    `export * from "../${escapePath(hub.root)}";`,
    ...[...byModule].sort().map(([module, list]) =>
      `export { ${list.join(", ")} } from "../${escapePath(module)}";`
    ),
  ];
  await write(`${BUILD}/${name}`, lines.join("\n") + "\n");
}

/**
 * Rewrites the statements that import lib/ in a file written to `out` to
 * import the hubs instead, keeping every line where it was (the source map
 * stays true).
 */
function rewrite(code: string, out: string): string {
  return code.replace(STATEMENT, (...match: string[]) => {
    const s = parse(match);
    if (s === null) return match[0]!;
    const hub = hubOf(s.module);
    const from = relative(out, `${DIST}/${hub.out}`);
    let result: string;
    if (s.names === null) result = `import "${from}";`;
    else {
      const parts = s.names.map(({ name, local }) => {
        const exported = s.module === hub.root
          ? name
          : hub.aliases.get(`${s.module}\0${name}`)!;
        return exported === local ? local : `${exported} as ${local}`;
      });
      result = `${s.kind} { ${parts.join(", ")} } from "${from}";`;
    }
    return result + "\n".repeat(s.text.split("\n").length - 1);
  });
}

/**
 * Fails on a module URL made relative to the code's own module
 * (`new URL("../workers/x.ts", import.meta.url)`): in the bundle that code
 * sits in dist/, so such a URL would load a second copy of the toolkit from
 * the sources. Every such URL goes through lib/_entries.ts.
 */
function relativeModuleUrls(code: string, file: string): void {
  const found = code.split("\n").filter((line) => {
    const text = line.trim();
    if (text.startsWith("*") || text.startsWith("/") || text === "") {
      return false;
    }
    return /new URL\(\s*["'`]\.{1,2}\/[^"'`$]*\.(ts|js)(\?[^"'`]*)?["'`]\s*,\s*import\.meta\.url/
      .test(text);
  });
  if (found.length > 0) {
    throw new Error(
      `${DIST}/${file}: module URLs relative to the code's own module; name the module in lib/_entries.ts and use entryUrl():\n  ${
        found.map((line) => line.trim()).join("\n  ")
      }`,
    );
  }
}

/** The hub's export names that are not internal aliases, sorted. */
function publicNames(code: string): string[] {
  const m = /export\s*\{([^}]*)\}\s*;?\s*(\/\/# sourceMappingURL=\S+\s*)?$/
    .exec(code);
  if (m === null) throw new Error("no export clause at the end of a hub");
  return m[1]!.split(",").map((part) => part.trim()).filter((p) => p !== "")
    .map((part) => part.split(/\s+as\s+/).at(-1)!)
    .filter((name) => !name.startsWith(ALIAS)).sort();
}

function selfTypes(out: string, source: string): string {
  return `// @ts-self-types="${relative(out, source)}"\n`;
}

/**
 * The relative specifier from file `from` to file `to` (both from the root),
 * its names escaped as a URL's.
 */
function relative(from: string, to: string): string {
  const a = from.split("/").slice(0, -1);
  const b = to.split("/");
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  const up = a.length - i;
  return (up === 0 ? "./" : "../".repeat(up)) +
    escapePath(b.slice(i).join("/"));
}

/**
 * Source maps keep positions and paths only: Deno reads the sources where
 * they are (lib/ ships with the package), and the maps stay small.
 */
async function stripSourcesContent(): Promise<void> {
  for (const path of await filesUnder(root, `${DIST}/`, ".map")) {
    const map = JSON.parse(await read(path));
    delete map.sourcesContent;
    await write(path, JSON.stringify(map) + "\n");
  }
}

function read(path: string): Promise<string> {
  return Deno.readTextFile(fileUrl(root, path));
}

async function write(path: string, text: string): Promise<void> {
  const url = fileUrl(root, path);
  await Deno.mkdir(new URL("./", url), { recursive: true });
  await Deno.writeTextFile(url, text);
}

if (import.meta.main) await main();

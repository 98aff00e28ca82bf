// Copyright 2026 the denomp authors. MIT license.
// The files under a folder of the repository, for the CI scripts.

/**
 * The URL of `path` (a "/"-separated path from `root`), with each name
 * escaped: `new URL(path, root)` would read a `#` or `?` in a name as the
 * start of a fragment or query, and a `%` as an escape.
 */
export function fileUrl(root: URL, path: string): URL {
  return new URL(escapePath(path), root);
}

/** A "/"-separated path with each name escaped, for a URL or a specifier. */
export function escapePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * The path from `root` of a URL below it: the inverse of
 * {@linkcode fileUrl}.
 */
export function pathFrom(root: URL, url: URL): string {
  return url.pathname.slice(root.pathname.length).split("/").map(
    decodeURIComponent,
  ).join("/");
}

/** Options for {@linkcode filesUnder}. */
export interface FilesUnderOptions {
  /** Whether to leave out a folder, by its name. */
  skipDir?: (name: string) => boolean;
}

/**
 * Every file below `dir` (a path from `root`, ending in "/", or "" for the
 * root itself) whose name ends with `suffix`, as paths from `root`, sorted.
 */
export async function filesUnder(
  root: URL,
  dir: string,
  suffix = "",
  options?: FilesUnderOptions,
): Promise<string[]> {
  const { skipDir = () => false } = options ?? {};
  const out: string[] = [];
  for await (const entry of Deno.readDir(fileUrl(root, dir))) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory) {
      if (skipDir(entry.name)) continue;
      out.push(...await filesUnder(root, `${path}/`, suffix, options));
    } else if (entry.isFile && entry.name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

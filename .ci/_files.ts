// Copyright 2026 the denomp authors. MIT license.
// The files under a folder of the repository, for the CI scripts.

/**
 * Every file below `dir` (a path from `root`, ending in "/") whose name ends
 * with `suffix`, as paths from `root`, sorted.
 */
export async function filesUnder(
  root: URL,
  dir: string,
  suffix = "",
): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(new URL(dir, root))) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory) {
      out.push(...await filesUnder(root, `${path}/`, suffix));
    } else if (entry.isFile && entry.name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

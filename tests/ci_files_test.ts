// Copyright 2026 the denomp authors. MIT license.
// The CI scripts' file walking (.ci/_files.ts), used by the build, the
// one-copy check and the Markdown table check.
import assert from "node:assert/strict";
import { runFixture } from "./_util.ts";

Deno.test("the CI scripts find and read files whose names hold #, ?, % or a space", async () => {
  const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
  const { code, stdout, stderr } = await runFixture("ci_walk.ts", [
    "--allow-read",
    `--allow-write=${tmp}`,
    "--allow-env=TMPDIR,TMP,TEMP",
  ]);
  assert.equal(code, 0, stderr);
  const { found, contents, roundTrip, names } = JSON.parse(stdout);
  assert.deepEqual(found, [
    "a#b/x.md",
    "c%20d/y.md",
    "q?/z.md",
    "sp ace/w.md",
    "top.md",
  ]);
  assert.deepEqual(contents, found);
  assert.deepEqual(roundTrip, names);
});

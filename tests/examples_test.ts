// Copyright 2026 the denomp authors. MIT license.
// Every example of examples/ (what `deno task demo` runs) runs to exit code
// 0, each in its own `deno run` with the demo's permissions: a ported
// program that breaks or hangs fails here, not only in the demo.
import assert from "node:assert/strict";
import { exampleNames, runExample } from "../examples/_demo.ts";

for (const name of await exampleNames()) {
  Deno.test(`examples/${name} runs to exit code 0`, async () => {
    const { code, timedOut, text } = await runExample(name, "piped");
    assert.ok(!timedOut, `examples/${name} hung:\n${text}`);
    assert.equal(code, 0, `examples/${name} failed:\n${text}`);
  });
}

// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 003: a Pool of 3 processes maps a file-processing function over a few
// CSV files; each worker parses one file and returns its row count.
//
//   deno run --allow-read=. --allow-write=. examples/pool_files.ts
import { currentProcess, Pool } from "@denomp/multiprocessing";

/** What a worker reports for one file. */
export interface FileSummary {
  file: string;
  rows: number;
  worker: string;
}

/** Parses one CSV file (header + rows) and counts its data rows. */
export async function processFile(fileName: string): Promise<FileSummary> {
  const text = await Deno.readTextFile(fileName);
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const [header, ...rows] = lines;
  const columns = header!.split(",").length;
  for (const row of rows) {
    if (row.split(",").length !== columns) {
      throw new SyntaxError(`${fileName}: a row has the wrong column count`);
    }
  }
  return { file: fileName, rows: rows.length, worker: currentProcess().name };
}

if (import.meta.main) {
  const dir = "examples/_out/pool_files";
  await Deno.mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const [i, rows] of [120, 45, 300].entries()) {
    const file = `${dir}/file${i + 1}.csv`;
    const lines = ["id,name,score"];
    for (let r = 0; r < rows; r++) lines.push(`${r},item${r},${(r * 7) % 100}`);
    await Deno.writeTextFile(file, lines.join("\n") + "\n");
    files.push(file);
  }
  await using pool = new Pool({ processes: 3 });
  const results = await pool.map(processFile, files);
  for (const { file, rows, worker } of results) {
    console.log(`${file}: ${rows} rows (parsed by ${worker})`);
  }
  console.log(`total rows: ${results.reduce((sum, r) => sum + r.rows, 0)}`);
  await Deno.remove(dir, { recursive: true });
}

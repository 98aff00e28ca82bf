// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Fails when a Markdown table in the project's documents would not render:
// a table must start with a header row and a `| --- |` separator, every row
// must have the header's number of cells, and no paragraph may hold the
// remains of a table (a blank line inside a table ends it, and `deno fmt`
// then reflows the rest into a paragraph full of `|`).
//
//   deno run --allow-read=. .ci/md_tables.ts [file.md ...]

import { filesUnder, fileUrl } from "./_files.ts";

const root = new URL("../", import.meta.url);
const files = Deno.args.length > 0 ? Deno.args : await markdownFiles();
const problems: string[] = [];
for (const file of files) {
  const text = await Deno.readTextFile(fileUrl(root, file));
  problems.push(...checkTables(text).map((p) => `${file}:${p}`));
}
if (problems.length > 0) {
  console.error(`broken Markdown tables:\n  ${problems.join("\n  ")}`);
  Deno.exit(1);
}

/** The repository's Markdown files, leaving out dot folders and node_modules. */
function markdownFiles(): Promise<string[]> {
  return filesUnder(root, "", ".md", {
    skipDir: (name) => name.startsWith(".") || name === "node_modules",
  });
}

/** The problems found, as `line: what`. */
export function checkTables(text: string): string[] {
  const lines = text.split("\n");
  const problems: string[] = [];
  let fence: string | null = null;
  let table: { header: number; row: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    const fenceMark = /^(`{3,}|~{3,})/.exec(trimmed)?.[1];
    if (fence !== null) {
      if (fenceMark !== undefined && fenceMark[0] === fence[0]) fence = null;
      continue;
    }
    if (fenceMark !== undefined) {
      fence = fenceMark;
      table = null;
      continue;
    }
    if (!trimmed.startsWith("|")) {
      table = null;
      // The remains of a table reflowed into a paragraph.
      if (cells(trimmed).length >= 3 && / \| /.test(trimmed)) {
        problems.push(`${i + 1}: table cells outside a table: ${clip(line)}`);
      }
      continue;
    }
    if (!trimmed.endsWith("|")) {
      problems.push(`${i + 1}: a table row must end with |: ${clip(line)}`);
    }
    const n = cells(trimmed).length;
    if (table === null) {
      const next = lines[i + 1]?.trim() ?? "";
      if (!/^\|(\s*:?-{3,}:?\s*\|)+$/.test(next)) {
        problems.push(
          `${
            i + 1
          }: a table must start with a header row and a | --- | separator: ${
            clip(line)
          }`,
        );
      } else if (cells(next).length !== n) {
        problems.push(
          `${i + 2}: the separator has ${
            cells(next).length
          } cells, the header ${n}`,
        );
      }
      table = { header: n, row: i };
      continue;
    }
    if (n !== table.header) {
      problems.push(
        `${i + 1}: ${n} cells in a table of ${table.header} columns: ${
          clip(line)
        }`,
      );
    }
  }
  return problems;
}

/** The cells of a row, splitting on `|` outside code spans and escapes. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cell = "";
  let code = 0;
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (c === "\\" && i + 1 < row.length) {
      cell += c + row[++i];
      continue;
    }
    if (c === "`") {
      let run = 1;
      while (row[i + run] === "`") run++;
      if (code === 0) code = run;
      else if (code === run) code = 0;
      cell += "`".repeat(run);
      i += run - 1;
      continue;
    }
    if (c === "|" && code === 0) {
      out.push(cell);
      cell = "";
      continue;
    }
    cell += c;
  }
  out.push(cell);
  // A row `| a | b |` splits into ["", " a ", " b ", ""].
  if (out[0]?.trim() === "") out.shift();
  if (out.at(-1)?.trim() === "") out.pop();
  return out;
}

function clip(line: string): string {
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// `deno task bench:compare`: runs every scenario in bench/scenarios/ and its
// CPython twin in bench/python/, back to back in one run on this machine,
// prints one table (scenario, ours, Python, ratio, target, met) and writes it
// to bench/RESULTS.md with an SVG chart of the ratios (bench/results.svg).
//
//   deno task bench:compare [name ...]   (all scenarios when none is named)

import type { ScenarioMeta, ScenarioResult } from "./_scenario.ts";

const here = new URL("./", import.meta.url);
const root = new URL("../", here);

interface Row {
  meta: ScenarioMeta;
  ours: ScenarioResult | null;
  python: { label: string; result: ScenarioResult | null }[];
  error?: string;
}

const DENO_FLAGS = [
  "--allow-read=.",
  "--allow-write=.",
  "--allow-run",
  "--allow-env",
  "--allow-net=127.0.0.1",
  "--allow-sys",
  "--unstable-worker-options",
];

async function scenarios(only: string[]): Promise<ScenarioMeta[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(new URL("scenarios/", here))) {
    if (entry.isFile && entry.name.endsWith(".ts")) {
      names.push(entry.name.slice(0, -3));
    }
  }
  names.sort();
  const metas: ScenarioMeta[] = [];
  for (const name of names) {
    if (only.length > 0 && !only.includes(name)) continue;
    const module = await import(new URL(`scenarios/${name}.ts`, here).href);
    metas.push(module.meta as ScenarioMeta);
  }
  return metas;
}

async function runJson(
  command: string,
  args: string[],
): Promise<ScenarioResult> {
  const output = await new Deno.Command(command, {
    args,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(180_000),
  }).output();
  const stdout = new TextDecoder().decode(output.stdout).trim();
  if (output.code !== 0) {
    const stderr = new TextDecoder().decode(output.stderr).trim();
    throw new Error(
      `${command} ${args.join(" ")} exited ${output.code}: ${
        stderr.split("\n").slice(-3).join(" | ")
      }`,
    );
  }
  const line = stdout.split("\n").filter((l) => l.startsWith("{")).at(-1);
  if (line === undefined) throw new Error(`no result line from ${args.at(-1)}`);
  return JSON.parse(line) as ScenarioResult;
}

/** How many times better ours is than the reference (> 1 is better). */
function speedup(meta: ScenarioMeta, ours: number, python: number): number {
  return meta.higherIsBetter ? ours / python : python / ours;
}

function met(
  meta: ScenarioMeta,
  ratio: number | null,
  ours: ScenarioResult,
): boolean {
  const { speedup: wanted, max, extra } = meta.target;
  if (wanted !== undefined && (ratio === null || ratio < wanted)) return false;
  if (max !== undefined && ours.value > max) return false;
  for (const [key, bound] of Object.entries(extra ?? {})) {
    const value = ours.extra?.[key];
    if (value === undefined) return false;
    if (bound.min !== undefined && value < bound.min) return false;
    if (bound.max !== undefined && value > bound.max) return false;
  }
  return true;
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function targetText(meta: ScenarioMeta): string {
  const parts: string[] = [];
  if (meta.target.speedup !== undefined) {
    parts.push(`>= ${meta.target.speedup}x Python`);
  }
  if (meta.target.max !== undefined) {
    parts.push(`<= ${meta.target.max} ${meta.unit}`);
  }
  for (const [key, bound] of Object.entries(meta.target.extra ?? {})) {
    if (bound.min !== undefined) parts.push(`${key} >= ${bound.min}`);
    if (bound.max !== undefined) parts.push(`${key} <= ${bound.max}`);
  }
  return parts.join(", ");
}

async function measure(meta: ScenarioMeta): Promise<Row> {
  const row: Row = { meta, ours: null, python: [] };
  try {
    row.ours = await runJson(Deno.execPath(), [
      "run",
      ...DENO_FLAGS,
      ...(meta.denoFlags ?? []),
      `bench/scenarios/${meta.name}.ts`,
    ]);
    for (const variant of meta.python ?? [{ label: "python", args: [] }]) {
      let result: ScenarioResult | null = null;
      try {
        result = await runJson(variant.command ?? "python3", [
          `bench/python/${meta.name}.py`,
          ...variant.args,
        ]);
      } catch (error) {
        row.error = error instanceof Error ? error.message : String(error);
      }
      row.python.push({ label: variant.label, result });
    }
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
  }
  return row;
}

function table(rows: Row[]): string {
  const lines = [
    "| scenario | what is timed | ours | Python | ratio | target | met |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const { meta, ours, python, error } of rows) {
    const reference = python[0]?.result?.value;
    const ratio = ours && reference !== undefined
      ? speedup(meta, ours.value, reference)
      : null;
    const pythonText = python.map((p) =>
      `${p.result ? fmt(p.result.value) : "n/a"} ${meta.unit}${
        python.length > 1 ? ` (${p.label})` : ""
      }`
    ).join("; ");
    const extra = ours?.extra
      ? ` (${
        Object.entries(ours.extra).map(([k, v]) => `${k}: ${fmt(v)}`).join(
          ", ",
        )
      })`
      : "";
    const ok = ours ? met(meta, ratio, ours) : false;
    lines.push(
      `| ${meta.name} | ${meta.what} | ${
        ours ? `${fmt(ours.value)} ${meta.unit}${extra}` : "failed"
      } | ${pythonText || "n/a"} | ${
        ratio === null ? "n/a" : `${ratio.toFixed(2)}x`
      } | ${targetText(meta)} | ${ok ? "yes" : "no"}${
        error ? ` (${error.replaceAll("|", "/").slice(0, 160)})` : ""
      } |`,
    );
  }
  return lines.join("\n");
}

function svg(rows: Row[]): string {
  const data = rows.map(({ meta, ours, python }) => {
    const reference = python[0]?.result?.value;
    const ratio = ours && reference !== undefined
      ? speedup(meta, ours.value, reference)
      : 0;
    return {
      name: meta.name,
      ratio,
      target: meta.target.speedup ?? 1,
      good: ours !== null &&
        met(meta, reference === undefined ? null : ratio, ours),
    };
  });
  const barHeight = 22;
  const left = 170;
  const width = 640;
  const height = data.length * barHeight + 50;
  // Log scale from 0.1x to 1000x so that 1x sits in the middle-left.
  const x = (r: number) =>
    left +
    (Math.log10(Math.max(r, 0.1)) + 1) / 4 * (width - left - 20);
  const bars = data.map((d, i) => {
    const y = 30 + i * barHeight;
    const good = d.good;
    return `<text x="${left - 6}" y="${
      y + 15
    }" text-anchor="end" font-size="12">${d.name}</text>` +
      `<rect x="${x(0.1)}" y="${y + 3}" width="${
        Math.max(1, x(d.ratio) - x(0.1))
      }" height="${barHeight - 6}" fill="${good ? "#2e7d32" : "#c62828"}"/>` +
      `<line x1="${x(d.target)}" x2="${x(d.target)}" y1="${y + 1}" y2="${
        y + barHeight - 1
      }" stroke="#000" stroke-dasharray="3,2"/>` +
      `<text x="${x(d.ratio) + 4}" y="${y + 15}" font-size="11">${
        d.ratio ? d.ratio.toFixed(2) + "x" : "n/a"
      }</text>`;
  }).join("\n");
  const ticks = [0.1, 1, 10, 100, 1000].map((t) =>
    `<line x1="${x(t)}" x2="${x(t)}" y1="24" y2="${
      height - 20
    }" stroke="#ccc"/><text x="${x(t)}" y="${
      height - 6
    }" font-size="11" text-anchor="middle">${t}x</text>`
  ).join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<text x="10" y="16" font-size="13">Speed-up over CPython 3.11 multiprocessing (log scale; dashed line: target)</text>
${ticks}
${bars}
</svg>
`;
}

if (import.meta.main) {
  const metas = await scenarios(Deno.args);
  const rows: Row[] = [];
  for (const meta of metas) {
    console.error(`measuring ${meta.name} ...`);
    rows.push(await measure(meta));
  }
  const text = table(rows);
  console.log(text);
  const deno = Deno.version.deno;
  const python = new TextDecoder().decode(
    (await new Deno.Command("python3", { args: ["--version"] }).output())
      .stdout,
  ).trim();
  const header = `# Benchmark results

Measured by \`deno task bench:compare\` on ${
    new Date().toISOString().slice(0, 10)
  }: Deno ${deno} against ${python}, ${navigator.hardwareConcurrency} cores. Each scenario runs in a
fresh process, ours and then Python's, back to back; the ratio is how many times
better ours is (higher rate or shorter time). Absolute figures drift on shared
machines; the ratios are what the targets in PERFORMANCE.md speak of.

![ratios](results.svg)

`;
  if (Deno.args.length === 0) {
    await Deno.writeTextFile(new URL("RESULTS.md", here), header + text + "\n");
    await Deno.writeTextFile(new URL("results.svg", here), svg(rows));
  }
}

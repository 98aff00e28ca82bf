// Copyright 2026 the denomp authors. MIT license.
// `deno bench`: Value and SharedArray access against the raw typed arrays
// and Atomics operations underneath.
import { RawValue, SharedArray, Value } from "@denomp/multiprocessing";

const f64 = new Float64Array(new SharedArrayBuffer(8));
const d = new Value("d", 0);
let x = 0;

Deno.bench({
  group: "value write",
  name: "raw Float64Array[0] = x",
  baseline: true,
  fn() {
    f64[0] = x++;
  },
});

Deno.bench({
  group: "value write",
  name: 'Value("d").value = x (checked)',
  fn() {
    d.value = x++;
  },
});

const i32 = new Int32Array(new SharedArrayBuffer(8));
const counter = new RawValue("i", 0);

Deno.bench({
  group: "atomic add",
  name: "raw Atomics.add",
  baseline: true,
  fn() {
    Atomics.add(i32, 0, 1);
  },
});

Deno.bench({
  group: "atomic add",
  name: 'RawValue("i").add(1)',
  fn() {
    counter.add(1);
  },
});

const locked = new Value("i", 0);
Deno.bench({
  group: "atomic add",
  name: "using v.getLock().holdSync(); v.value++",
  fn() {
    using _ = locked.getLock().holdSync();
    locked.value++;
  },
});

const N = 10_000;
const rawArray = new Float64Array(new SharedArrayBuffer(N * 8));
const arr = new SharedArray("d", N);

Deno.bench({
  group: "array fill 10k",
  name: "raw Float64Array loop",
  baseline: true,
  fn() {
    for (let i = 0; i < N; i++) rawArray[i] = i;
  },
});

Deno.bench({
  group: "array fill 10k",
  name: "SharedArray.view loop",
  fn() {
    const view = arr.view;
    for (let i = 0; i < N; i++) view[i] = i;
  },
});

Deno.bench({
  group: "array fill 10k",
  name: "SharedArray.set() loop (checked)",
  fn() {
    for (let i = 0; i < N; i++) arr.set(i, i);
  },
});

Deno.bench({
  group: "array read 10k",
  name: "raw Float64Array sum",
  baseline: true,
  fn() {
    let s = 0;
    for (let i = 0; i < N; i++) s += rawArray[i]!;
    x = s;
  },
});

Deno.bench({
  group: "array read 10k",
  name: "SharedArray.get() sum (checked)",
  fn() {
    let s = 0;
    for (let i = 0; i < N; i++) s += arr.get(i);
    x = s;
  },
});

Deno.bench({
  group: "array read 10k",
  name: "for (const v of SharedArray) sum",
  fn() {
    let s = 0;
    for (const v of arr) s += v;
    x = s;
  },
});

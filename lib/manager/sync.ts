// Copyright 2026 the denomp authors. MIT license.
// The Manager server's synchronisation kinds: lock, rlock, semaphore,
// boundedSemaphore, event, condition, barrier and queue. Waiters are served
// first come, first served; a released lock or unit goes straight to the
// first waiter. A connection that closes gives back the locks it holds,
// leaves every wait, and breaks a barrier it was waiting at. Private.

import type { RpcId } from "./rpc.ts";
import type { Conn } from "./server.ts";
import {
  detach,
  dropWaits,
  entryOf,
  hold,
  insert,
  int,
  kinds,
  type Method,
  named,
  on,
  ParamsError,
  park,
  type Tagged,
  timeoutOf,
  unhold,
  type Waiter,
} from "./objects.ts";

interface LockState {
  locked: boolean;
  owner: Conn | null;
  waiters: Waiter[];
}

interface RLockState {
  owner: Conn | null;
  count: number;
  waiters: Waiter[];
}

interface SemaphoreState {
  value: number;
  /** The most units there may be (a bounded semaphore), else `null`. */
  bound: number | null;
  waiters: Waiter[];
}

interface EventState {
  flag: boolean;
  waiters: Waiter[];
}

interface ConditionState {
  /** The lock's id; the condition holds a reference to it. */
  lock: string;
  waiters: Waiter[];
}

interface BarrierState {
  parties: number;
  /** The timeout of a wait that gives none, in ms, or `null`. */
  timeout: number | null;
  broken: boolean;
  waiters: (Waiter & { index: number })[];
}

interface QueueState extends Tagged {
  items: unknown[];
  maxsize: number;
  getters: Waiter[];
  putters: (Waiter & { item: unknown })[];
}

// ---------------------------------------------------------------------------
// Locks (also what a condition waits with)

/** Takes the lock for `conn` if it is free (or, for an rlock, its own). */
function tryAcquire(kind: string, s: LockState | RLockState, conn: Conn) {
  if (kind === "lock") {
    const l = s as LockState;
    if (l.locked) return false;
    l.locked = true;
    l.owner = conn;
    return true;
  }
  const r = s as RLockState;
  if (r.owner !== null && r.owner !== conn) return false;
  r.owner = conn;
  r.count++;
  return true;
}

function lockRelease(s: LockState): void {
  if (!s.locked) {
    throw named("Error", "Cannot release lock: the lock is not held");
  }
  const next = s.waiters[0];
  if (next) {
    // Hand over directly: no acquirer can slip in between.
    s.owner = next.conn;
    next.done(true);
  } else {
    s.locked = false;
    s.owner = null;
  }
}

function rlockRelease(s: RLockState, conn: Conn): void {
  if (s.owner !== conn || s.count === 0) {
    throw named(
      "Error",
      "Cannot release rlock: the rlock is not held by this connection",
    );
  }
  if (--s.count > 0) return;
  const next = s.waiters[0];
  if (next) {
    s.owner = next.conn;
    s.count = 1;
    next.done(true);
  } else {
    s.owner = null;
  }
}

function acquire(
  kind: string,
  s: LockState | RLockState,
  a: unknown[],
  conn: Conn,
  id: RpcId,
): unknown {
  if (tryAcquire(kind, s, conn)) return true;
  const timeout = timeoutOf(a[0]);
  if (timeout === 0) return false;
  return park(conn, id, s.waiters, timeout, () => false);
}

function release(kind: string, s: LockState | RLockState, conn: Conn): null {
  if (kind === "lock") lockRelease(s as LockState);
  else rlockRelease(s as RLockState, conn);
  return null;
}

function lockDisconnect(kind: string, s: LockState | RLockState, conn: Conn) {
  dropWaits(conn, s.waiters);
  if (kind === "lock") {
    const l = s as LockState;
    if (l.locked && l.owner === conn) lockRelease(l);
  } else {
    const r = s as RLockState;
    if (r.owner === conn) {
      r.count = 1;
      rlockRelease(r, conn);
    }
  }
}

kinds.set("lock", {
  create: () => ({ locked: false, owner: null, waiters: [] }),
  disconnect: (s, conn) => lockDisconnect("lock", s as LockState, conn),
});

kinds.set("rlock", {
  create: () => ({ owner: null, count: 0, waiters: [] }),
  disconnect: (s, conn) => lockDisconnect("rlock", s as RLockState, conn),
});

// ---------------------------------------------------------------------------
// Semaphores, event

function semaphoreRelease(s: SemaphoreState, n: number): void {
  if (s.bound !== null && s.value + n > s.bound) {
    throw named(
      "RangeError",
      `Cannot release semaphore: released too many times (value ${s.value} + ${n} would exceed the bound ${s.bound})`,
    );
  }
  s.value += n;
  while (s.value > 0 && s.waiters.length > 0) {
    s.value--;
    s.waiters[0]!.done(true);
  }
}

function semaphoreCreate(bounded: boolean) {
  return (args: unknown[]): SemaphoreState => {
    const value = args[0] === undefined ? 1 : int(args[0], "value");
    if (value < 0) throw new ParamsError("value must be non-negative");
    return { value, bound: bounded ? value : null, waiters: [] };
  };
}

kinds.set("semaphore", {
  create: semaphoreCreate(false),
  disconnect: (s, conn) => dropWaits(conn, (s as SemaphoreState).waiters),
});

kinds.set("boundedSemaphore", {
  create: semaphoreCreate(true),
  disconnect: (s, conn) => dropWaits(conn, (s as SemaphoreState).waiters),
});

kinds.set("event", {
  create: () => ({ flag: false, waiters: [] }),
  disconnect: (s, conn) => dropWaits(conn, (s as EventState).waiters),
});

// ---------------------------------------------------------------------------
// Condition

/** The condition's lock: its kind and state. */
function lockOf(s: ConditionState): { kind: string; state: LockState } {
  const entry = entryOf(s.lock, null);
  return { kind: entry.kind, state: entry.state };
}

function owns(kind: string, s: LockState | RLockState, conn: Conn): boolean {
  return kind === "lock"
    ? (s as LockState).locked && s.owner === conn
    : s.owner === conn;
}

function requireOwned(what: string, s: ConditionState, conn: Conn) {
  const lock = lockOf(s);
  if (!owns(lock.kind, lock.state, conn)) {
    throw named(
      "Error",
      `Cannot ${what}: the condition's lock is not held by this connection`,
    );
  }
  return lock;
}

/**
 * Python's Condition.wait: gives the lock up entirely, waits to be
 * notified (or for the timeout), takes the lock back as it was, then
 * answers `true` (notified) or `false` (timed out).
 */
async function conditionWait(
  s: ConditionState,
  a: unknown[],
  conn: Conn,
  id: RpcId,
): Promise<boolean> {
  const { kind, state } = requireOwned("wait", s, conn);
  const timeout = timeoutOf(a[0]);
  const saved = kind === "lock" ? 1 : (state as unknown as RLockState).count;
  if (kind === "rlock") (state as unknown as RLockState).count = 1;
  release(kind, state, conn);
  let notified = false;
  let failure: unknown = null;
  try {
    notified = timeout === 0
      ? false
      : await park(conn, id, s.waiters, timeout, () => false) as boolean;
  } catch (error) {
    failure = error;
  }
  // Take the lock back before answering, even when cancelled; this wait
  // itself cannot be cancelled (a closed connection just drops it).
  if (!tryAcquire(kind, state, conn)) {
    await park(conn, null, state.waiters, null, () => true);
  }
  if (kind === "rlock") (state as unknown as RLockState).count = saved;
  if (failure !== null) throw failure;
  return notified;
}

kinds.set("condition", {
  create(args) {
    // The lock given (a lock or rlock proxy's id), else a new rlock, as
    // Python's Condition(); the condition holds a reference to it.
    let lock: string;
    if (args[0] === undefined || args[0] === null) {
      lock = insert({
        kind: "rlock",
        refs: 1,
        state: kinds.get("rlock")!.create([]),
      });
    } else {
      const entry = entryOf(args[0], null);
      if (entry.kind !== "lock" && entry.kind !== "rlock") {
        throw new ParamsError(
          `lock must be a lock or rlock, not a ${entry.kind}`,
        );
      }
      entry.refs++;
      lock = args[0] as string;
    }
    return { lock, waiters: [] } satisfies ConditionState;
  },
  held: (s) => [{ $: "p", v: (s as ConditionState).lock }],
  disconnect: (s, conn) => dropWaits(conn, (s as ConditionState).waiters),
});

// ---------------------------------------------------------------------------
// Barrier

function brokenBarrier(): Error {
  return named("BrokenBarrierError", "The barrier is broken");
}

function breakBarrier(s: BarrierState): void {
  s.broken = true;
  for (const w of s.waiters.slice()) w.fail(brokenBarrier());
}

kinds.set("barrier", {
  create(args) {
    const parties = int(args[0], "parties");
    if (parties < 1) throw new ParamsError("parties must be at least 1");
    return {
      parties,
      timeout: timeoutOf(args[1]),
      broken: false,
      waiters: [],
    } satisfies BarrierState;
  },
  disconnect(state, conn) {
    // A party that went away can never arrive: the others must not wait
    // for it for ever (Python's barrier breaks on a timeout the same way).
    const s = state as BarrierState;
    if (s.waiters.some((w) => w.conn === conn)) {
      dropWaits(conn, s.waiters);
      breakBarrier(s);
    }
  },
});

// ---------------------------------------------------------------------------
// Queue

/** Takes the first item, letting the first waiting putter in. */
function queueShift(s: QueueState): unknown {
  const item = s.items.shift();
  const putter = s.putters[0];
  if (putter) {
    s.items.push(putter.item);
    putter.done(null);
  }
  return item;
}

kinds.set("queue", {
  create(args) {
    const maxsize = args[0] === undefined ? 0 : int(args[0], "maxsize");
    return {
      items: [],
      maxsize,
      getters: [],
      putters: [],
      tagged: 0,
    } satisfies QueueState;
  },
  held: (s) => [
    ...(s as QueueState).items,
    ...(s as QueueState).putters.map((p) => p.item),
  ],
  disconnect(state, conn) {
    const s = state as QueueState;
    dropWaits(conn, s.getters, s.putters);
  },
});

// ---------------------------------------------------------------------------
// Methods

const SEMAPHORES = ["semaphore", "boundedSemaphore"];

/** Methods of a lock kind, by the kind's name. */
function lockMethods(kind: string): [string, Method][] {
  return [
    [
      `${kind}.acquire`,
      on<LockState>(kind, (s, a, conn, id) => acquire(kind, s, a, conn, id)),
    ],
    [`${kind}.release`, on<LockState>(kind, (s, _a, c) => release(kind, s, c))],
    [
      `${kind}.locked`,
      on<LockState>(kind, (s) => kind === "lock" ? s.locked : s.owner !== null),
    ],
  ];
}

/** The synchronisation kinds' methods. */
export const SYNC_METHODS: [string, Method][] = [
  // lock: any holder may release it, as in Python; rlock: owned by a
  // connection (one per thread on the client side).
  ...lockMethods("lock"),
  ...lockMethods("rlock"),

  [
    "semaphore.acquire",
    on<SemaphoreState>(SEMAPHORES, (s, a, conn, id) => {
      if (s.value > 0 && s.waiters.length === 0) {
        s.value--;
        return true;
      }
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) return false;
      return park(conn, id, s.waiters, timeout, () => false);
    }),
  ],
  [
    "semaphore.release",
    on<SemaphoreState>(SEMAPHORES, (s, a) => {
      const n = a[0] === undefined ? 1 : int(a[0], "n");
      if (n < 1) throw new ParamsError("n must be at least 1");
      semaphoreRelease(s, n);
      return null;
    }),
  ],
  ["semaphore.getValue", on<SemaphoreState>(SEMAPHORES, (s) => s.value)],

  [
    "event.set",
    on<EventState>("event", (s) => {
      s.flag = true;
      for (const w of s.waiters.slice()) w.done(true);
      return null;
    }),
  ],
  [
    "event.clear",
    on<EventState>("event", (s) => {
      s.flag = false;
      return null;
    }),
  ],
  ["event.isSet", on<EventState>("event", (s) => s.flag)],
  [
    "event.wait",
    on<EventState>("event", (s, a, conn, id) => {
      if (s.flag) return true;
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) return false;
      return park(conn, id, s.waiters, timeout, () => false);
    }),
  ],

  [
    "condition.acquire",
    on<ConditionState>("condition", (s, a, conn, id) => {
      const { kind, state } = lockOf(s);
      return acquire(kind, state, a, conn, id);
    }),
  ],
  [
    "condition.release",
    on<ConditionState>("condition", (s, _a, conn) => {
      const { kind, state } = lockOf(s);
      return release(kind, state, conn);
    }),
  ],
  ["condition.wait", on<ConditionState>("condition", conditionWait)],
  [
    "condition.notify",
    on<ConditionState>("condition", (s, a, conn) => {
      requireOwned("notify", s, conn);
      const n = a[0] === undefined ? 1 : int(a[0], "n");
      if (n < 0) throw new ParamsError("n must be non-negative");
      for (const w of s.waiters.slice(0, n)) w.done(true);
      return null;
    }),
  ],
  [
    "condition.notifyAll",
    on<ConditionState>("condition", (s, _a, conn) => {
      requireOwned("notify", s, conn);
      for (const w of s.waiters.slice()) w.done(true);
      return null;
    }),
  ],

  [
    "barrier.wait",
    on<BarrierState>("barrier", (s, a, conn, id) => {
      if (s.broken) throw brokenBarrier();
      const index = s.waiters.length;
      if (index + 1 === s.parties) {
        // The last to arrive lets everybody through; the barrier is ready
        // for its next round at once.
        for (const w of s.waiters.slice()) w.done(w.index);
        return index;
      }
      const timeout = a[0] === undefined ? s.timeout : timeoutOf(a[0]);
      return park(conn, id, s.waiters, timeout, () => {
        breakBarrier(s);
        throw brokenBarrier();
      }, { index });
    }),
  ],
  [
    "barrier.abort",
    on<BarrierState>("barrier", (s) => {
      breakBarrier(s);
      return null;
    }),
  ],
  [
    "barrier.reset",
    on<BarrierState>("barrier", (s) => {
      // Waiting parties get BrokenBarrierError, as in Python.
      if (s.waiters.length > 0) breakBarrier(s);
      s.broken = false;
      return null;
    }),
  ],
  [
    "barrier.state",
    on<BarrierState>("barrier", (s) => ({
      parties: s.parties,
      nWaiting: s.waiters.length,
      broken: s.broken,
    })),
  ],

  [
    "queue.put",
    on<QueueState>("queue", (s, a, conn, id) => {
      // Held from now on: in the queue, in a waiting putter, or on its way
      // to a waiting getter (whose client then owns its references).
      const item = hold(s, a[0]);
      if (s.maxsize <= 0 || s.items.length < s.maxsize) {
        const getter = s.getters[0];
        if (getter) getter.done(detach(s, item));
        else s.items.push(item);
        return null;
      }
      const timeout = timeoutOf(a[1]);
      const full = () => {
        throw named("QueueFullError", "The queue is full");
      };
      if (timeout === 0) {
        unhold(s, item);
        return full();
      }
      return park(conn, id, s.putters, timeout, full, {
        item,
        abandoned: () => unhold(s, item),
      });
    }),
  ],
  [
    "queue.get",
    on<QueueState>("queue", (s, a, conn, id) => {
      if (s.items.length > 0) return detach(s, queueShift(s));
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) throw named("QueueEmptyError", "The queue is empty");
      return park(conn, id, s.getters, timeout, () => {
        throw named("QueueEmptyError", "The queue is empty");
      });
    }),
  ],
  ["queue.qsize", on<QueueState>("queue", (s) => s.items.length)],
  ["queue.empty", on<QueueState>("queue", (s) => s.items.length === 0)],
  [
    "queue.full",
    on<QueueState>(
      "queue",
      (s) => s.maxsize > 0 && s.items.length >= s.maxsize,
    ),
  ],
];

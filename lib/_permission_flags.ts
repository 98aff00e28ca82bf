// Copyright 2026 the denomp authors. MIT license.
// The `--allow-*` flags of a `deno run` subprocess of ours (a spawned
// Process or pool worker, the Manager's server). A subprocess is not
// limited by its parent's permissions the way a Worker is, so the check is
// ours: it never gets more than this program can show it holds: Deno's permission API answers whether a
// given path, host, variable, ... is granted, but cannot list a scoped
// grant, so "inherit" grants every permission this program holds in full,
// and of scoped grants those it can probe (the working directory and the
// main module's directory for read and write, loopback hosts for net, every
// sys API, Deno itself for run), plus what the values sent to the child
// need (a Manager's socket). A `permissions` object narrows that per
// permission, as Deno's worker option does; a list in it is checked entry
// by entry against this program's grants. Private.

import { programMain } from "./_context.ts";
import type { SharedDescriptor } from "./_registry.ts";
import { describe } from "./_wait.ts";
import type { WorkerPermissions } from "./_workers.ts";

const NAMES = [
  "read",
  "write",
  "net",
  "env",
  "sys",
  "run",
  "ffi",
  "import",
] as const;

type Name = typeof NAMES[number];

/** What a spawned child may do with one permission: all, or a list. */
type Grant = true | string[];

/** Paths and hosts the values sent to a child need (beyond its own). */
export interface NeededGrants {
  read?: string[];
  write?: string[];
  net?: string[];
}

/**
 * What a child needs to use the shared objects sent to it: for a Manager
 * proxy (whose data carries the manager's `address`), its socket.
 */
export function neededFor(descriptors: SharedDescriptor[]): NeededGrants {
  const needed = {
    read: [] as string[],
    write: [] as string[],
    net: [] as string[],
  };
  for (const { data } of descriptors) {
    const address = (data as { address?: unknown } | null)?.address;
    if (typeof address === "string") {
      needed.read.push(address);
      needed.write.push(address);
      needed.net.push(`unix:${address}`);
    } else if (
      typeof address === "object" && address !== null &&
      "hostname" in address && "port" in address
    ) {
      needed.net.push(`${address.hostname}:${address.port}`);
    }
  }
  return needed;
}

/** Both lists of needed grants together. */
export function mergeNeeded(a: NeededGrants, b: NeededGrants): NeededGrants {
  return {
    read: [...(a.read ?? []), ...(b.read ?? [])],
    write: [...(a.write ?? []), ...(b.write ?? [])],
    net: [...(a.net ?? []), ...(b.net ?? [])],
  };
}

const SYS_KINDS = [
  "loadavg",
  "hostname",
  "systemMemoryInfo",
  "networkInterfaces",
  "osRelease",
  "osUptime",
  "uid",
  "gid",
  "username",
  "cpus",
  "homedir",
  "statfs",
  "getPriority",
  "setPriority",
  "ca",
  "umask",
];

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    // A descriptor this Deno does not know: not granted.
    return false;
  }
}

function descriptor(name: Name, value: string): Deno.PermissionDescriptor {
  switch (name) {
    case "read":
    case "write":
    case "ffi":
      return { name, path: value };
    case "net":
    case "import":
      return { name, host: value };
    case "env":
      return { name, variable: value };
    case "sys":
      return {
        name,
        kind: value as NonNullable<Deno.SysPermissionDescriptor["kind"]>,
      };
    case "run":
      return { name, command: value };
  }
}

/** A file: URL's path; anything else as it is. */
export function pathOf(value: string | URL): string {
  const url = value instanceof URL
    ? value
    : value.startsWith("file:")
    ? new URL(value)
    : null;
  if (url === null) return value as string;
  const path = decodeURIComponent(url.pathname);
  // file:///C:/x on Windows.
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}

function candidates(name: Name, needed: NeededGrants): string[] {
  switch (name) {
    case "read":
    case "write": {
      const list = [".", ...(needed[name] ?? [])];
      const main = programMain();
      if (main.startsWith("file:")) list.push(pathOf(new URL(".", main)));
      return list;
    }
    case "net":
      return [
        "127.0.0.1",
        "localhost",
        "0.0.0.0",
        "[::1]",
        ...(needed.net ?? []),
      ];
    case "sys":
      return SYS_KINDS;
    case "run":
      return [Deno.execPath()];
    default:
      return [];
  }
}

/** What this program can show it holds of one permission. */
function inherited(name: Name, needed: NeededGrants): Grant | null {
  if (granted({ name } as Deno.PermissionDescriptor)) return true;
  const list = candidates(name, needed).filter((value) =>
    !value.includes(",") && granted(descriptor(name, value))
  );
  return list.length > 0 ? [...new Set(list)] : null;
}

/** Whether a list entry of permission `name` may be a URL. */
function takesUrls(name: Name): boolean {
  return name === "read" || name === "write" || name === "run" ||
    name === "ffi";
}

/** Checks one permission's value has a shape Deno takes. */
function checkValue(what: string, name: Name, value: unknown): void {
  if (
    value === undefined || value === "inherit" || typeof value === "boolean"
  ) {
    return;
  }
  if (!Array.isArray(value)) {
    throw new TypeError(
      `${what}: permissions.${name} must be "inherit", a boolean or an array, received ${
        describe(value)
      }`,
    );
  }
  for (const item of value) {
    if (
      typeof item !== "string" && !(takesUrls(name) && item instanceof URL)
    ) {
      throw new TypeError(
        `${what}: permissions.${name} must list strings${
          takesUrls(name) ? " or URLs" : ""
        }, received ${describe(item)}`,
      );
    }
  }
}

function explicit(what: string, name: Name, value: unknown): Grant | null {
  if (value === undefined || value === false) return null;
  if (value === true) {
    if (!granted({ name } as Deno.PermissionDescriptor)) {
      throw new Deno.errors.NotCapable(
        `${what}: permissions.${name} asks for all ${name} access, which this program does not hold; run it with --allow-${name}, or list what the child needs`,
      );
    }
    return true;
  }
  // checkPermissions has checked the shape: a list of strings (and URLs).
  const list: string[] = [];
  for (const item of value as (string | URL)[]) {
    const entry = pathOf(item);
    if (entry.includes(",")) {
      throw new TypeError(
        `${what}: permissions.${name} entry ${
          JSON.stringify(entry)
        } contains a comma, which an --allow-${name} flag cannot carry`,
      );
    }
    if (!granted(descriptor(name, entry))) {
      throw new Deno.errors.NotCapable(
        `${what}: permissions.${name} lists ${
          JSON.stringify(entry)
        }, which this program may not access; run it with --allow-${name}=${entry}`,
      );
    }
    list.push(entry);
  }
  return list.length > 0 ? list : null;
}

/**
 * Checks a `permissions` option's shape: `"inherit"`, `"none"`, `undefined`
 * or an object whose keys are permission names, each `"inherit"`, a
 * boolean, or a list of strings (and URLs for paths). Whether this program
 * holds what it asks for is checked when a child starts.
 *
 * @throws {TypeError} For anything else.
 */
export function checkPermissions(what: string, permissions: unknown): void {
  if (
    permissions === undefined || permissions === "inherit" ||
    permissions === "none"
  ) {
    return;
  }
  if (typeof permissions !== "object" || permissions === null) {
    throw new TypeError(
      `${what}: permissions must be "inherit", "none" or an object, received ${
        describe(permissions)
      }`,
    );
  }
  const object = permissions as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!(NAMES as readonly string[]).includes(key)) {
      throw new TypeError(
        `${what}: permissions has an unknown key ${
          JSON.stringify(key)
        }; the keys are ${NAMES.join(", ")}`,
      );
    }
    checkValue(what, key as Name, object[key]);
  }
}

/**
 * The `--allow-*` flags for a spawned child.
 *
 * @param what The sentence start for errors.
 * @param permissions `"inherit"` (the default), `"none"`, or an object that
 * narrows per permission (a key left out means none).
 * @param needed What the values sent to the child need, granted when this
 * program holds it and the permission is inherited.
 * @param always Read access the child needs whatever its permissions (the
 * toolkit's own modules).
 * @throws {TypeError} For a malformed `permissions`.
 * @throws {Deno.errors.NotCapable} When `permissions` asks for more than
 * this program holds.
 */
export function permissionFlags(
  what: string,
  permissions: WorkerPermissions | undefined,
  needed: NeededGrants,
  always: { read: string[] },
): string[] {
  checkPermissions(what, permissions);
  const grants = new Map<Name, Grant>();
  if (permissions === undefined || permissions === "inherit") {
    for (const name of NAMES) {
      const grant = inherited(name, needed);
      if (grant !== null) grants.set(name, grant);
    }
  } else if (permissions !== "none") {
    const object = permissions as Record<string, unknown>;
    for (const name of NAMES) {
      const value = object[name];
      const grant = value === "inherit"
        ? inherited(name, needed)
        : explicit(what, name, value);
      if (grant !== null) grants.set(name, grant);
    }
  }
  const read = grants.get("read");
  if (read !== true && always.read.length > 0) {
    grants.set("read", [...new Set([...(read ?? []), ...always.read])]);
  }
  const flags: string[] = [];
  for (const [name, grant] of grants) {
    if (grant === true) flags.push(`--allow-${name}`);
    else if (grant.length > 0) flags.push(`--allow-${name}=${grant.join(",")}`);
  }
  return flags;
}

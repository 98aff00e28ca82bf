// Copyright 2026 the denomp authors. MIT license.
// Deno permissions, as a Worker takes them ("inherit", "none" or an
// object), turned into the `--allow-*` flags of a `deno run` subprocess,
// never beyond what this program holds. A subprocess is not limited by
// its parent's permissions the way a Worker is, so the check is ours.
// Private.

import { describe } from "./_wait.ts";

/** Permissions for a subprocess: as a Worker's. */
export type SubprocessPermissions =
  | "inherit"
  | "none"
  | Deno.PermissionOptionsObject;

type Name = "read" | "write" | "net" | "env" | "run" | "ffi" | "sys" | "import";

const NAMES: readonly Name[] = [
  "read",
  "write",
  "net",
  "env",
  "run",
  "ffi",
  "sys",
  "import",
];

function query(name: Name, item?: string): boolean {
  let descriptor: Deno.PermissionDescriptor;
  switch (name) {
    case "read":
    case "write":
    case "ffi":
      descriptor = item === undefined ? { name } : { name, path: item };
      break;
    case "net":
    case "import":
      descriptor = item === undefined ? { name } : { name, host: item };
      break;
    case "env":
      descriptor = item === undefined ? { name } : { name, variable: item };
      break;
    case "run":
      descriptor = item === undefined ? { name } : { name, command: item };
      break;
    case "sys":
      descriptor = item === undefined ? { name } : {
        name,
        kind: item as NonNullable<Deno.SysPermissionDescriptor["kind"]>,
      };
      break;
  }
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

function itemText(item: unknown): string {
  if (item instanceof URL) {
    return item.protocol === "file:"
      ? decodeURIComponent(item.pathname)
      : item.href;
  }
  if (typeof item === "string") return item;
  throw new TypeError(
    `a permission entry must be a string or URL, received ${describe(item)}`,
  );
}

/**
 * The `--allow-*` flags for `permissions`. `"inherit"` passes each
 * permission this program holds for everything (Deno cannot list the
 * paths or hosts of a partial grant: name them in the object form).
 *
 * @throws {Deno.errors.NotCapable} when the object asks for more than this
 * program holds.
 * @throws {TypeError} for a malformed object.
 */
export function permissionFlags(
  what: string,
  permissions: SubprocessPermissions,
): string[] {
  if (permissions === "none") return [];
  const flags: string[] = [];
  if (permissions === "inherit") {
    for (const name of NAMES) if (query(name)) flags.push(`--allow-${name}`);
    return flags;
  }
  if (typeof permissions !== "object" || permissions === null) {
    throw new TypeError(
      `${what}: permissions must be "inherit", "none" or an object, received ${
        describe(permissions)
      }`,
    );
  }
  const given = permissions as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(NAMES as readonly string[]).includes(key)) {
      throw new TypeError(
        `${what}: permissions.${key} is not a permission (${NAMES.join(", ")})`,
      );
    }
  }
  for (const name of NAMES) {
    const value = given[name];
    if (value === undefined || value === false) continue;
    if (value === "inherit") {
      if (query(name)) flags.push(`--allow-${name}`);
      continue;
    }
    if (value === true) {
      if (!query(name)) {
        throw new Deno.errors.NotCapable(
          `${what}: permissions.${name} asks for all of "${name}", which this program does not hold`,
        );
      }
      flags.push(`--allow-${name}`);
      continue;
    }
    if (!Array.isArray(value)) {
      throw new TypeError(
        `${what}: permissions.${name} must be true, false, "inherit" or a list, received ${
          describe(value)
        }`,
      );
    }
    const items = value.map((item) => {
      try {
        return itemText(item);
      } catch (error) {
        throw new TypeError(
          `${what}: permissions.${name}: ${(error as Error).message}`,
        );
      }
    });
    for (const item of items) {
      if (!query(name, item)) {
        throw new Deno.errors.NotCapable(
          `${what}: permissions.${name} asks for "${item}", which this program has not been granted`,
        );
      }
    }
    if (items.length > 0) flags.push(`--allow-${name}=${items.join(",")}`);
  }
  return flags;
}

// Copyright 2026 the denomp authors. MIT license.
// The Manager's wire: typed JSON-RPC 2.0 messages and error codes, carried
// in the frames of lib/net/frame.ts. Shared by the client
// (lib/manager/client.ts) and the server (lib/manager/server.ts).
// docs/PROTOCOL.md is the prose version. Private.

/** A request id: this implementation always sends integers. */
export type RpcId = number | string | null;

/** A JSON-RPC 2.0 request (a notification when `id` is absent). */
export interface RpcRequest {
  jsonrpc: "2.0";
  id?: RpcId;
  method: string;
  params?: unknown[];
}

/** The error member of a failed response. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: RpcErrorData;
}

/** What `error.data` carries for errors thrown by a method. */
export interface RpcErrorData {
  /** The error class name, such as `"RangeError"` or `"QueueEmptyError"`. */
  name: string;
  /** The server-side stack, when there is one. */
  stack?: string;
}

/** A successful response. */
export interface RpcSuccess {
  jsonrpc: "2.0";
  id: RpcId;
  result: unknown;
}

/** A failed response. */
export interface RpcFailure {
  jsonrpc: "2.0";
  id: RpcId;
  error: RpcErrorObject;
}

/** Any response. */
export type RpcResponse = RpcSuccess | RpcFailure;

// Standard JSON-RPC 2.0 codes.
/** Invalid JSON was received. */
export const PARSE_ERROR = -32700;
/** The JSON is not a valid request object. */
export const INVALID_REQUEST = -32600;
/** The method does not exist or is not allowed. */
export const METHOD_NOT_FOUND = -32601;
/** Wrong parameters for the method. */
export const INVALID_PARAMS = -32602;
/** A server bug. */
export const INTERNAL_ERROR = -32603;
// Implementation-defined codes (-32000 to -32099).
/** The method threw; `data.name` names the error class. */
export const METHOD_ERROR = -32000;
/** No object has this id (never created, or released). */
export const UNKNOWN_OBJECT = -32001;
/** A blocking call was cancelled with `manager.cancel`. */
export const CANCELLED = -32002;
/** A frame longer than the server's limit (the connection is then closed). */
export const FRAME_TOO_LARGE = -32003;
/**
 * The connection went over a limit - a frame stopped arriving, or it held
 * too many bytes - and is closed.
 */
export const LIMIT_EXCEEDED = -32004;
/**
 * User code threw (a registered type's constructor or method); `data.name`
 * and `data.stack` are the thrown error's.
 */
export const USER_ERROR = -32005;

/** Default largest frame the server accepts (16 MiB), prefix excluded. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** Most elements a Manager array holds (checked by both sides). */
export const MAX_ARRAY_LENGTH = 2 ** 28;
/** Protocol name sent in the server's first handshake frame. */
export const PROTOCOL = "denomp-manager/1";

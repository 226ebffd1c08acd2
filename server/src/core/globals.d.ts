// The only globals the pure core may use beyond ECMAScript itself.
//
// The core project (server/tsconfig.core.json) compiles with `types: []` and
// lib ES2022 alone, so `process`, `Buffer`, `require`, `__dirname`,
// `setImmediate` and the rest of Node are compile errors there: the core runs in
// the LSP server, the CLI, parser threads and, one day, a browser or web worker.
// Each global below is a web standard that Node, browsers and workers all
// provide, declared with just the members the core uses (widen one when the core
// needs more, keeping to the standard's signature). Add a global here only if it
// exists in all three.
//
// The projects that load @types/node (server/tsconfig.node.json,
// test/tsconfig.json) exclude this file: Node declares these itself.

/** WHATWG Encoding: bytes read through `IFileSystem` → text. */
interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};

/** WHATWG Encoding: text → UTF-8 bytes (the parse cache's records). */
interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: {
  prototype: TextEncoder;
  new (): TextEncoder;
};

/** WHATWG URL: the host and path of a talk's links. */
interface URL {
  readonly hostname: string;
  readonly pathname: string;
}
declare var URL: {
  prototype: URL;
  new (url: string, base?: string | URL): URL;
};

/**
 * HTML timers: yielding to the event loop while indexing, and waiting with a
 * deadline or a cancellation poll (core/cancellation.ts). A handle is a number in
 * browsers and an object in Node, so here it is opaque: only `clear…` takes it.
 */
interface TimerHandle {
  readonly __timerHandle: never;
}
declare function setTimeout(callback: (...args: never[]) => void, milliseconds?: number): TimerHandle;
declare function clearTimeout(handle?: TimerHandle): void;
declare function setInterval(callback: (...args: never[]) => void, milliseconds?: number): TimerHandle;
declare function clearInterval(handle?: TimerHandle): void;

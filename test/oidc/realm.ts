// Vitest's jsdom environment puts jsdom's ArrayBuffer and Uint8Array on the
// global object, while TextEncoder and WebCrypto stay Node's: their results
// are then not `instanceof` the global constructors, and oauth4webapi's
// checks fail ("input.subarray is not a function"). A browser has one realm;
// this gives the test page Node's typed arrays so the two agree again. It
// replaces no browser API with a fake: only which realm's built-ins are seen.
// Import it first in every test that runs the OIDC adapter under jsdom.
const nodeUint8Array = Object.getPrototypeOf(new TextEncoder().encode('')).constructor as Uint8ArrayConstructor
const nodeArrayBuffer = Object.getPrototypeOf(new TextEncoder().encode('').buffer).constructor as ArrayBufferConstructor
Object.assign(globalThis, { Uint8Array: nodeUint8Array, ArrayBuffer: nodeArrayBuffer })

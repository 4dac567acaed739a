/**
 * The few node:crypto functions the runtime uses, loaded with `require` rather than an ESM import:
 * Node's ESM view of a built-in module reads every export when it is linked, and three of
 * node:crypto's (`webcrypto`, `subtle`, `getRandomValues`) are getters that load Web Crypto, about
 * 3 M instructions of every service's start-up for an API the runtime never calls (bench section 5).
 */
import { createRequire } from "node:module";

const crypto = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");

export const { createHash, randomFillSync, randomUUID } = crypto;

/**
 * `crypto.hash` (Node 20.12 and 21.7 on): a one-shot digest without a Hash object, which
 * `createHash` builds as a stream (LazyTransform) for every call: about 5× cheaper for a short
 * input. Undefined on Node 20.11 (the oldest this package supports), where createHash serves.
 */
export const hash = (crypto as { hash?: (algorithm: string, data: string, outputEncoding: "base64url") => string }).hash;

import type * as Client from "@tsc-micro/runtime/client";
import type * as Codec from "@tsc-micro/runtime/codec";
import type * as Server from "@tsc-micro/runtime/server";

/**
 * The runtime exports generated code imports, by module. Each name is checked
 * against the runtime's real exports when tsc-micro itself compiles
 * (`satisfies`), so renaming a runtime export breaks this build, not a user's
 * service at start-up.
 */
export const RUNTIME = {
  codec: "@tsc-micro/runtime/codec",
  client: "@tsc-micro/runtime/client",
  server: "@tsc-micro/runtime/server",
} as const;

/** A helper of @tsc-micro/runtime/codec, called through the module's namespace import. */
export type CodecHelper = keyof typeof Codec & string;

export const CLIENT_EXPORTS = {
  ServiceClient: "ServiceClient",
  registerErrorClasses: "registerErrorClasses",
} as const satisfies { [K in keyof typeof Client]?: K };

export const SERVER_EXPORTS = {
  startService: "startService",
} as const satisfies { [K in keyof typeof Server]?: K };

import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A port free on 127.0.0.1 right now: the system picks it for a listener that
 * is closed again at once. Another program could take it before the service
 * binds it; on a laptop that is rare, and the supervisor reports the failure.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

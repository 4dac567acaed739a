// undici's Client by its file, not through the package's index: the index loads fetch, WebSocket,
// the cache API, mocks… (≈ 800 KB in a bundle); this file brings the HTTP/1.1 client alone
// (see pool-transport.ts). undici 6 has no `exports` map, so the path is importable; its type is
// the index's `Client`.
declare module "undici/lib/dispatcher/client.js" {
  import { Client } from "undici";
  export default Client;
}

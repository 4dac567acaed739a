// One way of calling the is-even service, `calls` times in sequence (one in flight), in
// its own process, so that callgrind counts the client's instructions alone. Plain Node,
// no tsx (its compile work would be counted). Usage:
//   node client-calls.mjs '{"way":"generated"|"node-http"|"undici"|"undici-dispatch","url":"http://…","calls":N,"clients":"…/dist/clients/index.js","tracing":"on"|"off","warmup":W}'
// `tracing` (optional) sets TSC_MICRO_TRACING before the generated clients are loaded (they read it when made).
// `warmup` (optional, section 7): W unmeasured calls first, then the process's own CPU over the N
// measured calls is printed as one JSON line {"userUs","systemUs","wallUs"} on stdout.
// Exits 0 after every answer was right; 1 otherwise.
import http from "node:http";
import { pathToFileURL } from "node:url";

const { way, url, calls, clients, tracing, warmup } = JSON.parse(process.argv[2]);
if (tracing !== undefined) process.env.TSC_MICRO_TRACING = tracing;
const bodies = { 7: '{"x":7}', 10: '{"x":10}' };
const headers = { "content-type": "application/json" };

function readAll(res) {
  return new Promise((resolve, reject) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (d) => (text += d));
    res.on("end", () => resolve(text));
    res.on("error", reject);
  });
}

/** The same three ways as section 2, and undici's dispatch API bare, each returning [call, close]. */
async function makeWay() {
  if (way === "generated") {
    const generated = await import(pathToFileURL(clients).href);
    generated.isEvenService.setBaseUrl(url);
    return [(x) => generated.isEven(x), () => generated.isEvenService.close()];
  }
  if (way === "node-http") {
    const agent = new http.Agent({ keepAlive: true });
    const call = (x) =>
      new Promise((resolve, reject) => {
        const req = http.request(`${url}/isEven`, { method: "POST", agent, headers: { ...headers, "content-length": bodies[x].length } }, (res) =>
          readAll(res).then((t) => resolve(JSON.parse(t)), reject),
        );
        req.on("error", reject);
        req.end(bodies[x]);
      });
    return [call, () => agent.destroy()];
  }
  if (way === "undici") {
    // Loaded only for this way: its start-up would otherwise slow every run under valgrind (it cancels out anyway).
    const { Pool } = await import("undici");
    const pool = new Pool(url);
    const call = async (x) => {
      const res = await pool.request({ path: "/isEven", method: "POST", headers, body: bodies[x] });
      return res.body.json();
    };
    return [call, () => pool.close()];
  }
  if (way === "undici-dispatch") {
    // What the generated client's transport is built on (runtime/src/client/pool-transport.ts): a Client's
    // dispatch() with a plain handler object, no Readable body, no promise but the caller's own. The floor
    // under the generated client: the difference is what its policies cost.
    const { Client } = await import("undici");
    const client = new Client(url);
    const buffers = { 7: Buffer.from(bodies[7]), 10: Buffer.from(bodies[10]) };
    const call = (x) =>
      new Promise((resolve, reject) => {
        const chunks = [];
        client.dispatch(
          { path: "/isEven", method: "POST", headers, body: buffers[x] },
          {
            onConnect() {},
            onHeaders() {
              return true;
            },
            onData(chunk) {
              chunks.push(chunk);
              return true;
            },
            onComplete() {
              resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
            },
            onError: reject,
          },
        );
      });
    return [call, () => client.close()];
  }
  throw new Error(`unknown way ${way}`);
}

const [call, close] = await makeWay();
async function callMany(n) {
  for (let i = 0; i < n; i++) {
    const x = i % 2 ? 7 : 10;
    const answer = await call(x);
    if (answer !== (x === 10)) {
      console.error(`${way}: isEven(${x}) answered ${JSON.stringify(answer)}`);
      process.exit(1);
    }
  }
}
if (warmup === undefined) await callMany(calls);
else {
  await callMany(warmup);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await callMany(calls);
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ userUs: used.user, systemUs: used.system, wallUs: Number(process.hrtime.bigint() - start) / 1000 }));
}
await close();

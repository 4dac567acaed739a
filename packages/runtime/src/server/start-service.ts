/**
 * Puts a service's Hono app on a real port with @hono/node-server, and
 * stops it gracefully on SIGTERM/SIGINT (what Kubernetes and Ctrl-C send).
 */
import { integerFromEnv, PORT_RANGE } from "../env-integer.js";
import { createServer } from "node:http";
import type { RequestListener, Server, ServerOptions } from "node:http";
import { directRoutes } from "./direct-routes.js";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./create-app.js";
import type { CreateAppOptions } from "./create-app.js";
import { trackForDrain } from "./drain-server.js";
import { answerClientErrors, applyLimits, serverLimits, serverOptionsOf } from "./server-limits.js";
import { parentPidFromEnv, shutdownSettings, stopOnSignals } from "./stop-on-signals.js";
import { oneShotCommand, runOneShotAndExit } from "./run-once.js";
import { healthPortFromEnv, startHealthServer } from "./health-server.js";
import type { HealthServer } from "./health-server.js";
import type { ServiceDef } from "./types.js";
import { flushStdoutLines } from "../telemetry/stdout-lines.js";

export interface StartOptions extends CreateAppOptions {
  /** Port to listen on; default `env.PORT`, else 8080. 0 picks a free port. */
  port?: number;
  /** Interface to bind; default `env.HOST`, else "0.0.0.0" (all, as containers need). */
  host?: string;
  /** Stop gracefully and exit on SIGTERM/SIGINT; default true. */
  handleSignals?: boolean;
  /** Where the "listening" and "stopping" lines go; default `console.log`. */
  log?: (line: string) => void;
  /**
   * How long in-flight requests may take to finish once the listener has
   * closed; default `env.TSC_MICRO_DRAIN_MS`, else 5 000 ms.
   */
  shutdownTimeoutMs?: number;
  /**
   * After SIGTERM/SIGINT, keep accepting (with /health/ready at 503) this
   * long before closing the listener; default `env.TSC_MICRO_PRESTOP_MS`,
   * else 3 000 ms with NODE_ENV=production and 0 otherwise. See stop-on-signals.ts.
   */
  preStopMs?: number;
  /**
   * The bundle's command-line arguments; default `process.argv.slice(2)`. A first argument
   * of `--call` or `--help` makes one call (or prints usage) and exits instead (see run-once.ts).
   */
  argv?: readonly string[];
}

export interface RunningService {
  /** The bound port (the real one when 0 was asked for). */
  port: number;
  host: string;
  /** `http://<host>:<port>` */
  url: string;
  /** The port of the separate health listener, when `TSC_MICRO_HEALTH_PORT` asked for one. */
  healthPort?: number;
  /** Graceful stop (no pre-stop delay), without exiting the process. */
  close(): Promise<void>;
}

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = "0.0.0.0";

/** Starts serving `def`; resolves once listening, rejects if binding fails. */
export async function startService(
  def: ServiceDef,
  options: StartOptions = {},
): Promise<RunningService> {
  // `node index.mjs --call <function> '<json>'`: one call in memory, then exit; no port, no signal handlers.
  const command = oneShotCommand(options.argv ?? process.argv.slice(2));
  if (command) return runOneShotAndExit(def, command, options);
  const env = options.env ?? process.env;
  const port = options.port ?? integerFromEnv(env, "PORT", PORT_RANGE) ?? DEFAULT_PORT;
  const host = options.host ?? (env.HOST || DEFAULT_HOST);
  const log = options.log ?? console.log;
  const shutdown = shutdownSettings(env, options);
  // Read at start, like the other settings: a bad value stops the service before it listens.
  const parentPid = parentPidFromEnv(env);
  const healthPort = healthPortFromEnv(env);
  // Read before anything binds: a bad TSC_MICRO_* limit fails the start, naming the variable.
  const limits = serverLimits(env);
  const { app, state, calls } = createApp(def, options);

  // We pass no createServer, so this is a plain node:http Server.
  const server = serve({
    fetch: app.fetch,
    port,
    hostname: host,
    serverOptions: serverOptionsOf(limits),
    // POST /<function> goes the direct way (direct-routes.ts); everything else to Hono.
    createServer: ((serverOptions: ServerOptions, listener: RequestListener) => createServer(serverOptions, directRoutes(calls, listener))) as typeof createServer,
  }) as Server;
  applyLimits(server, limits);
  answerClientErrors(server);
  const drainer = trackForDrain(server);

  let removeSignalHandlers = (): void => {};
  let health: HealthServer | undefined;

  async function stop(): Promise<void> {
    state.ready = false;
    removeSignalHandlers();
    await drainer.drain(shutdown.drainMs);
    await health?.close();
  }

  const running = await new Promise<RunningService>((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", function listening() {
      server.removeListener("error", reject);
      const bound = (server.address() as AddressInfo).port;
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${bound}`;
      log(`${def.name} listening on ${url}`);
      if (options.handleSignals ?? true) {
        removeSignalHandlers = stopOnSignals({
          name: def.name,
          settings: shutdown,
          drainer,
          markNotReady: () => (state.ready = false),
          log,
          // The last request lines are written out (at most half a second) before the process ends.
          exit: (code) => void flushStdoutLines(500).then(() => process.exit(code)),
          ...(parentPid !== undefined ? { parentPid } : {}),
        });
      }
      resolve({
        port: bound,
        host,
        url,
        close: stop,
      });
    });
  });
  if (healthPort !== undefined) {
    // It answers until the process exits: /health/ready 503 and /health/live 200 while draining.
    health = await startHealthServer(healthPort, host, state);
    running.healthPort = health.port;
    log(`${def.name} health checks on http://${host.includes(":") ? `[${host}]` : host}:${health.port}`);
  }
  return running;
}

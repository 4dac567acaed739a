/**
 * What the generated Dockerfile and the runtime promise, in one place for the
 * deployment files: port, user, health routes, stop signal and the stop
 * budget. test/deploy.test.ts reads the Dockerfiles and the manifests and
 * checks they agree on each of these.
 */

/** The health routes every service serves (packages/runtime). */
export const HEALTH = { live: "/health/live", ready: "/health/ready" } as const;

/**
 * The port the images serve the health routes on besides the service's own
 * (TSC_MICRO_HEALTH_PORT): a probe's new connection on the service's port waits
 * behind every new connection of a burst (one accept per loop turn); on its own
 * listening socket it does not. Probes and the HEALTHCHECK use it.
 */
export const HEALTH_PORT = 8081;

/** The `node` user of the node:*-slim images, which the Dockerfile's `USER node` runs as. */
export const RUN_AS = { user: 1000, group: 1000 } as const;

/** The Dockerfile's STOPSIGNAL, on which the runtime starts its graceful stop. */
export const STOP_SIGNAL = "SIGTERM";

/**
 * The runtime's stop budget in production (see README "Shutdown"): readiness
 * 503 while still serving for PRESTOP_MS, then DRAIN_MS for calls in flight.
 * The manifests set both variables explicitly, so the numbers the grace
 * period is computed from are the numbers the process uses.
 */
export const PRESTOP_MS = 3000;
export const DRAIN_MS = 5000;
/** Slack between the runtime's last moment and the platform's SIGKILL: exit, log flush, a loaded node. */
export const STOP_MARGIN_S = 2;

/** Whole seconds the platform must wait after SIGTERM before it kills: pre-stop + drain + margin (10 s). */
export function gracePeriodSeconds(prestopMs = PRESTOP_MS, drainMs = DRAIN_MS): number {
  return Math.ceil((prestopMs + drainMs) / 1000) + STOP_MARGIN_S;
}

/** The variables a container's runtime reads for its stop budget and health port, as the manifests set them. */
export function stopEnv(): { name: string; value: string }[] {
  return [
    { name: "TSC_MICRO_HEALTH_PORT", value: String(HEALTH_PORT) },
    { name: "TSC_MICRO_PRESTOP_MS", value: String(PRESTOP_MS) },
    { name: "TSC_MICRO_DRAIN_MS", value: String(DRAIN_MS) },
  ];
}

/** The same probe the Dockerfile's HEALTHCHECK runs (Node itself: slim images have no curl), on `path` of the health port. */
export function probeScript(port: number, path: string): string {
  return `fetch('http://127.0.0.1:'+(process.env.TSC_MICRO_HEALTH_PORT||${port})+'${path}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
}

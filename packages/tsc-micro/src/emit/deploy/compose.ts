import type { Plan } from "../../plan/types.js";
import { gracePeriodSeconds, HEALTH, HEALTH_PORT, probeScript, RUN_AS, STOP_SIGNAL, stopEnv } from "./contract.js";
import type { DeploySettings, ServiceDeploy } from "./settings.js";
import { urlEnv } from "./settings.js";
import { yamlFile } from "./yaml.js";

/** The one network every service and entry joins. */
const NETWORK = "services";

/**
 * dist/deploy/compose.yaml: one service per tsc-micro service, built from
 * dist/services with its own Dockerfile (its image takes the shared chunks its
 * bundle loads from there: emit/dockerfile.ts), and one per program entry
 * point, built from its own folder. Services find each other by
 * their Compose names (the URL variables say so explicitly). Only entries
 * wait for services (`service_healthy` on readiness): services call each
 * other lazily, and calls between them may go both ways, which `depends_on`
 * would refuse as a cycle.
 */
export function composeFile(plan: Plan, settings: DeploySettings): string {
  const services: Record<string, unknown> = {};
  for (const s of settings.services) services[s.service.name] = composeService(s, plan);
  for (const e of settings.entries) {
    services[e.name] = {
      image: `${e.image}:${e.tag}`,
      build: { context: `../entries/${e.folder}` },
      ...(e.dependencies.length > 0 ? { environment: envMap(urlEnv(e.dependencies, plan)) } : {}),
      ...(e.dependencies.length > 0 ? { depends_on: Object.fromEntries(e.dependencies.map((d) => [d, { condition: "service_healthy" }])) } : {}),
      restart: "no",
      ...hardening(),
      networks: [NETWORK],
    };
  }
  const doc = { name: composeProjectName(settings.project), services, networks: { [NETWORK]: {} } };
  return yamlFile([doc], "Run from this folder: docker compose up --build (entries run once and exit).");
}

function composeService(s: ServiceDeploy, plan: Plan): Record<string, unknown> {
  const { service } = s;
  return {
    image: `${s.image}:${s.tag}`,
    build: { context: "../services", dockerfile: `${service.name}/Dockerfile` },
    environment: envMap([{ name: "PORT", value: String(service.port) }, { name: "HOST", value: "0.0.0.0" }, ...stopEnv(), ...urlEnv(service.dependencies, plan)]),
    expose: [String(service.port)],
    healthcheck: {
      test: ["CMD", "node", "-e", probeScript(HEALTH_PORT, HEALTH.ready)],
      interval: "10s",
      timeout: "3s",
      retries: 3,
      start_period: "5s",
      start_interval: "1s",
    },
    stop_signal: STOP_SIGNAL,
    stop_grace_period: `${gracePeriodSeconds()}s`,
    ...hardening(),
    deploy: {
      replicas: s.replicas,
      resources: {
        limits: { cpus: composeCpus(s.resources.limits.cpu), memory: composeMemory(s.resources.limits.memory) },
        reservations: { cpus: composeCpus(s.resources.requests.cpu), memory: composeMemory(s.resources.requests.memory) },
      },
    },
    networks: [NETWORK],
  };
}

/** What the Kubernetes pods get too: the image's non-root user, nothing writable, no added privileges. */
function hardening(): Record<string, unknown> {
  return { user: `${RUN_AS.user}:${RUN_AS.group}`, read_only: true, tmpfs: ["/tmp"], cap_drop: ["ALL"], security_opt: ["no-new-privileges:true"] };
}


function envMap(vars: readonly { name: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(vars.map((v) => [v.name, v.value]));
}

/** Compose project names are lower-case letters, digits, '-' and '_', starting with a letter or digit. */
export function composeProjectName(project: string): string {
  const name = project.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[^a-z0-9]+/, "");
  return name || "tsc-micro-app";
}

/** Kubernetes CPU (`250m`, `0.5`, `1`) → Compose cores as a string (`0.25`). */
export function composeCpus(cpu: string): string {
  return cpu.endsWith("m") ? String(Number(cpu.slice(0, -1)) / 1000) : cpu;
}

/** Kubernetes memory (`128Mi`, `1Gi`, `500M`) → Compose's byte units, which are binary (`128m`), or plain bytes (`500000000b`). */
export function composeMemory(memory: string): string {
  const m = /^(\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(memory);
  if (!m) throw new Error(`memory '${memory}' passed the config schema but is not a quantity`);
  const binary: Record<string, string> = { Ki: "k", Mi: "m", Gi: "g", Ti: "t" };
  if (m[2] && binary[m[2]]) return `${m[1]}${binary[m[2]]}`;
  const decimal: Record<string, bigint> = { k: 1000n, M: 1000_000n, G: 1000_000_000n, T: 1000_000_000_000n };
  return `${BigInt(m[1]!) * (m[2] ? decimal[m[2]]! : 1n)}b`;
}

/**
 * The shape of `tsc-micro.config.ts`. Everything is optional: a project with
 * no config file builds exactly as it did before, from the `@microservice`
 * tags alone. The config changes how tagged functions are grouped and
 * deployed without touching the code.
 */

/**
 * Per-service settings that override what the `@microservice` tags say.
 * Same meaning and ranges as the tag options of the same name.
 */
export interface ServiceOverrides {
  /** Retries of failures that are safe to repeat, 0–10, for every function of the service. Default: the tag's `retry=`, else 2. */
  retry?: number;
  /** Deadline of a whole call, retries included: `"500ms"`, `"2s"` or `"1m"`, from 1 ms to 1 h. Default: the tag's `timeout=`, else 30 s. */
  timeout?: string;
  /** Every function of the service may be repeated even when a failed attempt may have run. Default: the tag's `idempotent`, else false. */
  idempotent?: boolean;
  /** Maximum concurrent requests, ≥ 1. Default: the tag's `concurrency=`, else unlimited. */
  concurrency?: number;
  /**
   * Instances to deploy, 1–1000, or `"MIN..MAX"` (e.g. `"2..10"`) to autoscale
   * between the two (a Kubernetes HorizontalPodAutoscaler). Default: the tag's `replicas=`, else 1.
   */
  replicas?: number | `${number}..${number}`;
  /** Labels (letters, digits, `-`, `_`, `.`), e.g. for deployment manifests. Default: the tag's `tags=`. */
  tags?: string[];
}

/** CPU and memory, as Kubernetes writes them: `cpu: "250m"` (or `"0.5"`), `memory: "256Mi"`. */
export interface ResourceAmounts {
  cpu?: string;
  memory?: string;
}

/** What a container asks for (`requests`: scheduling) and may use at most (`limits`). */
export interface DeployResources {
  requests?: ResourceAmounts;
  limits?: ResourceAmounts;
}

/** Deployment settings of one service, over the `deploy` defaults. */
export interface DeployServiceOverrides {
  /** Full image name without tag, e.g. `"ghcr.io/acme/billing"`. Default `<registry>/<service>`. */
  image?: string;
  /** Merged over `deploy.resources`, amount by amount. */
  resources?: DeployResources;
  /** Average CPU use, percent of the request (1–100), an autoscaled service is kept at. Default `deploy.cpuTarget`. */
  cpuTarget?: number;
}

/** The files under `dist/deploy/` (compose.yaml, k8s/): images, namespace, resources. */
export interface DeployConfig {
  /** Prefix of every image name, e.g. `"ghcr.io/acme"`: images are `<registry>/<service>:<tag>`. Default: none (`<service>:<tag>`). */
  registry?: string;
  /** Image tag. Default: the project's package.json version (`0.0.0` without one). */
  tag?: string;
  /** Kubernetes namespace: set on every object by the kustomization, which also creates it. Default: none (the namespace kubectl uses). */
  namespace?: string;
  /** Every service's resources. Default: requests `cpu: "100m", memory: "128Mi"`, limits `cpu: "1", memory: "256Mi"`. */
  resources?: DeployResources;
  /** Average CPU use, percent of the request (1–100), autoscaled services are kept at. Default 70. */
  cpuTarget?: number;
  /** Overrides per service name. Default: none. */
  services?: Record<string, DeployServiceOverrides>;
}

/** Contents of `tsc-micro.config.ts` (or `.mts`, `.js`, `.mjs`), all optional. */
export interface TscMicroConfig {
  /**
   * `"split"` builds one service per service name; `"monolith"` builds every
   * tagged function into one service named {@link monolithName}, to deploy the
   * same code as a single process. Default `"split"`.
   */
  mode?: "split" | "monolith";
  /**
   * Groups of service names built and deployed as one service, e.g.
   * `[["is-even", "is-odd"]]`: calls inside a group stay in-process. A group's
   * service is named after its first member (the planner decides when
   * {@link services} or tags say otherwise). A service may be in one group
   * only. Default: none.
   */
  colocate?: string[][];
  /** Overrides per service name (a DNS label, e.g. `"is-even"`). Default: none. */
  services?: Record<string, ServiceOverrides>;
  /**
   * Program entry points, relative to the project (e.g. `"src/main.ts"`),
   * bundled as their own processes with calls to services rewritten into
   * client calls. Each must exist. Default: none.
   */
  entry?: string | string[];
  /** Name of the one service in `"monolith"` mode (a DNS label). Default `"monolith"`. */
  monolithName?: string;
  /** Output folder, relative to the project folder. Same as `--outDir`, which wins. Default `dist` beside the tsconfig. */
  outDir?: string;
  /** Base image of the Dockerfiles. Same as `--base-image`, which wins. Default: the pinned slim Node image. */
  baseImage?: string;
  /** Accept `any` and `unknown` in service signatures as "any JSON value". Same as `--allow-any`, which wins. Default `false`. */
  allowAny?: boolean;
  /**
   * Report TypeScript's own errors in the program, as `tsc --noEmit` does, and
   * fail the build on them. `false` skips that for pipelines that already ran
   * `tsc`. Same as `--no-type-check` (`false`), which wins. Default `true`.
   */
  typeCheck?: boolean;
  /** Images, namespace, resources and autoscaling of the deployment files (`dist/deploy/`). Default: see {@link DeployConfig}. */
  deploy?: DeployConfig;
}

/**
 * Returns its argument unchanged: it exists so that
 * `export default defineConfig({ … })` gets types and completion in editors
 * without a type annotation.
 */
export function defineConfig(config: TscMicroConfig): TscMicroConfig {
  return config;
}

import type { DeployConfig, DeployResources } from "../../config/define-config.js";
import type { Plan, ServicePlan } from "../../plan/types.js";

/**
 * The deployment settings of each service, resolved once from the plan and
 * the config's `deploy` section, so compose.yaml and the Kubernetes files
 * cannot disagree on an image, a replica count or a resource.
 */

/** Defaults when the config says nothing (documented in README "Deploying"). */
export const DEFAULT_RESOURCES: Required<{ [K in keyof DeployResources]-?: { cpu: string; memory: string } }> = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "1", memory: "256Mi" },
};
export const DEFAULT_CPU_TARGET = 70;

export interface ServiceDeploy {
  service: ServicePlan;
  /** Image name without tag: the name the manifests use and the kustomization maps to `image:tag`. */
  image: string;
  tag: string;
  replicas: number;
  /** Set when `replicas=MIN..MAX`: the autoscaler's bounds are `replicas`..`maxReplicas`. */
  autoscale?: { maxReplicas: number; cpuTarget: number };
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
}

export interface EntryDeploy {
  /** Name in compose.yaml and of the image. */
  name: string;
  /** Its folder: `entries/<folder>/`. */
  folder: string;
  image: string;
  tag: string;
  dependencies: string[];
  /** `deploy.resources` over the defaults (`deploy.services` names services only). */
  resources: ServiceDeploy["resources"];
}

export interface DeploySettings {
  project: string;
  namespace?: string;
  services: ServiceDeploy[];
  entries: EntryDeploy[];
}

/** Resolves every service's image, replicas, autoscaling and resources. */
export function deploySettings(plan: Plan, config: DeployConfig = {}): DeploySettings {
  // A version may hold what a Docker tag may not (`1.0.0+build.5`): those characters become '-'.
  const tag = config.tag ?? plan.project.version.replace(/[^A-Za-z0-9_.-]/g, "-");
  const imageOf = (name: string) => (config.registry ? `${config.registry}/${name}` : name);
  const services = plan.services.map((service): ServiceDeploy => {
    const own = config.services?.[service.name] ?? {};
    const replicas = service.options.replicas ?? 1;
    const max = service.options.maxReplicas;
    return {
      service,
      image: own.image ?? imageOf(service.name),
      tag,
      replicas,
      ...(max !== undefined ? { autoscale: { maxReplicas: max, cpuTarget: own.cpuTarget ?? config.cpuTarget ?? DEFAULT_CPU_TARGET } } : {}),
      resources: {
        requests: { ...DEFAULT_RESOURCES.requests, ...config.resources?.requests, ...own.resources?.requests },
        limits: { ...DEFAULT_RESOURCES.limits, ...config.resources?.limits, ...own.resources?.limits },
      },
    };
  });
  // An entry is named as its file (`main`); `entry-main` when a service already has that name.
  const taken = new Set(plan.services.map((s) => s.name));
  const entries = plan.entries.map((e): EntryDeploy => {
    const name = taken.has(e.name) ? `entry-${e.name}` : e.name;
    const resources = {
      requests: { ...DEFAULT_RESOURCES.requests, ...config.resources?.requests },
      limits: { ...DEFAULT_RESOURCES.limits, ...config.resources?.limits },
    };
    return { name, folder: e.name, image: imageOf(name), tag, dependencies: e.dependencies, resources };
  });
  return { project: plan.project.name, ...(config.namespace ? { namespace: config.namespace } : {}), services, entries };
}

/** The URL variables of a caller: each service it calls at the name Compose and Kubernetes give it. */
export function urlEnv(dependencies: readonly string[], plan: Plan): { name: string; value: string }[] {
  return dependencies.map((name) => {
    const target = plan.services.find((s) => s.name === name)!;
    return { name: target.envVar, value: `http://${target.name}:${target.port}` };
  });
}

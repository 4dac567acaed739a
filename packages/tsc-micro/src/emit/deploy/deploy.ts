import type { DeployConfig } from "../../config/define-config.js";
import type { Plan } from "../../plan/types.js";
import { composeFile } from "./compose.js";
import { deployment } from "./k8s-deployment.js";
import { job } from "./k8s-job.js";
import { autoscaler, clusterService, disruptionBudget, namespace } from "./k8s-objects.js";
import { deploySettings } from "./settings.js";
import { yamlFile } from "./yaml.js";

/**
 * The files under dist/deploy/: compose.yaml, and k8s/ with one file per
 * service (Deployment, Service, PodDisruptionBudget, HorizontalPodAutoscaler)
 * and one per program entry point (a Job), tied together by kustomization.yaml, which holds the image names and tags
 * in one place. Paths are relative to dist/deploy/.
 */
export function deployFiles(plan: Plan, config: DeployConfig = {}): Record<string, string> {
  const settings = deploySettings(plan, config);
  const files: Record<string, string> = { "compose.yaml": composeFile(plan, settings) };
  const project = settings.project;
  const resources: string[] = [];
  if (settings.namespace) {
    files["k8s/namespace.yaml"] = yamlFile([namespace(settings.namespace, project)]);
    resources.push("namespace.yaml");
  }
  for (const s of settings.services) {
    const objects = [deployment(s, plan, project), clusterService(s, project), disruptionBudget(s, project), autoscaler(s, project)].filter((o) => o !== undefined);
    files[`k8s/${s.service.name}.yaml`] = yamlFile(objects, `Service '${s.service.name}': ${objects.map((o) => o.kind).join(", ")}. Images and namespace: kustomization.yaml.`);
    resources.push(`${s.service.name}.yaml`);
  }
  for (const e of settings.entries) {
    files[`k8s/${e.name}.yaml`] = yamlFile([job(e, plan, project)], `Entry point '${e.folder}': a Job, run once. Images and namespace: kustomization.yaml.`);
    resources.push(`${e.name}.yaml`);
  }
  files["k8s/kustomization.yaml"] = yamlFile(
    [
      {
        apiVersion: "kustomize.config.k8s.io/v1beta1",
        kind: "Kustomization",
        ...(settings.namespace ? { namespace: settings.namespace } : {}),
        resources,
        // The manifests name each image by its bare name; change registry and tag here (or `kustomize edit set image`).
        images: [
          ...settings.services.map((s) => ({ name: s.service.name, newName: s.image, newTag: s.tag })),
          ...settings.entries.map((e) => ({ name: e.name, newName: e.image, newTag: e.tag })),
        ],
      },
    ],
    "Render: kubectl kustomize .   Apply: kubectl apply -k .",
  );
  return files;
}

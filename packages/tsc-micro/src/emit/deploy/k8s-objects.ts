import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IService } from "kubernetes-models/v1/Service";
import { objectMeta, selectorLabels } from "./k8s-labels.js";
import type { ServiceDeploy } from "./settings.js";

/** The ClusterIP Service: `http://<service>:<port>` inside the namespace, the URL the clients default to. */
export function clusterService(s: ServiceDeploy, project: string): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: objectMeta(s.service.name, project),
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(s.service.name, project),
      ports: [{ name: "http", port: s.service.port, targetPort: "http", protocol: "TCP" }],
    },
  };
}

/** Keeps all but one pod up through voluntary disruptions (node drains); only when at least two are asked for. */
export function disruptionBudget(s: ServiceDeploy, project: string): IPodDisruptionBudget | undefined {
  if (s.replicas < 2) return undefined;
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: objectMeta(s.service.name, project),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(s.service.name, project) } },
  };
}

/** `replicas=MIN..MAX`: scales the Deployment on average CPU use, relative to the request. */
export function autoscaler(s: ServiceDeploy, project: string): IHorizontalPodAutoscaler | undefined {
  if (!s.autoscale) return undefined;
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: objectMeta(s.service.name, project),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: s.service.name },
      minReplicas: s.replicas,
      maxReplicas: s.autoscale.maxReplicas,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: s.autoscale.cpuTarget } } }],
    },
  };
}

export function namespace(name: string, project: string): INamespace {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "app.kubernetes.io/part-of": objectMeta(name, project).labels!["app.kubernetes.io/part-of"]!, "app.kubernetes.io/managed-by": "tsc-micro" } } };
}

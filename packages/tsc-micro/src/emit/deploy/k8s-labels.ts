import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";

type ObjectMeta = NonNullable<IDeployment["metadata"]>;

/**
 * The recommended `app.kubernetes.io/*` labels. The selector uses the name
 * and the project only: selectors of a Deployment cannot change later, so
 * nothing that may change (a version) goes in them.
 */
export function selectorLabels(service: string, project: string): Record<string, string> {
  return { "app.kubernetes.io/name": service, "app.kubernetes.io/part-of": labelValue(project) };
}

export function objectMeta(service: string, project: string): ObjectMeta {
  return { name: service, labels: { ...selectorLabels(service, project), "app.kubernetes.io/managed-by": "tsc-micro" } };
}

/** A label value: at most 63 of `[A-Za-z0-9_.-]`, starting and ending alphanumeric (`@acme/shop` → `acme-shop`). */
export function labelValue(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "") || "app";
}

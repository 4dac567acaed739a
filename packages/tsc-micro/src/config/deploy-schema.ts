/**
 * JSON Schema of the config's `deploy` section (define-config.ts `DeployConfig`):
 * image names, namespace, resources and autoscaling of the files under
 * dist/deploy/. Descriptions double as hints, as in schema.ts.
 */

/** A Kubernetes CPU quantity in the forms we accept: cores (`1`, `0.5`) or millicores (`250m`). */
export const CPU_PATTERN = "^([0-9]+(\\.[0-9]+)?|[0-9]+m)$";
/** A Kubernetes memory quantity in bytes or with a binary (`Ki`, `Mi`, `Gi`) or decimal (`k`, `M`, `G`) suffix. */
export const MEMORY_PATTERN = "^[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?$";
/** An image repository (no tag): lower-case path components, an optional registry host and port. */
export const IMAGE_PATTERN = "^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*$";
/** An image tag, as Docker defines it. */
export const TAG_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

const cpu = { type: "string", pattern: CPU_PATTERN, description: 'A CPU amount is cores ("1", "0.5") or millicores ("250m").' };
const memory = { type: "string", pattern: MEMORY_PATTERN, description: 'A memory amount is bytes with a suffix, e.g. "128Mi" or "1Gi".' };
const amounts = (what: string) => ({
  type: "object",
  additionalProperties: false,
  description: `${what} is { cpu?, memory? }, e.g. { cpu: "250m", memory: "256Mi" }.`,
  properties: { cpu, memory },
});
const resources = {
  type: "object",
  additionalProperties: false,
  description: 'resources is { requests?, limits? }, each { cpu?, memory? }, e.g. { requests: { cpu: "100m" }, limits: { memory: "256Mi" } }.',
  properties: { requests: amounts("requests"), limits: amounts("limits") },
};
const cpuTarget = { type: "integer", minimum: 1, maximum: 100, description: "cpuTarget is the average CPU use, in percent of the request (1–100), the autoscaler keeps." };

/** The `deploy` section's schema; `serviceName` is the config's DNS-label schema for names. */
export function deploySchema(serviceName: object): object {
  return {
    type: "object",
    additionalProperties: false,
    description: 'deploy sets the deployment files\' images, namespace and resources, e.g. { registry: "ghcr.io/acme", namespace: "shop" }.',
    properties: {
      registry: { type: "string", pattern: IMAGE_PATTERN, description: 'registry is the prefix of every image name, e.g. "ghcr.io/acme" (images are <registry>/<service>).' },
      tag: { type: "string", pattern: TAG_PATTERN, description: 'tag is the image tag, e.g. "1.4.0" or "sha-3f2c1e0" (letters, digits, "_", "." and "-").' },
      namespace: { ...serviceName, description: "namespace is the Kubernetes namespace, a DNS label (lower-case letters, digits and '-')." },
      resources,
      cpuTarget,
      services: {
        type: "object",
        description: 'services maps service names to their deployment overrides, e.g. { "is-even": { resources: { limits: { memory: "512Mi" } } } }.',
        propertyNames: serviceName,
        additionalProperties: {
          type: "object",
          additionalProperties: false,
          description: "Deployment overrides of one service: image, resources, cpuTarget.",
          properties: {
            image: { type: "string", pattern: IMAGE_PATTERN, description: 'image is the full image name without tag, e.g. "ghcr.io/acme/billing".' },
            resources,
            cpuTarget,
          },
        },
      },
    },
  };
}

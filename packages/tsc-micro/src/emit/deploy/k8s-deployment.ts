import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IProbe as Probe } from "kubernetes-models/v1/Probe";
import type { Plan } from "../../plan/types.js";
import { gracePeriodSeconds, HEALTH, HEALTH_PORT, stopEnv } from "./contract.js";
import { containerResources, containerSecurity, podSecurity, tmpMounts, tmpVolumes } from "./k8s-hardening.js";
import { objectMeta, selectorLabels } from "./k8s-labels.js";
import type { ServiceDeploy } from "./settings.js";
import { urlEnv } from "./settings.js";

/**
 * The Deployment of one service. Stopping: the pod gets SIGTERM at once (no
 * preStop hook); the runtime itself is the pre-stop delay, answering 503 on
 * readiness while still serving (with `Connection: close`) for
 * TSC_MICRO_PRESTOP_MS while endpoints catch up, then draining for
 * TSC_MICRO_DRAIN_MS. A `preStop: sleep` hook would only delay the signal
 * and make the runtime wait twice. terminationGracePeriodSeconds is that sum
 * plus a margin. With an autoscaler, `replicas` is left to it.
 */
export function deployment(s: ServiceDeploy, plan: Plan, project: string): IDeployment {
  const { service } = s;
  // Probes on the health port: a kubelet opens a new connection per probe (see contract.ts).
  const http = (path: string) => ({ httpGet: { path, port: "health" } });
  const startup: Probe = { ...http(HEALTH.live), periodSeconds: 1, timeoutSeconds: 3, failureThreshold: 30 };
  const liveness: Probe = { ...http(HEALTH.live), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };
  // Often and at once: a stopping pod's 503 should take it out of rotation within the pre-stop delay.
  const readiness: Probe = { ...http(HEALTH.ready), periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 1, successThreshold: 1 };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: objectMeta(service.name, project),
    spec: {
      ...(s.autoscale ? {} : { replicas: s.replicas }),
      selector: { matchLabels: selectorLabels(service.name, project) },
      // Never fewer ready pods than asked for while rolling out.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels: objectMeta(service.name, project).labels!,
          // The de-facto scrape annotations (Prometheus' kubernetes-pods job): GET /metrics on the service port.
          annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(service.port), "prometheus.io/path": "/metrics" },
        },
        spec: {
          terminationGracePeriodSeconds: gracePeriodSeconds(),
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurity(),
          containers: [
            {
              name: service.name,
              // The bare name: kustomization.yaml's `images` maps it to `<registry>/<image>:<tag>`, the one place to change it.
              image: service.name,
              ports: [
                { name: "http", containerPort: service.port, protocol: "TCP" },
                { name: "health", containerPort: HEALTH_PORT, protocol: "TCP" },
              ],
              env: [{ name: "PORT", value: String(service.port) }, { name: "HOST", value: "0.0.0.0" }, ...stopEnv(), ...urlEnv(service.dependencies, plan)],
              resources: containerResources(s.resources),
              startupProbe: startup,
              livenessProbe: liveness,
              readinessProbe: readiness,
              securityContext: containerSecurity(),
              volumeMounts: tmpMounts(),
            },
          ],
          volumes: tmpVolumes(),
        },
      },
    },
  };
}

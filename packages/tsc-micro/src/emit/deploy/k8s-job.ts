import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { Plan } from "../../plan/types.js";
import { HEALTH } from "./contract.js";
import { containerResources, containerSecurity, podSecurity, tmpMounts, tmpVolumes } from "./k8s-hardening.js";
import { objectMeta } from "./k8s-labels.js";
import type { EntryDeploy } from "./settings.js";
import { urlEnv } from "./settings.js";

/** A finished Job (and its pod, with the logs) stays a day for `kubectl logs job/<entry>`, then goes. */
export const JOB_TTL_SECONDS = 86_400;
/** How long the wait for the services may take before the run counts as failed (image pulls, startup probes). */
export const WAIT_FOR_SERVICES_SECONDS = 300;

/**
 * The Job of one program entry point: Compose's run-once entry service
 * (`restart: "no"`) in Kubernetes terms. One pod, never restarted, never
 * retried (`backoffLimit: 0`): an entry point is the user's own program and
 * may not be safe to run twice (it may have done half its calls, which the
 * services carried out, before it failed), so a failure is left for a person
 * to look at rather than repeated. Because it is not retried, it first waits
 * (an init container) until every service it calls answers `/health/ready`
 * through its Service, which routes to ready pods only, as Compose's
 * `depends_on: service_healthy` does; otherwise a Job applied together with
 * the Deployments would fail on pods that are still starting.
 *
 * The pod template of a Job cannot change: re-applying the kustomization with
 * a new image tag needs `kubectl delete job <entry>` first, and after the TTL
 * the Job is gone, so applying again runs the program again.
 */
export function job(e: EntryDeploy, plan: Plan, project: string): IJob {
  const env = urlEnv(e.dependencies, plan);
  // As the Deployments' containers (k8s-hardening.ts); new objects per container.
  const hardened = () => ({ resources: containerResources(e.resources), securityContext: containerSecurity(), volumeMounts: tmpMounts() }) satisfies Partial<IContainer>;
  // The bare image name: kustomization.yaml's `images` maps it to `<registry>/<image>:<tag>`.
  const image = e.name;
  const wait: IContainer[] =
    env.length === 0
      ? []
      : [{ name: "wait-for-services", image, command: ["node", "-e", waitScript(), ...env.map((v) => v.value)], ...hardened() }];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: objectMeta(e.name, project),
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: JOB_TTL_SECONDS,
      template: {
        metadata: { labels: objectMeta(e.name, project).labels! },
        spec: {
          restartPolicy: "Never",
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurity(),
          ...(wait.length > 0 ? { initContainers: wait } : {}),
          containers: [{ name: e.name, image, ...(env.length > 0 ? { env } : {}), ...hardened() }],
          volumes: tmpVolumes(),
        },
      },
    },
  };
}

/**
 * Node (the entry image has no curl): polls `<url>/health/ready` of each
 * service URL given as an argument, once a second, until each answers 200;
 * exits 1 naming the first that did not within `seconds`.
 */
export function waitScript(seconds = WAIT_FOR_SERVICES_SECONDS): string {
  return (
    `const end=Date.now()+${seconds * 1000};` +
    `(async()=>{for(const u of process.argv.slice(1)){` +
    `while(!(await fetch(u+'${HEALTH.ready}',{signal:AbortSignal.timeout(3000)}).then(r=>r.ok,()=>false))){` +
    `if(Date.now()>=end){console.error('not ready: '+u);process.exit(1)}` +
    `await new Promise(r=>setTimeout(r,1000))}}})()`
  );
}

/**
 * What every pod tsc-micro emits is held to (Deployments and entry Jobs alike): the image's
 * non-root user, the runtime's default seccomp profile, a read-only root filesystem with a
 * scratch /tmp, no added privileges, every capability dropped. Each call makes new objects:
 * shared ones would come out of the YAML writer as anchors and aliases.
 */
import type { IPodSecurityContext } from "kubernetes-models/v1/PodSecurityContext";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { RUN_AS } from "./contract.js";
import type { ServiceDeploy } from "./settings.js";

export function podSecurity(): IPodSecurityContext {
  return { runAsNonRoot: true, runAsUser: RUN_AS.user, runAsGroup: RUN_AS.group, seccompProfile: { type: "RuntimeDefault" } };
}

export function containerSecurity(): ISecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: RUN_AS.user,
    runAsGroup: RUN_AS.group,
    capabilities: { drop: ["ALL"] },
  };
}

/** A container's mount of the pod's scratch /tmp (`tmpVolumes`). */
export function tmpMounts(): IVolumeMount[] {
  return [{ name: "tmp", mountPath: "/tmp" }];
}

/** The root filesystem is read-only; Node and libraries may still want a scratch /tmp. */
export function tmpVolumes(): IVolume[] {
  return [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }];
}

/** A container's requests and limits, copied. */
export function containerResources(resources: ServiceDeploy["resources"]): IResourceRequirements {
  return { requests: { ...resources.requests }, limits: { ...resources.limits } };
}

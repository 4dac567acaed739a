import type { BundleResult } from "../bundle/bundle.js";
import { dockerfile } from "../emit/dockerfile.js";
import type { DockerOptions } from "../emit/dockerfile.js";
import type { Plan } from "../plan/types.js";

/**
 * `services/<name>/Dockerfile` for every service: made after bundling, since
 * what an image holds depends on what esbuild put in shared chunks. Each
 * copies its bundle and the chunks that bundle loads (`chunks`, from the
 * bundle phase), with paths relative to dist/services, the build context.
 */
export function serviceDockerfiles(plan: Plan, chunks: BundleResult["chunks"], options: DockerOptions = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (const service of plan.services) {
    const loaded = (chunks[`services/${service.name}/index.mjs`] ?? []).map(function inContext(chunk) {
      if (!chunk.startsWith("services/")) throw new Error(`tsc-micro bug: ${service.name} loads ${chunk}, outside dist/services`);
      return chunk.slice("services/".length);
    });
    files[`services/${service.name}/Dockerfile`] = dockerfile(service, options, loaded);
  }
  return files;
}

// The pieces of dist/deploy/ (src/emit/deploy/): unit conversions, settings resolution, the files' shape.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { validateConfig } from "../src/config/validate-config.ts";
import { composeCpus, composeMemory, composeProjectName } from "../src/emit/deploy/compose.ts";
import { DRAIN_MS, gracePeriodSeconds, PRESTOP_MS } from "../src/emit/deploy/contract.ts";
import { deployFiles } from "../src/emit/deploy/deploy.ts";
import { waitScript } from "../src/emit/deploy/k8s-job.ts";
import { labelValue } from "../src/emit/deploy/k8s-labels.ts";
import { DEFAULT_CPU_TARGET, DEFAULT_RESOURCES, deploySettings } from "../src/emit/deploy/settings.ts";
import type { Plan, ServicePlan } from "../src/plan/types.ts";

function service(name: string, options: ServicePlan["options"] = {}, dependencies: string[] = []): ServicePlan {
  const envVar = `TSC_MICRO_${name.toUpperCase().replace(/-/g, "_")}_URL`;
  return { name, envVar, defaultUrl: `http://${name}:8080`, clientName: `${name}Service`, port: 8080, routes: [], options, components: [], dependencies, callContext: dependencies.length > 0, rewrites: [] };
}

function planOf(services: ServicePlan[], entries: { name: string; dependencies: string[] }[] = []): Plan {
  return {
    project: { name: "@acme/shop", version: "1.4.0" },
    services,
    entries: entries.map((e) => ({ ...e, file: `src/${e.name}.ts`, rewrites: [] })),
    errorClasses: [],
    components: {},
  };
}

test("Kubernetes quantities become Compose's units", () => {
  assert.deepEqual(["250m", "100m", "1", "0.5", "2"].map(composeCpus), ["0.25", "0.1", "1", "0.5", "2"]);
  assert.deepEqual(["128Mi", "1Gi", "512Ki", "2Ti", "500M", "1G", "64k", "1000"].map(composeMemory), ["128m", "1g", "512k", "2t", "500000000b", "1000000000b", "64000b", "1000b"]);
});

test("names: the Compose project and label values from any package name", () => {
  assert.equal(composeProjectName("@acme/shop"), "acme-shop");
  assert.equal(composeProjectName("My_App"), "my_app");
  assert.equal(composeProjectName("@@@"), "tsc-micro-app");
  assert.equal(labelValue("@acme/shop"), "acme-shop");
  assert.equal(labelValue("x".repeat(70)), "x".repeat(63));
});

test("the grace period covers the runtime's pre-stop and drain, with a margin", () => {
  assert.equal(gracePeriodSeconds(), 10);
  assert.ok(gracePeriodSeconds() * 1000 > PRESTOP_MS + DRAIN_MS);
  assert.equal(gracePeriodSeconds(0, 29_500), 32);
});

test("settings: defaults, then deploy.resources, then the service's own, amount by amount", () => {
  const plan = planOf([service("cart"), service("quote", { replicas: 2, maxReplicas: 10 })], [{ name: "cart", dependencies: ["quote"] }]);
  const defaults = deploySettings(plan);
  assert.deepEqual(
    defaults.services.map((s) => [s.image, s.tag, s.replicas, s.autoscale, s.resources]),
    [
      ["cart", "1.4.0", 1, undefined, DEFAULT_RESOURCES],
      ["quote", "1.4.0", 2, { maxReplicas: 10, cpuTarget: DEFAULT_CPU_TARGET }, DEFAULT_RESOURCES],
    ],
  );
  // An entry named like a service gets its own name in compose.yaml.
  assert.deepEqual(defaults.entries, [{ name: "entry-cart", folder: "cart", image: "entry-cart", tag: "1.4.0", dependencies: ["quote"], resources: DEFAULT_RESOURCES }]);
  const set = deploySettings(plan, {
    registry: "ghcr.io/acme",
    tag: "sha-1",
    cpuTarget: 50,
    resources: { requests: { memory: "64Mi" }, limits: { cpu: "2" } },
    services: { quote: { image: "ghcr.io/other/quote", cpuTarget: 90, resources: { limits: { memory: "1Gi" } } } },
  });
  assert.deepEqual(
    set.services.map((s) => [s.image, s.tag, s.autoscale?.cpuTarget, s.resources]),
    [
      ["ghcr.io/acme/cart", "sha-1", undefined, { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "2", memory: "256Mi" } }],
      ["ghcr.io/other/quote", "sha-1", 90, { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "2", memory: "1Gi" } }],
    ],
  );
  // An entry gets deploy.resources over the defaults; deploy.services names services only.
  assert.deepEqual(set.entries.map((e) => [e.image, e.resources]), [["ghcr.io/acme/entry-cart", { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "2", memory: "256Mi" } }]]);
});

test("the default tag is the project's version, spelled as a Docker tag", () => {
  const plan = { ...planOf([service("a")]), project: { name: "x", version: "1.0.0+build.5" } };
  assert.equal(deploySettings(plan).services[0]!.tag, "1.0.0-build.5");
});

test("files: a file per service, the kustomization, compose.yaml; a namespace only when configured", () => {
  const plan = planOf([service("a"), service("b", { replicas: 3 }, ["a"])]);
  const files = deployFiles(plan);
  assert.deepEqual(Object.keys(files).sort(), ["compose.yaml", "k8s/a.yaml", "k8s/b.yaml", "k8s/kustomization.yaml"]);
  for (const text of Object.values(files)) assert.match(text, /^# generated by tsc-micro — do not edit\n/);
  assert.deepEqual(parseAllDocuments(files["k8s/b.yaml"]!).map((d) => (d.toJS() as { kind: string }).kind), ["Deployment", "Service", "PodDisruptionBudget"]);
  assert.deepEqual(parseAllDocuments(files["k8s/a.yaml"]!).map((d) => (d.toJS() as { kind: string }).kind), ["Deployment", "Service"]);
  const compose = parse(files["compose.yaml"]!) as { name: string; services: Record<string, { environment: Record<string, string>; deploy: { replicas: number } }> };
  assert.equal(compose.name, "acme-shop");
  assert.equal(compose.services.b!.environment.TSC_MICRO_A_URL, "http://a:8080");
  assert.equal(compose.services.b!.deploy.replicas, 3);
  const namespaced = deployFiles(plan, { namespace: "shop" });
  assert.equal((parse(namespaced["k8s/kustomization.yaml"]!) as { namespace: string; resources: string[] }).namespace, "shop");
  assert.deepEqual((parse(namespaced["k8s/kustomization.yaml"]!) as { resources: string[] }).resources, ["namespace.yaml", "a.yaml", "b.yaml"]);
  assert.deepEqual(deployFiles(plan), files, "deterministic");
});

test("files: an entry point gets a Job file, listed and its image mapped in the kustomization", () => {
  const files = deployFiles(planOf([service("a")], [{ name: "main", dependencies: ["a"] }]));
  assert.deepEqual(Object.keys(files).sort(), ["compose.yaml", "k8s/a.yaml", "k8s/kustomization.yaml", "k8s/main.yaml"]);
  assert.deepEqual(parseAllDocuments(files["k8s/main.yaml"]!).map((d) => (d.toJS() as { kind: string }).kind), ["Job"]);
  // The init container and the program get equal settings, written out in full (no YAML anchors and aliases).
  assert.doesNotMatch(files["k8s/main.yaml"]!, /(^|\s)[&*]a\d/);
  const kustomization = parse(files["k8s/kustomization.yaml"]!) as { resources: string[]; images: { name: string }[] };
  assert.deepEqual([kustomization.resources, kustomization.images.map((i) => i.name)], [["a.yaml", "main.yaml"], ["a", "main"]]);
  // Without services to call: no URL variables and nothing to wait for.
  const alone = parse(deployFiles(planOf([service("a")], [{ name: "main", dependencies: [] }]))["k8s/main.yaml"]!) as { spec: { template: { spec: Record<string, unknown> } } };
  assert.deepEqual([alone.spec.template.spec.initContainers, (alone.spec.template.spec.containers as { env?: unknown }[])[0]!.env], [undefined, undefined]);
});

test("the Job's wait for the services: polls each /health/ready until it answers 200; gives up after its time", async () => {
  // Three services: the first answers 503 twice before it is ready, the second is ready at once, the third never.
  const asked: string[] = [];
  const servers = await Promise.all(
    [2, 0, Infinity].map(async (notReady, i) => {
      let left = notReady;
      const server = createServer((req, res) => {
        asked.push(`${i}${req.url}`);
        res.writeHead(left-- > 0 ? 503 : 200).end();
      });
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      return server;
    }),
  );
  const run = async (script: string, urls: string[]) => {
    const child = spawn(process.execPath, ["-e", script, ...urls], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const [code] = (await once(child, "exit")) as [number];
    return { code, stderr };
  };
  try {
    const urls = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    assert.deepEqual(await run(waitScript(), urls.slice(0, 2)), { code: 0, stderr: "" });
    assert.deepEqual(asked, ["0/health/ready", "0/health/ready", "0/health/ready", "1/health/ready"]);
    // Past its time (none here) it fails after one try, naming the service that is not ready: the Job fails.
    asked.length = 0;
    assert.deepEqual(await run(waitScript(0), [urls[2]!, urls[0]!]), { code: 1, stderr: `not ready: ${urls[2]}\n` });
    assert.deepEqual(asked, ["2/health/ready"]);
  } finally {
    for (const s of servers) s.close();
  }
});

test("the config's deploy section: good values pass, bad ones are named by path", () => {
  const check = (deploy: unknown) => validateConfig({ deploy }, { rootDir: "/nowhere", file: "tsc-micro.config.ts" }).map((d) => d.message);
  assert.deepEqual(
    check({ registry: "ghcr.io/acme", tag: "1.0.0", namespace: "shop", resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "1.5", memory: "1Gi" } }, cpuTarget: 75, services: { quote: { image: "localhost:5000/quote", cpuTarget: 50 } } }),
    [],
  );
  const found = check({ registry: "Bad Registry", resources: { limits: { cpu: "lots", memory: "1 GB" } }, cpuTarget: 0, services: { quote: { replicas: 3 } } });
  assert.deepEqual(found.map((m) => m.replace(/ \(got .*$/, "").replace(/: must match pattern .*$/, ": pattern")), [
    "deploy.registry: pattern",
    "deploy.resources.limits.cpu: pattern",
    "deploy.resources.limits.memory: pattern",
    "deploy.cpuTarget: must be >= 1",
    "deploy.services.quote.replicas: unknown key.",
  ]);
});

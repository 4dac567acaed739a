// The generated OpenAPI documents: valid OpenAPI 3.1 by the official JSON
// schemas (@seriousme/openapi-schema-validator), shaped the way the services
// answer (POST /<function>, closed request objects, one shared error schema),
// carrying the source's JSDoc, and the same bytes on every build.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import type { TestContext } from "node:test";
import { build } from "../packages/tsc-micro/src/index.ts";
import type { BuildResult } from "../packages/tsc-micro/src/index.ts";
import { cachedBuild } from "./helpers/build-cache.ts";
import { REPO, tempOutDir } from "./helpers/paths.ts";
import { buildableFixtures, PARITY } from "./helpers/openapi-tools.ts";
import { openapiValidator } from "./helpers/openapi-validator.ts";

/** What examples/parity's documents must say, written out from its source. */
const PARITY_ROUTES: Record<string, { service: string; params: Record<string, string>; description: string; returns?: string }> = {
  isEven: {
    service: "is-even",
    params: { x: "the number to test" },
    description: "Tells whether a number is even.",
    returns: "true when x is divisible by 2",
  },
  isOdd: {
    service: "is-odd",
    params: { x: "the number to test" },
    description: "Tells whether a number is odd, by asking isEven: split, this is a call to\nthe is-even service.",
  },
  factorial: {
    service: "factorial",
    params: { n: "a whole number from 0 to 170" },
    description: "n! for a whole number n from 0 to 170 (171! does not fit in a double).\nCalls itself: the recursion stays a local call inside its service.",
  },
  fib: {
    service: "fib",
    params: { n: "a whole number from 0 to 1476" },
    description: "The n-th Fibonacci number (fib(0) = 0, fib(1) = 1), iteratively.",
  },
};

type Doc = any;

function readJson(file: string): Doc {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Every file under `dir`, as sorted POSIX paths relative to it. */
function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const abs = path.join(dir, e);
      const rel = prefix ? `${prefix}/${e}` : e;
      return statSync(abs).isDirectory() ? walk(abs, rel) : [rel];
    });
}

/** Every `$ref` value anywhere in a document. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

/** Expected routes of a build, from its plan: function name → service, parameters. */
function routesOf(result: BuildResult): Map<string, { service: string; params: { name: string; optional: boolean }[] }> {
  const routes = new Map<string, { service: string; params: { name: string; optional: boolean }[] }>();
  for (const s of result.plan!.services) for (const r of s.routes) routes.set(r.name, { service: s.name, params: r.params });
  return routes;
}

for (const project of [PARITY, ...buildableFixtures()]) {
  describe(`OpenAPI documents of ${project.label}`, () => {
    let outDir = "";
    let result: BuildResult | undefined;
    /** Every document: per-service ones by service name, the merged one as "". */
    const docs = new Map<string, Doc>();

    before(async () => {
      result = await cachedBuild({ project: project.tsconfig }, `openapi-${path.basename(path.dirname(project.tsconfig))}`);
      outDir = result.outDir;
      if (!result.success) return;
      for (const s of result.services) docs.set(s.name, readJson(path.join(outDir, "services", s.name, "openapi.json")));
      docs.set("", readJson(path.join(outDir, "openapi.json")));
    });

    /** The build's result, or skips the test for a fixture that did not build. */
    const built = (t: TestContext): BuildResult | undefined => {
      assert.ok(result, "build did not run");
      if (result.success) return result;
      if (project.required) assert.fail(`${project.label} must build:\n${JSON.stringify(result.diagnostics, null, 2)}`);
      t.skip(`${project.label} does not build (TSM${result.diagnostics[0]?.code}); skipped`);
      return undefined;
    };
    const label = (service: string) => (service ? `services/${service}/openapi.json` : "openapi.json");

    test("builds", (t) => {
      if (!built(t)) return;
      assert.ok(result!.services.length > 0);
      assert.deepEqual([...docs.keys()].filter(Boolean), readdirSync(path.join(outDir, "services")).filter((f) => f !== "_chunks").sort());
    });

    test("every document is valid OpenAPI 3.1", async (t) => {
      if (!built(t)) return;
      for (const [service, doc] of docs) {
        const validator = openapiValidator();
        const res = await validator.validate(doc);
        assert.ok(res.valid, `${label(service)} is not valid OpenAPI:\n${JSON.stringify(res.errors, null, 2)}`);
        assert.equal(validator.version, "3.1", label(service));
        const specificationVersion = (validator as unknown as { specificationVersion?: string }).specificationVersion;
        assert.match(specificationVersion ?? "", /^3\.1\.\d+$/, label(service));
        // The validator checks local refs too; say so plainly all the same.
        for (const ref of refs(doc)) {
          assert.match(ref, /^#\/components\/schemas\/[^/]+$/, `${label(service)}: ${ref}`);
          assert.ok(doc.components.schemas[ref.split("/").at(-1)!], `${label(service)}: dangling ${ref}`);
        }
      }
    });

    test("one POST /<function> per function, operationId = the function's name (its ASCII spelling where that is not URL-safe)", (t) => {
      const r = built(t);
      if (!r) return;
      const routes = routesOf(r);
      if (project === PARITY) {
        assert.deepEqual(
          Object.fromEntries([...routes].map(([name, v]) => [name, { service: v.service, params: v.params.map((p) => p.name) }])),
          Object.fromEntries(Object.entries(PARITY_ROUTES).map(([name, v]) => [name, { service: v.service, params: Object.keys(v.params) }])),
        );
      }
      for (const [service, doc] of docs) {
        const expected = [...routes].filter(([, v]) => !service || v.service === service).map(([name]) => name);
        assert.deepEqual(Object.keys(doc.paths).sort(), expected.map((n) => `/${n}`).sort(), label(service));
        for (const [p, item] of Object.entries<Doc>(doc.paths)) {
          const methods = Object.keys(item).filter((k) => ["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(k));
          assert.deepEqual(methods, ["post"], `${label(service)} ${p}`);
          const fn = p.slice(1);
          const urlSafe = /^[A-Za-z0-9._~$-]+$/;
          if (urlSafe.test(fn)) assert.equal(item.post.operationId, fn, `${label(service)} ${p}`);
          else assert.match(item.post.operationId, urlSafe, `${label(service)} ${p}`);
        }
        const ids = Object.values<Doc>(doc.paths).map((item) => item.post.operationId);
        assert.equal(new Set(ids).size, ids.length, `${label(service)}: operationIds are unique`);
      }
    });

    test("request bodies are closed JSON objects of the function's parameters", (t) => {
      const r = built(t);
      if (!r) return;
      const routes = routesOf(r);
      for (const [service, doc] of docs) {
        for (const [p, item] of Object.entries<Doc>(doc.paths)) {
          const where = `${label(service)} ${p}`;
          const params = routes.get(p.slice(1))!.params;
          const body = item.post.requestBody;
          assert.ok(body, `${where}: no requestBody`);
          assert.deepEqual(Object.keys(body.content), ["application/json"], where);
          const schema = body.content["application/json"].schema;
          assert.equal(schema.type, "object", where);
          assert.equal(schema.additionalProperties, false, `${where}: the request object must be closed`);
          assert.deepEqual(Object.keys(schema.properties ?? {}), params.map((q) => q.name), where);
          assert.deepEqual(schema.required ?? [], params.filter((q) => !q.optional).map((q) => q.name), where);
          assert.equal(body.required, params.some((q) => !q.optional), where);
        }
      }
    });

    test("error responses all reference the one shared error schema", (t) => {
      if (!built(t)) return;
      for (const [service, doc] of docs) {
        const errorRefs = new Set<string>();
        for (const [p, item] of Object.entries<Doc>(doc.paths)) {
          const responses = item.post.responses;
          const codes = Object.keys(responses);
          assert.ok(codes.includes("400") && codes.includes("500"), `${label(service)} ${p}: responses ${codes.join(", ")}`);
          assert.ok(codes.some((c) => /^2\d\d$/.test(c)), `${label(service)} ${p}: no success response`);
          for (const code of codes.filter((c) => /^[45]/.test(c))) {
            const schema = responses[code].content?.["application/json"]?.schema;
            assert.ok(schema?.$ref, `${label(service)} ${p} ${code}: no $ref to the error schema`);
            errorRefs.add(schema.$ref);
          }
        }
        assert.equal(errorRefs.size, 1, `${label(service)}: error responses use ${[...errorRefs].join(", ")}`);
        const name = [...errorRefs][0]!.replace("#/components/schemas/", "");
        const errorSchema = doc.components.schemas[name];
        assert.ok(errorSchema, `${label(service)}: no component ${name}`);
        assert.deepEqual(errorSchema.required, ["error"]);
        assert.deepEqual([...errorSchema.properties.error.required].sort(), ["code", "message", "name"]);
      }
    });

    test("servers: http://<service>:8080, per document and per path in the merged one", (t) => {
      const r = built(t);
      if (!r) return;
      const routes = routesOf(r);
      for (const [service, doc] of docs) {
        if (!service) continue;
        assert.deepEqual(doc.servers.map((s: Doc) => s.url), [`http://${service}:8080`], label(service));
      }
      const merged = docs.get("");
      for (const [p, item] of Object.entries<Doc>(merged.paths)) {
        const service = routes.get(p.slice(1))!.service;
        if (project === PARITY) assert.equal(service, PARITY_ROUTES[p.slice(1)]!.service);
        assert.deepEqual(item.servers, [{ url: `http://${service}:8080` }], `openapi.json ${p}`);
      }
    });

    if (project === PARITY) {
      test("the JSDoc of examples/parity shows up: descriptions, @param and @returns", (t) => {
        if (!built(t)) return;
        for (const [service, doc] of docs) {
          for (const [p, item] of Object.entries<Doc>(doc.paths)) {
            const where = `${label(service)} ${p}`;
            const want = PARITY_ROUTES[item.post.operationId]!;
            assert.equal(item.post.description, want.description, where);
            // The summary is the description's first sentence, on one line.
            // (A "!" or "?" ends it only before a capital: "n! for a whole number" is one sentence.)
            const firstSentence = /^[^]*?(?:\.(?=\s|$)|[!?](?=\s+[A-Z]|$))/.exec(want.description.replace(/\s+/g, " "))![0];
            assert.equal(item.post.summary, firstSentence, `${where}: summary`);
            const props = item.post.requestBody.content["application/json"].schema.properties;
            for (const [param, text] of Object.entries(want.params)) assert.equal(props[param].description, text, `${where} @param ${param}`);
            if (want.returns) assert.equal(item.post.responses["200"].description, want.returns, `${where} @returns`);
            else assert.ok(item.post.responses["200"].description, `${where}: the 200 response needs a description`);
          }
        }
        const isEven = docs.get("is-even").paths["/isEven"].post;
        assert.equal(isEven.description, "Tells whether a number is even.");
        assert.equal(isEven.responses["200"].description, "true when x is divisible by 2");
        assert.deepEqual(isEven.responses["200"].content["application/json"].schema, { type: "boolean" });
      });
    }
  });
}

describe("builds are deterministic (examples/parity built twice)", () => {
  const first = tempOutDir("openapi-det-a");
  const second = tempOutDir("openapi-det-b");
  let files: string[] = [];

  before(async () => {
    for (const outDir of [first, second]) {
      const result = await build({ project: PARITY.tsconfig, outDir });
      assert.ok(result.success, JSON.stringify(result.diagnostics, null, 2));
    }
    files = walk(first);
  });

  const differing = (select: (f: string) => boolean): string[] =>
    files.filter(select).filter((f) => !readFileSync(path.join(first, f)).equals(readFileSync(path.join(second, f))));

  test("the same files", () => {
    assert.deepEqual(walk(second), files);
    assert.ok(files.includes("openapi.json"));
  });

  test("openapi.json, Dockerfiles and clients are byte-identical", () => {
    const selected = files.filter((f) => !f.endsWith("/index.mjs"));
    assert.ok(selected.some((f) => f.startsWith("clients/")) && selected.some((f) => f.endsWith("/Dockerfile")));
    assert.deepEqual(differing((f) => !f.endsWith("/index.mjs")), []);
  });

  test("service bundles are byte-identical", () => {
    assert.equal(files.filter((f) => f.endsWith("/index.mjs")).length, 4);
    assert.deepEqual(differing((f) => f.endsWith("/index.mjs")), []);
  });

  test("no output names the folder it was built in or the machine's paths", () => {
    for (const f of files) {
      const text = readFileSync(path.join(first, f), "utf8");
      assert.ok(!text.includes(path.dirname(first)), `${f} names its output folder`);
      assert.ok(!text.includes(REPO), `${f} holds the absolute path ${REPO}`);
    }
  });
});

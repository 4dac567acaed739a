// OpenAPI component keys for TypeScript names that are not valid keys:
// fixtures/names-openapi declares `Café`, `Event$Log`, `Ünïcødé` and `$` next
// to the valid names they would turn into (`Cafe`, `Event_Log`, `EventLog`),
// two `User`s and a `Page_User` beside `Page<User>`. The per-service documents
// and the merged one must be valid OpenAPI 3.1 (component keys match
// ^[a-zA-Z0-9._-]+$), give every type its own key, keep the TypeScript name as
// the schema's `title`, and describe exactly what the running services accept.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Ajv2020 } from "ajv/dist/2020.js";
import * as names from "../fixtures/names-openapi/src/names.ts";
import * as pages from "../fixtures/names-openapi/src/pages.ts";
import { generateTypes, tempDir, typecheck, writeFiles } from "./helpers/openapi-tools.ts";
import type { Doc } from "./helpers/openapi-tools.ts";
import { FIXTURES } from "./helpers/paths.ts";
import { post } from "./helpers/services.ts";
import { routeUrl } from "./helpers/parity.ts";
import { outcome, startSplit } from "./helpers/split.ts";
import type { SplitProgram } from "./helpers/split.ts";
import { openapiValidator } from "./helpers/openapi-validator.ts";

const addFormats: typeof import("ajv-formats").default = createRequire(import.meta.url)("ajv-formats");

const TSCONFIG = path.join(FIXTURES, "names-openapi/tsconfig.json");
/** OpenAPI 3.1, "Components Object": the keys of `components.schemas`. */
const VALID_KEY = /^[a-zA-Z0-9._-]+$/;
/** The documents' own schemas, not types of the program. */
const GENERATED = new Set(["TscMicroError", "TscMicroValidationIssue"]);
/** The TypeScript names the fixture declares that are not valid keys, and the valid ones they would clash with. */
const INVALID = ["Café", "Event$Log", "Ünïcødé", "$"];
const VALID = ["Cafe", "Event_Log", "EventLog", "AnyLog"];

/** Every `$ref` value anywhere in a document, with discriminator mappings. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else if (k === "mapping" && v && typeof v === "object") out.push(...(Object.values(v) as string[]));
      else refs(v, out);
    }
  }
  return out;
}

/** The program's components of a document: TypeScript name (the title, or the key itself) → key. */
function keysByName(doc: Doc): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, schema] of Object.entries<Doc>(doc.components.schemas)) {
    if (GENERATED.has(key)) continue;
    const name = schema.title ?? key;
    assert.ok(!out.has(name), `two keys for ${name}: ${out.get(name)} and ${key}`);
    out.set(name, key);
  }
  return out;
}

/** The component schema a `$ref` points at. */
function deref(doc: Doc, schema: Doc): Doc {
  assert.match(schema.$ref ?? "", /^#\/components\/schemas\//, JSON.stringify(schema));
  const target = doc.components.schemas[schema.$ref.slice("#/components/schemas/".length)];
  assert.ok(target, `dangling ${schema.$ref}`);
  return target;
}

describe("fixtures/names-openapi: component keys, titles and the services behind them", () => {
  let split: SplitProgram | undefined;
  /** "openapi.json" and "services/<name>/openapi.json" → document. */
  const docs = new Map<string, Doc>();
  let merged: Doc;
  let keys: Map<string, string>;

  before(async () => {
    split = await startSplit(TSCONFIG, "openapi-names");
    docs.set("openapi.json", JSON.parse(readFileSync(path.join(split.outDir, "openapi.json"), "utf8")));
    for (const s of split.result.services) {
      const file = `services/${s.name}/openapi.json`;
      docs.set(file, JSON.parse(readFileSync(path.join(split.outDir, file), "utf8")));
    }
    merged = docs.get("openapi.json");
    keys = keysByName(merged);
  });

  after(async () => {
    await split?.stop();
  });

  /** A request or response schema of the merged document, by JSON pointer into it, checked with Ajv. */
  const documentValidator = (() => {
    let ajv: InstanceType<typeof Ajv2020> | undefined;
    return (pointer: string) => {
      if (!ajv) {
        // The document itself is the schema resource: its `#/components/schemas/…` refs resolve in it.
        // `discriminator` is OpenAPI's (Ajv does not take its `mapping`); `oneOf` still decides.
        ajv = new Ajv2020({ strict: false, allErrors: true });
        addFormats(ajv);
        ajv.addSchema(merged, "openapi.json");
      }
      const validate = ajv.getSchema(`openapi.json#${pointer}`);
      assert.ok(validate, `no schema at ${pointer}`);
      return validate;
    };
  })();
  const requestSchemaOf = (fn: string) => documentValidator(`/paths/~1${fn}/post/requestBody/content/application~1json/schema`);
  const resultSchemaOf = (fn: string) => documentValidator(`/paths/~1${fn}/post/responses/200/content/application~1json/schema`);

  test("every document is valid OpenAPI 3.1 and has no error by Redocly's recommended rules", async () => {
    assert.equal(docs.size, split!.result.services.length + 1);
    for (const [label, doc] of docs) {
      const validator = openapiValidator();
      const res = await validator.validate(doc);
      assert.ok(res.valid, `${label} is not valid OpenAPI:\n${JSON.stringify(res.errors, null, 2)}`);
      assert.equal(validator.version, "3.1", label);
      // The merged document has per-path servers by design (see openapi-tools-lint.test.ts).
      const config = await createConfig({ extends: ["recommended"], rules: label === "openapi.json" ? { "no-empty-servers": "off" } : {} });
      const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: path.join(split!.outDir, label), config });
      const errors = problems.filter((p) => !p.ignored && p.severity === "error").map((p) => `${p.ruleId} ${p.location.map((l) => l.pointer).join(" ")}: ${p.message}`);
      assert.deepEqual(errors, [], label);
    }
  });

  test("component keys are valid and distinct, one per TypeScript type, and every name is kept", () => {
    const components = Object.keys(split!.result.plan!.components).sort();
    for (const name of [...INVALID, ...VALID]) assert.ok(components.includes(name), `the model has no component ${name}: ${components.join(", ")}`);
    for (const [label, doc] of docs) {
      for (const key of Object.keys(doc.components.schemas)) assert.match(key, VALID_KEY, `${label}: ${key}`);
    }
    assert.deepEqual([...keys.keys()].sort(), components, "the titles (or keys) name every component of the model once");
    assert.equal(new Set(keys.values()).size, keys.size);
    for (const [name, key] of keys) {
      if (VALID_KEY.test(name)) {
        assert.equal(key, name, `${name} is a valid key and must stay one`);
        assert.equal(merged.components.schemas[key].title, undefined, `${name} needs no title`);
      } else {
        assert.notEqual(key, name);
        assert.equal(merged.components.schemas[key].title, name, `${key} must carry its TypeScript name`);
      }
    }
  });

  test("each TypeScript type has the same key and schema in every document", () => {
    for (const [label, doc] of docs) {
      if (label === "openapi.json") continue;
      for (const [name, key] of keysByName(doc)) {
        assert.equal(key, keys.get(name), `${label}: ${name}`);
        assert.deepEqual(doc.components.schemas[key], merged.components.schemas[key], `${label}: ${name}`);
      }
    }
  });

  test("each key holds its own type's schema, and every $ref and discriminator mapping resolves to the right one", () => {
    const schemaOf = (name: string) => merged.components.schemas[keys.get(name)!];
    const props = (name: string) => Object.keys(schemaOf(name).properties);
    assert.deepEqual(props("Café"), ["name", "price"]);
    assert.deepEqual(props("Cafe"), ["name", "open"]);
    assert.deepEqual(props("Event$Log"), ["kind", "at", "message"]);
    assert.deepEqual(props("Event_Log"), ["kind", "level", "text"]);
    assert.deepEqual(props("EventLog"), ["count", "last"]);
    assert.deepEqual(props("Ünïcødé"), ["text", "café"]);
    assert.deepEqual(props("$"), ["cents"]);
    assert.equal(schemaOf("Café").description, "A café, with its accent.");
    for (const [label, doc] of docs) for (const ref of refs(doc)) deref(doc, { $ref: ref });
    // Refs between renamed components.
    assert.equal(deref(merged, schemaOf("Ünïcødé").properties.café), schemaOf("Café"));
    assert.equal(deref(merged, schemaOf("EventLog").properties.last.anyOf.find((s: Doc) => s.$ref)), schemaOf("Event$Log"));
    // The discriminated union: its members and mapping name the renamed keys.
    const anyLog = schemaOf("AnyLog");
    assert.deepEqual(anyLog.oneOf.map((s: Doc) => deref(merged, s).title ?? s.$ref.split("/").at(-1)), ["Event$Log", "Event_Log"]);
    assert.deepEqual(anyLog.discriminator, {
      propertyName: "kind",
      mapping: { dollar: `#/components/schemas/${keys.get("Event$Log")}`, underscore: `#/components/schemas/${keys.get("Event_Log")}` },
    });
    // The operations use them too.
    const body = (fn: string) => merged.paths[`/${fn}`].post.requestBody.content["application/json"].schema;
    assert.equal(deref(merged, body("orderCoffee").properties.place), schemaOf("Café"));
    assert.equal(deref(merged, body("tally").properties.entries.items), anyLog);
    assert.equal(deref(merged, merged.paths["/pay"].post.responses["200"].content["application/json"].schema), schemaOf("$"));
  });

  test("openapi-typescript keeps the TypeScript names (titles) in its JSDoc, and its types type-check", async () => {
    const dir = tempDir("openapi-names-codegen");
    const source = await generateTypes(path.join(split!.outDir, "openapi.json"), dir);
    for (const name of INVALID) {
      // The JSDoc just above the schema's type starts with its title.
      const key = keys.get(name)!;
      const escaped = key.replace(/[.]/g, "\\.");
      const at = source.search(new RegExp(`^[ \\t]*(?:${escaped}|"${escaped}"): `, "m"));
      assert.ok(at > 0, `no type for ${key}`);
      const jsdoc = source.slice(source.lastIndexOf("/**", at), at);
      assert.ok(jsdoc.startsWith(`/** ${name} */`) || jsdoc.startsWith(`/**\n`) && jsdoc.split("\n")[1]!.trim() === `* ${name}`, `${key}: ${jsdoc}`);
    }
    const schema = (name: string) => `components["schemas"][${JSON.stringify(keys.get(name))}]`;
    const files = writeFiles(dir, {
      "use.ts": `import type { components } from "./schema.js";
export const cafe: ${schema("Café")} = { name: "Café", price: 2 };
export const log: ${schema("Event$Log")} = { kind: "dollar", at: "2024-01-02T03:04:05.678Z", message: "m" };
export const other: ${schema("Event_Log")} = { kind: "underscore", level: "info", text: "t" };
export const entries: ${schema("AnyLog")}[] = [log, other];
export const money: ${schema("$")} = { cents: "5" };
`,
      "wrong.ts": `import type { components } from "./schema.js";
export const cafe: ${schema("Café")} = { name: "Café", open: true }; // WRONG
`,
    });
    const diagnostics = typecheck(files);
    assert.deepEqual([...diagnostics].filter(([file]) => !file.endsWith("wrong.ts")), []);
    const wrong = diagnostics.get(path.join(dir, "wrong.ts")) ?? [];
    assert.ok(wrong.length > 0 && wrong.every((d) => d.startsWith("wrong.ts(2):")), wrong.join("\n"));
  });

  test("the split program answers like the monolith", async () => {
    const c = split!.clients;
    const same = async (name: string, local: (...a: any[]) => unknown, args: unknown[]) => {
      assert.deepEqual(await outcome(() => c[name](...args)), await outcome(() => local(...args)), name);
    };
    await same("orderCoffee", names.orderCoffee, [{ name: "Café ☕", price: 2.5 }, { name: "Cafe", open: true }]);
    await same("orderCoffee", names.orderCoffee, [{ name: "Ünïcødé", price: 0 }, { name: "x", open: false }]);
    const at = new Date("2024-01-02T03:04:05.678Z");
    const later = new Date("2025-06-07T08:09:10.000Z");
    const entries = [
      { kind: "dollar", at, message: "ü" },
      { kind: "underscore", level: "warn", text: "t" },
      { kind: "dollar", at: later, message: "later" },
    ];
    await same("tally", names.tally, [entries, { count: 1, last: null }]);
    await same("tally", names.tally, [[], { count: 0, last: { kind: "dollar", at, message: "kept" } }]);
    await same("pay", names.pay, [{ cents: 12345678901234567890n }, { cents: 5n }]);
    await same("pay", names.pay, [{ cents: -1n }, null]);
    await same("mergePages", pages.mergePages, [{ items: [{ id: 1, name: "a" }], total: 1 }, { items: [{ badge: "b", admin: true }], total: 2 }, { pinned: "p", total: 3 }]);
  });

  const urlOf = (fn: string): string => routeUrl(split!, fn);

  test("requests valid by the documents are accepted, and the answers are valid by them", async () => {
    const requests: [string, unknown][] = [
      ["orderCoffee", { place: { name: "Café", price: 3 }, fallback: { name: "Cafe", open: false } }],
      ["tally", { entries: [{ kind: "dollar", at: "2024-01-02T03:04:05.678Z", message: "m" }, { kind: "underscore", level: "info", text: "t" }], previous: { count: 2, last: null } }],
      ["pay", { amount: { cents: "-42" }, tip: { cents: "2" } }],
      ["mergePages", { customers: { items: [], total: 0 }, staff: { items: [{ badge: "b", admin: false }], total: 1 }, pinned: { pinned: "p", total: 0 } }],
    ];
    for (const [fn, body] of requests) {
      const validRequest = requestSchemaOf(fn);
      assert.ok(validRequest(body), `${fn}: the document rejects ${JSON.stringify(body)}: ${JSON.stringify(validRequest.errors)}`);
      const res = await post(urlOf(fn), body);
      assert.equal(res.status, 200, `${fn}: ${JSON.stringify(res.body)}`);
      const validResult = resultSchemaOf(fn);
      assert.ok(validResult(res.body), `${fn}: the document rejects the answer ${JSON.stringify(res.body)}: ${JSON.stringify(validResult.errors)}`);
    }
  });

  test("requests the documents reject, the services reject with 400, naming the field", async () => {
    const requests: [string, unknown, string][] = [
      ["orderCoffee", { place: { name: "Café" }, fallback: { name: "Cafe", open: false } }, "place"],
      ["orderCoffee", { place: { name: "Café", price: 1 }, fallback: { name: "Cafe", price: 1 } }, "fallback"],
      ["tally", { entries: [{ kind: "dollar", at: "yesterday", message: "m" }], previous: { count: 0, last: null } }, "entries[0]"],
      ["tally", { entries: [], previous: { count: 0, last: { kind: "underscore", level: "info", text: "t" } } }, "previous.last"],
      ["pay", { amount: { cents: "1.5" }, tip: null }, "amount.cents"],
      ["mergePages", { customers: { items: [{ badge: "b", admin: true }], total: 1 }, staff: { items: [], total: 0 }, pinned: { pinned: "p", total: 0 } }, "customers.items[0]"],
    ];
    for (const [fn, body, field] of requests) {
      assert.equal(requestSchemaOf(fn)(body), false, `${fn}: the document accepts ${JSON.stringify(body)}`);
      const res = await post(urlOf(fn), body);
      assert.equal(res.status, 400, `${fn} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "BAD_REQUEST");
      const paths = res.body.error.issues.map((i: { path: string }) => i.path);
      assert.ok(paths.length > 0 && paths.every((p: string) => p.startsWith(field)), `${fn}: issues at ${paths.join(", ")}, expected under ${field}`);
    }
  });
});

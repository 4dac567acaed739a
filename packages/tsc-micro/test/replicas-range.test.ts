// `replicas=MIN..MAX`: one option spec read by the tag parser, the config and the planner.
import assert from "node:assert/strict";
import { test } from "node:test";
import { validateConfig } from "../src/config/validate-config.ts";
import type { ModelResult } from "../src/model/model.ts";
import { plan } from "../src/plan/plan.ts";
import { configSpec, readInteger } from "../src/scan/option-specs.ts";
import type { IntegerSpec } from "../src/scan/option-specs.ts";
import { parseTagOptions } from "../src/scan/tag-options.ts";
import type { ServiceOptions } from "../src/scan/tag-options.ts";
import type { ScanResult, TaggedFunction } from "../src/scan/types.ts";

const REPLICAS = configSpec("replicas") as IntegerSpec;

test("the tag reads replicas=N and replicas=MIN..MAX within 1–1000, MIN ≤ MAX", () => {
  assert.deepEqual(parseTagOptions("replicas=3").options, { replicas: 3 });
  assert.deepEqual(parseTagOptions("replicas=2..10").options, { replicas: 2, maxReplicas: 10 });
  assert.deepEqual(parseTagOptions("replicas=4..4").options, { replicas: 4, maxReplicas: 4 });
  for (const bad of ["replicas=10..2", "replicas=0..3", "replicas=1..1001", "replicas=2..", "replicas=..5", "replicas=2...5", "replicas=2-5"]) {
    const { options, problems } = parseTagOptions(bad);
    assert.deepEqual(options, {}, bad);
    assert.deepEqual(problems.map((p) => p.message), [`${bad} must be a whole number from 1 to 1000, or a range MIN..MAX within it.`], bad);
    assert.equal(problems[0]!.hint, "Write it as replicas=2.");
  }
  // Other integer options take no range.
  assert.equal(parseTagOptions("retry=1..3").problems.length, 1);
  assert.equal(readInteger(configSpec("retry") as IntegerSpec, "1..3"), undefined);
  assert.deepEqual(readInteger(REPLICAS, "1..1000"), { value: 1, max: 1000 });
});

test('the config takes replicas as a number or "MIN..MAX", with the tag\'s bounds', () => {
  const check = (replicas: unknown) => validateConfig({ services: { quote: { replicas } } }, { rootDir: "/nowhere", file: "tsc-micro.config.ts" }).map((d) => d.message);
  assert.deepEqual(check(3), []);
  assert.deepEqual(check("2..10"), []);
  assert.deepEqual(check("10..2"), ['services.quote.replicas: must be a whole number from 1 to 1000, or a range MIN..MAX within it, MIN ≤ MAX (got "10..2").']);
  assert.deepEqual(check("0..2"), ['services.quote.replicas: must be a whole number from 1 to 1000, or a range MIN..MAX within it, MIN ≤ MAX (got "0..2").']);
  assert.deepEqual(check("lots"), ['services.quote.replicas: must match pattern "^(\\d+)\\.\\.(\\d+)$" (got "lots").']);
  assert.deepEqual(check(0), ["services.quote.replicas: must be >= 1 (got 0)."]);
});

function fn(name: string, options: ServiceOptions): TaggedFunction {
  const file = "src/shop.ts";
  const location = { file, start: 0, length: name.length, line: 1, column: 1 };
  return { id: `${file}:${name}`, name, exportName: name, file, location, isAsync: false, docs: { params: {} }, options, params: [] };
}

function planned(functions: TaggedFunction[], overrides: Record<string, Omit<ServiceOptions, "name">> = {}) {
  const scan: ScanResult = { files: ["src/shop.ts"], functions, errorClasses: [], contexts: {}, references: [], diagnostics: [] };
  const models: ModelResult = { functions: Object.fromEntries(functions.map((f) => [f.id, { id: f.id, params: [], result: null }])), components: {}, diagnostics: [] };
  return plan(scan, models, { overrides });
}

test("a service's range is one value: functions must agree on it whole, and the config replaces it whole", () => {
  const same = planned([fn("a", { name: "shop", replicas: 2, maxReplicas: 10 }), fn("b", { name: "shop", replicas: 2, maxReplicas: 10 })]);
  assert.deepEqual([same.plan.services[0]!.options, same.diagnostics], [{ replicas: 2, maxReplicas: 10 }, []]);

  const differ = planned([fn("a", { name: "shop", replicas: 2, maxReplicas: 10 }), fn("b", { name: "shop", replicas: 2 })]);
  assert.deepEqual(differ.diagnostics.map((d) => d.message), ["Functions of service 'shop' disagree on replicas=: a says 2..10, b says 2."]);

  const fixed = planned([fn("a", { name: "shop", replicas: 2, maxReplicas: 10 })], { shop: { replicas: 3 } });
  assert.deepEqual(fixed.plan.services[0]!.options, { replicas: 3 });
  const ranged = planned([fn("a", { name: "shop", replicas: 3 })], { shop: { replicas: 1, maxReplicas: 4 } });
  assert.deepEqual(ranged.plan.services[0]!.options, { replicas: 1, maxReplicas: 4 });
});

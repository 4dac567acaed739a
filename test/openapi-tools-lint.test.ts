// Our OpenAPI documents as third-party tools read them, part 1: Redocly's
// linter (@redocly/openapi-core, "recommended" ruleset) on every per-service
// document and the merged one, of examples/parity and of every fixture meant
// to build. Part 2 (codegen): test/openapi-tools-codegen.test.ts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import type { TestContext } from "node:test";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import type { NormalizedProblem } from "@redocly/openapi-core";
import type { BuildResult } from "../packages/tsc-micro/src/index.ts";
import { buildableFixtures, PARITY } from "./helpers/openapi-tools.ts";
import type { Doc } from "./helpers/openapi-tools.ts";
import { cachedBuild } from "./helpers/build-cache.ts";

// ---------------------------------------------------------------------------
// 1. Redocly lint
// ---------------------------------------------------------------------------

/**
 * Rules of "recommended" turned off because they are plainly inapplicable to
 * what tsc-micro emits. Everything else in the ruleset stays at its severity.
 */
const OFF_EVERYWHERE = {} as const;
const OFF_IN_MERGED = {
  ...OFF_EVERYWHERE,
  // The rule only looks at the root `servers`. The merged document covers
  // several services at several hosts, so by design each path item carries its
  // own `servers` and there is no root server to name (omitting `servers` trips
  // the rule too). Per-service documents keep the rule; for the merged one the
  // test below checks every path item has a non-empty `servers` instead.
  "no-empty-servers": "off",
} as const;

interface Finding {
  document: string;
  ruleId: string;
  severity: string;
  pointer: string;
  message: string;
}

function findingsOf(document: string, problems: NormalizedProblem[]): Finding[] {
  return problems
    .filter((p) => !p.ignored)
    .map((p) => ({
      document,
      ruleId: p.ruleId,
      severity: p.severity,
      pointer: p.location.map((l) => l.pointer ?? `${l.source.absoluteRef}`).join(" "),
      message: p.message,
    }));
}

const show = (f: Finding) => `${f.severity} ${f.ruleId} ${f.document} ${f.pointer}: ${f.message}`;

for (const project of [PARITY, ...buildableFixtures()]) {
  describe(`Redocly lint (recommended) of ${project.label}`, () => {
    let outDir = "";
    let result: BuildResult | undefined;
    /** label → document */
    const docs = new Map<string, Doc>();
    const findings: Finding[] = [];

    /** A build that threw (rather than reporting diagnostics): a fixture is skipped all the same. */
    let buildError: Error | undefined;

    before(async () => {
      try {
        result = await cachedBuild({ project: project.tsconfig }, `redocly-${path.basename(path.dirname(project.tsconfig))}`);
        outDir = result.outDir;
      } catch (e) {
        if (project.required) throw e;
        buildError = e as Error;
        return;
      }
      if (!result.success) return;
      const perService = await createConfig({ extends: ["recommended"], rules: { ...OFF_EVERYWHERE } });
      const merged = await createConfig({ extends: ["recommended"], rules: { ...OFF_IN_MERGED } });
      const files: [string, string, typeof merged][] = [
        ["openapi.json", path.join(outDir, "openapi.json"), merged],
        ...result.services.map((s): [string, string, typeof merged] => [
          `services/${s.name}/openapi.json`,
          path.join(outDir, "services", s.name, "openapi.json"),
          perService,
        ]),
      ];
      for (const [label, file, config] of files) {
        const source = readFileSync(file, "utf8");
        docs.set(label, JSON.parse(source));
        findings.push(...findingsOf(label, await lintFromString({ source, absoluteRef: file, config })));
      }
    });

    /** Whether the project built; skips the test (saying why, in the first test) if a fixture did not. */
    const built = (t: TestContext, explain = false): boolean => {
      if (buildError) {
        if (explain) t.diagnostic(`${project.label}: the build threw: ${buildError.stack ?? buildError.message}`);
        t.skip(`${project.label}: the build threw (${buildError.message.split("\n")[0]}); skipped`);
        return false;
      }
      assert.ok(result, "build did not run");
      if (result.success) return true;
      if (project.required) assert.fail(`${project.label} must build:\n${JSON.stringify(result.diagnostics, null, 2)}`);
      if (explain) t.diagnostic(`${project.label} does not build: ${result.diagnostics.map((d) => `TSM${d.code} ${d.message}`).join("; ")}`);
      t.skip(`${project.label} does not build (TSM${result.diagnostics[0]?.code}); skipped`);
      return false;
    };

    test("linted every document", (t) => {
      if (!built(t, true)) return;
      assert.equal(docs.size, result!.services.length + 1);
    });

    test("no error-level problems; the only warning is a missing license where the project has none", (t) => {
      if (!built(t)) return;
      const errors = findings.filter((f) => f.severity === "error");
      assert.deepEqual(errors.map(show), []);
      // info-license: a project without package.json's `license` gives its documents none (tsc-micro invents none).
      const hasLicense = [...docs.values()].every((doc: Doc) => doc.info?.license);
      const allowed = hasLicense ? [] : ["info-license"];
      assert.deepEqual(findings.filter((f) => f.severity !== "error" && !allowed.includes(f.ruleId)).map(show), []);
    });

    test("the merged document gives every path item its servers (instead of no-empty-servers)", (t) => {
      if (!built(t)) return;
      const merged = docs.get("openapi.json");
      for (const [p, item] of Object.entries<Doc>(merged.paths)) {
        assert.ok(Array.isArray(item.servers) && item.servers.length > 0, `openapi.json ${p}: no servers`);
        for (const s of item.servers) assert.match(s.url, /^http:\/\/[a-z][-a-z0-9]*:8080$/, `openapi.json ${p}`);
      }
    });
  });
}

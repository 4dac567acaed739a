import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { configSchema } from "../src/config/schema.ts";
import { OPTION_SPECS } from "../src/scan/option-specs.ts";
import { parseTagOptions } from "../src/scan/tag-options.ts";

const README = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");

/** The rows of the README's tag options table (`| option | value | meaning |`) in "## The tag": [keys written in backticks, value]. */
function readmeOptionRows(): { keys: string[]; value: string }[] {
  const section = README.slice(README.indexOf("\n## The tag\n"), README.indexOf("\n## ", README.indexOf("\n## The tag\n") + 1));
  const table = section.slice(section.indexOf("| option | value | meaning |"));
  const lines = table.split("\n").slice(2);
  return lines
    .slice(0, lines.findIndex((l) => !l.startsWith("|")))
    .map((line) => {
      const [option, value] = line.split(" | ").map((c) => c.replace(/^\| /, ""));
      return { keys: [...option!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!), value: value! };
    });
}

test("the README's tag options table lists exactly the options, in order, with their ranges", () => {
  const rows = readmeOptionRows();
  const keyOf = (k: string) => k.replace(/=$/, "");
  assert.deepEqual(
    rows.map((r) => ({ keys: r.keys.map(keyOf), value: r.value })),
    OPTION_SPECS.map((s) => ({ keys: [s.key, ...(s.aliases ?? [])], value: s.value })),
  );
  // A flag is written bare in the table, every other option with its '='.
  for (const row of rows) for (const k of row.keys) assert.equal(k.endsWith("="), OPTION_SPECS.find((s) => s.key === keyOf(k) || s.aliases?.includes(keyOf(k)))!.kind !== "flag", k);
});

test("the config's service overrides are the options that have a config key, with the same ranges", () => {
  const overrides = configSchema.properties.services.additionalProperties as unknown as { properties: Record<string, { minimum?: number; maximum?: number }> };
  const configurable = OPTION_SPECS.filter((s) => s.configKey);
  assert.deepEqual(Object.keys(overrides.properties), configurable.map((s) => s.configKey));
  for (const s of configurable) {
    if (s.kind !== "integer") continue;
    assert.deepEqual([overrides.properties[s.configKey!]!.minimum, overrides.properties[s.configKey!]!.maximum], [s.min, s.max], s.key);
  }
});

test("every option's example parses without a problem on the tag", () => {
  for (const s of OPTION_SPECS) assert.deepEqual(parseTagOptions(s.example).problems, [], s.example);
});

test("integer ranges hold on the tag at their bounds and just outside them", () => {
  for (const s of OPTION_SPECS) {
    if (s.kind !== "integer") continue;
    assert.equal(parseTagOptions(`${s.key}=${s.min}`).problems.length, 0, `${s.key}=${s.min}`);
    assert.equal(parseTagOptions(`${s.key}=${s.max}`).problems.length, 0, `${s.key}=${s.max}`);
    assert.equal(parseTagOptions(`${s.key}=${s.max + 1}`).problems.length, 1, `${s.key}=${s.max + 1}`);
    if (s.min > 0) assert.equal(parseTagOptions(`${s.key}=${s.min - 1}`).problems.length, 1, `${s.key}=${s.min - 1}`);
  }
});

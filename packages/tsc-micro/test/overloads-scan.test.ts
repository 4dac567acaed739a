import assert from "node:assert/strict";
import { test } from "node:test";
import { Project } from "ts-morph";
import type { Diagnostic } from "../src/diagnostics/diagnostic.ts";
import { findTaggedFunctions } from "../src/scan/find-tagged.ts";
import { overloadGroupDocs } from "../src/scan/function-docs.ts";
import type { FunctionDocs } from "../src/scan/types.ts";

function scanText(text: string): { functions: ReturnType<typeof findTaggedFunctions>; diagnostics: Diagnostic[] } {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true } });
  const sourceFile = project.createSourceFile("/p/src/f.ts", text);
  const diagnostics: Diagnostic[] = [];
  return { functions: findTaggedFunctions("/p", sourceFile, diagnostics), diagnostics };
}

const OVERLOADS = (tagAt: 0 | 1 | 2) => `
/**
 * Parses text.${tagAt === 0 ? "\n * @microservice retry=2" : ""}
 * @param text - the digits
 */
export function parse(text: string): number;
/** Formats a number.${tagAt === 1 ? " @microservice retry=2" : ""} */
export function parse({ value }: { value: number }): string;
${tagAt === 2 ? "/** @microservice retry=2 */\n" : ""}export function parse(x: string | { value: number }): number | string {
  return typeof x === "string" ? Number(x) : String(x.value);
}
`;

test("the tag on the first overload, a later one or the implementation makes one route: the implementation", () => {
  const implementationStart = (text: string) => text.indexOf("export function parse(x:");
  for (const tagAt of [0, 1, 2] as const) {
    const text = OVERLOADS(tagAt);
    const { functions, diagnostics } = scanText(text);
    assert.deepEqual(diagnostics, [], `tag on declaration ${tagAt}`);
    assert.equal(functions.length, 1);
    const [fn] = functions;
    assert.equal(fn!.id, `src/f.ts:${implementationStart(text)}`);
    assert.deepEqual(fn!.options, { retry: 2 });
    assert.deepEqual(fn!.params, [{ name: "x", optional: false }]);
    // A destructured overload parameter shows under the implementation's name.
    assert.deepEqual(
      fn!.overloads!.map((o) => o.params.map((p) => p.name)),
      [["text"], ["x"]],
    );
    assert.deepEqual(
      fn!.overloads!.map((o) => o.docs.description),
      ["Parses text.", "Formats a number."],
    );
  }
});

test("a function that is not overloaded has no overloads", () => {
  const { functions } = scanText("/** @microservice */\nexport function f(x: number): number { return x; }\n");
  assert.equal(functions[0]!.overloads, undefined);
});

test("the route's docs: the implementation's first, else the overloads'", () => {
  const overloads: FunctionDocs[] = [
    { description: "Parses text.", params: { text: "the digits", x: "from the first" }, returns: "a number", deprecated: true },
    { description: "Formats a number.", params: { x: "from the second" }, returns: "a text" },
  ];
  assert.deepEqual(overloadGroupDocs({ params: {} }, overloads, ["x"]), {
    description: "Parses text.\n\nFormats a number.",
    params: { x: "from the first" },
    returns: "a number; or a text",
  });
  assert.deepEqual(overloadGroupDocs({ description: "Parses or formats.", params: { x: "own" }, returns: "it" }, overloads, ["x"]), {
    description: "Parses or formats.",
    params: { x: "own" },
    returns: "it",
  });
  assert.equal(overloadGroupDocs({ params: {} }, overloads.map((o) => ({ ...o, deprecated: true })), ["x"]).deprecated, true);
  assert.equal(overloadGroupDocs({ params: {}, deprecated: true }, overloads, ["x"]).deprecated, true);
});

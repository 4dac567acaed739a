import assert from "node:assert/strict";
import { test } from "node:test";
import { Project } from "ts-morph";
import { findNearMissTags, isTagLike } from "../src/scan/near-miss-tags.ts";
import { configKeyLocation } from "../src/config/key-location.ts";

function nearMisses(text: string): string[] {
  const project = new Project({ useInMemoryFileSystem: true });
  const sf = project.createSourceFile("/p/a.ts", text);
  return findNearMissTags("/p", sf).map((d) => `${d.category} ${d.code} ${d.line},${d.column} ${d.message}`);
}

test("each near-miss form of the tag is a warning at the tag", () => {
  const forms = ["/** @Microservice */", "/** @MicroService */", "/** @microservices */", "/** @micro-service */", "/** @micro_service */", "// @microservice", "/* @microservice */"];
  for (const form of forms) {
    const found = nearMisses(`${form}\nexport function f(x: number): number {\n  return x;\n}\n`);
    assert.equal(found.length, 1, form);
    assert.match(found[0]!, /^warning 1008 1,\d+ @/, form);
    assert.match(found[0]!, /'f' stays a local function\.$/, form);
  }
});

test("the right tag, prose and unrelated tags are left alone", () => {
  assert.deepEqual(nearMisses("/** @microservice */\nexport function f(): number {\n  return 1;\n}\n"), []);
  assert.deepEqual(nearMisses("// functions tagged @microservice become services\n/** @param x @microphone */\nexport function f(x: number): number {\n  return x;\n}\n"), []);
  assert.equal(isTagLike("microphone"), false);
  assert.equal(isTagLike("micro"), false);
  assert.equal(isTagLike("Microservices"), true);
});

test("a near miss anywhere in the file, not only above a function", () => {
  assert.deepEqual(nearMisses("export function f(): number {\n  // @microservice\n  return 1;\n}\n"), [
    "warning 1008 2,6 @microservice is in a line comment (//), which TypeScript does not read as docs: nothing becomes a service.",
  ]);
});

test("the hint keeps the options written on the tag line", () => {
  const project = new Project({ useInMemoryFileSystem: true });
  const sf = project.createSourceFile("/p/a.ts", "// @microservice service=billing retry=2\nexport function f(): number {\n  return 1;\n}\n");
  assert.equal(findNearMissTags("/p", sf)[0]!.hint, "Write it as a doc comment, /** @microservice service=billing retry=2 */, right above the exported function.");
});

test("the hint writes the options right: an unknown key becomes the one it is closest to, never copied as written", () => {
  const project = new Project({ useInMemoryFileSystem: true });
  // A newcomer's tag: the suggestion used to repeat `retries=3`, which then failed as TSM1003.
  const sf = project.createSourceFile("/p/a.ts", "/** @Microservice service=cart timeout=5s retries=3 concurency=2 */\nexport function f(): number {\n  return 1;\n}\n");
  assert.equal(findNearMissTags("/p", sf)[0]!.hint, "Did you mean /** @microservice service=cart timeout=5s retry=3 concurrency=2 */? Tags are case-sensitive and singular.");
});

test("configKeyLocation finds a nested key, else the file's start", () => {
  // Reads from disk: use this test file's folder as the root and a missing file for the fallback.
  assert.deepEqual(configKeyLocation("/nonexistent", "tsc-micro.config.ts", ["services", "x"]), { file: "tsc-micro.config.ts", start: 0, length: 0, line: 1, column: 1 });
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { rewriteSource } from "../src/emit/rewrite-source.ts";

test("edits apply from the end; insertions at one offset keep their order; imports go on top", () => {
  const text = "#!/usr/bin/env node\nfunction f(x) { return !g(x); }\n";
  const call = text.indexOf("g(x)");
  const out = rewriteSource(text, {
    file: "a.ts",
    edits: [
      { start: call, end: call + 1, text: "g$remote", order: 0 },
      { start: call, end: call, text: "(await ", order: -4 },
      { start: call + 4, end: call + 4, text: ")", order: 4 },
      { start: text.indexOf("function"), end: text.indexOf("function"), text: "async ", order: 0 },
    ],
    imports: [{ service: "g", name: "g", alias: "g$remote" }],
  });
  assert.equal(
    out,
    '#!/usr/bin/env node\nimport { g as g$remote } from "tsc-micro:client/g"; // tsc-micro: remote call\nasync function f(x) { return !(await g$remote(x)); }\n',
  );
});

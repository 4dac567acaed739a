import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDiagnostics } from "../src/diagnostics/format.ts";
import type { Diagnostic } from "../src/diagnostics/diagnostic.ts";

const d: Diagnostic = { code: 1003, category: "error", file: "src/a.ts", start: 22, length: 7, line: 2, column: 19, message: "Unknown @microservice option 'retries'.", hint: "Did you mean 'retry='?" };

test("tsc's format, with the hint and a count", () => {
  assert.equal(
    formatDiagnostics([d, { code: 5003, category: "error", message: "No function tagged @microservice." }]),
    "src/a.ts(2,19): error TSM1003: Unknown @microservice option 'retries'.\n  hint: Did you mean 'retry='?\nerror TSM5003: No function tagged @microservice.\n\nFound 2 errors.\n",
  );
});

test("a code frame under the line when the file can be read", () => {
  const out = formatDiagnostics([d], { readFile: () => "/**\n * @microservice retries=3\n */" });
  assert.match(out, /\n2  \* @microservice retries=3\n {20}~{7}\n/);
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDiagnostics } from "../src/diagnostics/format.ts";
import { sortDiagnostics } from "../src/diagnostics/diagnostic.ts";
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

test("TypeScript's own errors print with their TS code, and sort before tsc-micro's", () => {
  const ts: Diagnostic = { source: "ts", code: 2322, category: "error", file: "src/b.ts", start: 6, length: 1, line: 1, column: 7, message: "Type 'number' is not assignable to type 'string'." };
  const option: Diagnostic = { source: "ts", code: 5101, category: "error", file: "tsconfig.json", message: "Option 'baseUrl' is deprecated." };
  assert.deepEqual(sortDiagnostics([d, ts, option]), [ts, option, d]);
  assert.equal(
    formatDiagnostics(sortDiagnostics([d, ts])),
    "src/b.ts(1,7): error TS2322: Type 'number' is not assignable to type 'string'.\nsrc/a.ts(2,19): error TSM1003: Unknown @microservice option 'retries'.\n  hint: Did you mean 'retry='?\n\nFound 2 errors.\n",
  );
});

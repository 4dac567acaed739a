import { test } from "node:test";
import assert from "node:assert/strict";
import { integerFromEnv, PORT_RANGE, POSITIVE } from "../src/env-integer.js";

test("integerFromEnv: unset or blank is not set; digits in range are read; the rest names the variable", () => {
  assert.equal(integerFromEnv({}, "PORT", PORT_RANGE), undefined);
  assert.equal(integerFromEnv({ PORT: "  " }, "PORT", PORT_RANGE), undefined);
  assert.equal(integerFromEnv({ PORT: "8080" }, "PORT", PORT_RANGE), 8080);
  assert.equal(integerFromEnv({ PORT: " 0 " }, "PORT", PORT_RANGE), 0);
  for (const junk of ["http", "-1", "65536", "1e3", "0x10", "5.0", "5.5"]) {
    assert.throws(() => integerFromEnv({ PORT: junk }, "PORT", PORT_RANGE), { name: "RangeError", message: `PORT must be an integer from 0 to 65535, got "${junk}"` });
  }
  assert.throws(() => integerFromEnv({ N: "0" }, "N", POSITIVE), { message: 'N must be a positive integer, got "0"' });
  assert.throws(() => integerFromEnv({ N: "9007199254740993" }, "N", POSITIVE), /N must be a positive integer/);
});

#!/usr/bin/env node
import { main } from "../dist/cli/cli.js";

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY),
  columns: process.stderr.columns,
});
process.exitCode = code;

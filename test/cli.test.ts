// The real `tsc-micro` bin as a user runs it: a child process with arguments,
// a working directory, exit codes and printed text. It imports the compiled
// dist, so build the packages first (`npm test` does).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { REPO, tempOutDir, TMP } from "./helpers/paths.ts";

const BIN = path.join(REPO, "packages/tsc-micro/bin/tsc-micro.js");
const VERSION = (JSON.parse(readFileSync(path.join(REPO, "packages/tsc-micro/package.json"), "utf8")) as { version: string }).version;
const DIAGNOSTIC_LINE = /^(.+)\((\d+),(\d+)\): error TSM(\d{4}): (.+)$/;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd = REPO): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" }, timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const show = (r: Run) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] },
  include: ["src"],
};

/** A small project in the repository's ignored .tmp/ (so generated clients resolve the runtime). */
function project(label: string, files: Record<string, string>, tsconfig: object | null = TSCONFIG): string {
  const base = TMP;
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, `cli-${label}-`));
  if (tsconfig) writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Every file under `dir` with its bytes and modification time. */
function snapshot(dir: string, prefix = ""): Map<string, { bytes: Buffer; mtimeMs: number }> {
  const out = new Map<string, { bytes: Buffer; mtimeMs: number }>();
  for (const e of readdirSync(dir).sort()) {
    const abs = path.join(dir, e);
    const rel = prefix ? `${prefix}/${e}` : e;
    const st = statSync(abs);
    if (st.isDirectory()) for (const [k, v] of snapshot(abs, rel)) out.set(k, v);
    else out.set(rel, { bytes: readFileSync(abs), mtimeMs: st.mtimeMs });
  }
  return out;
}

/** The output folder and any staging folder a build might leave beside it. */
function leftovers(outDir: string): string[] {
  const parent = path.dirname(outDir);
  if (!existsSync(parent)) return [];
  return readdirSync(parent).filter((e) => e === path.basename(outDir) || e.startsWith(`${path.basename(outDir)}.`));
}

const posix = (p: string) => p.split(path.sep).join("/");

// Distinct problems at known places (line, column are 1-based):
//   1,19  TSM1003  unknown tag option `retries`
//   5,22  TSM2001  a parameter of type `unknown`, which has no schema
//   7,5   TSM1001  the tag on an interface
const BAD_SOURCE = [
  "/** @microservice retries=3 */",
  "export function a(x: number) { return x }",
  "",
  "/** @microservice */",
  "export function b(x: unknown) { return 1 }",
  "",
  "/** @microservice */",
  "export interface C { y: number }",
  "",
].join("\n");
// …and a fourth in a second file: 1,19 TSM1004, an invalid option value.
const BAD_OTHER = "/** @microservice timeout=forever */\nexport function c(): void {}\n";
const BAD_EXPECTED = [
  { at: "src/index.ts", line: 1, column: 19, code: 1003 },
  { at: "src/index.ts", line: 5, column: 22, code: 2001 },
  { at: "src/index.ts", line: 7, column: 5, code: 1001 },
  { at: "src/other.ts", line: 1, column: 19, code: 1004 },
];

/** The tsc-style diagnostic lines of a run's output. */
function diagnosticLines(r: Run): { file: string; line: number; column: number; code: number; message: string }[] {
  return (r.stdout + r.stderr)
    .split("\n")
    .map((l) => DIAGNOSTIC_LINE.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: m[1]!, line: Number(m[2]), column: Number(m[3]), code: Number(m[4]), message: m[5]! }));
}

before(() => {
  assert.ok(existsSync(path.join(REPO, "packages/tsc-micro/dist/cli/cli.js")), "build the packages first: npx tsc -b packages/runtime packages/tsc-micro");
});

describe("tsc-micro command line", () => {
  test("--help and -h print the usage and exit 0", () => {
    for (const flag of ["--help", "-h"]) {
      const r = cli([flag]);
      assert.equal(r.status, 0, show(r));
      assert.match(r.stdout, /Usage:/);
      assert.match(r.stdout, /tsc-micro build/);
      assert.match(r.stdout, /--outDir/);
      assert.match(r.stdout, /-p, --project/);
      assert.equal(r.stderr, "");
    }
  });

  test("--version and -v print the package's version", () => {
    for (const flag of ["--version", "-v"]) {
      const r = cli([flag]);
      assert.equal(r.status, 0, show(r));
      assert.equal(r.stdout.trim(), VERSION);
      assert.equal(r.stderr, "");
    }
  });

  test("no command exits 2 with the usage", () => {
    const r = cli([]);
    assert.equal(r.status, 2, show(r));
    assert.match(r.stdout + r.stderr, /Usage:/);
  });

  test("an unknown command, a stray argument or an unknown option exits 2", () => {
    const unknown = cli(["frobnicate"]);
    assert.equal(unknown.status, 2, show(unknown));
    assert.match(unknown.stderr, /frobnicate/);
    const stray = cli(["build", "extra", "-p", "examples/parity"]);
    assert.equal(stray.status, 2, show(stray));
    const option = cli(["build", "--no-such-option"]);
    assert.equal(option.status, 2, show(option));
    assert.match(option.stderr, /no-such-option/);
  });
});

describe("tsc-micro build -p examples/parity", () => {
  const outDir = tempOutDir("cli-parity");
  let r: Run;
  before(() => {
    r = cli(["build", "-p", "examples/parity", "--outDir", posix(path.relative(REPO, outDir))]);
  });

  const ROUTES: Record<string, string> = { factorial: "factorial", fib: "fib", "is-even": "isEven", "is-odd": "isOdd" };

  test("exits 0", () => {
    assert.equal(r.status, 0, show(r));
  });

  test("prints a table: service, route, bundle size, one row per service", () => {
    const lines = r.stdout.split("\n");
    const header = lines.findIndex((l) => /^\s*service\s+route\s+bundle\s*$/.test(l));
    assert.ok(header >= 0, `no header row:\n${r.stdout}`);
    const rows = new Map<string, { route: string; size: string }>();
    for (const l of lines.slice(header + 1)) {
      const m = /^(\S+)\s+POST \/(\S+)\s+(\d+(?:\.\d+)?\s?(?:B|KiB|kB|KB|MiB|MB))$/.exec(l.trim());
      if (m) rows.set(m[1]!, { route: m[2]!, size: m[3]! });
    }
    assert.deepEqual(Object.fromEntries([...rows].map(([s, v]) => [s, v.route])), ROUTES, r.stdout);
    for (const [service, { size }] of rows) {
      const [, num, unit] = /^([\d.]+)\s?(\S+)$/.exec(size)!;
      const scale = { B: 1, KiB: 1024, kB: 1000, KB: 1024, MiB: 1024 ** 2, MB: 1000 ** 2 }[unit!]!;
      const actual = statSync(path.join(outDir, "services", service, "index.mjs")).size;
      // The printed size is rounded to its last digit.
      const step = num!.includes(".") ? 10 ** -(num!.split(".")[1]!.length) : 1;
      assert.ok(Math.abs(Number(num) * scale - actual) <= step * scale, `${service}: printed ${size}, file has ${actual} bytes`);
    }
  });

  test("creates the output layout", () => {
    // One folder per service, and the chunks they share (services/_chunks/).
    assert.deepEqual(readdirSync(path.join(outDir, "services")).sort(), ["_chunks", ...Object.keys(ROUTES)]);
    const expected = [
      "openapi.json",
      "clients/index.js",
      "clients/index.d.ts",
      "clients/types.d.ts",
      "clients/package.json",
      ...Object.keys(ROUTES).flatMap((s) => [
        `services/${s}/index.mjs`,
        `services/${s}/openapi.json`,
        `services/${s}/Dockerfile`,
        `clients/${s}.js`,
        `clients/${s}.d.ts`,
      ]),
    ];
    for (const f of expected) assert.ok(statSync(path.join(outDir, f)).isFile(), `${f} is missing`);
    assert.deepEqual(leftovers(outDir), [path.basename(outDir)], "a staging folder was left beside the output");
  });

  test("states the clients' needs: clients/package.json and one install command, for the runtime it was built with", () => {
    const runtime = (JSON.parse(readFileSync(path.join(REPO, "packages/runtime/package.json"), "utf8")) as { version: string }).version;
    const clientsPackage = JSON.parse(readFileSync(path.join(outDir, "clients/package.json"), "utf8")) as { dependencies?: Record<string, string> };
    assert.deepEqual(clientsPackage.dependencies, { "@tsc-micro/runtime": `^${runtime}` });
    const commands = r.stdout.split("\n").filter((l) => /^\s*npm install /.test(l));
    assert.deepEqual(commands.map((l) => l.trim()), [`npm install @tsc-micro/runtime@^${runtime}`], r.stdout);
  });
});

describe("tsc-micro build with errors", () => {
  test("reports ALL problems tsc-style, relative to the cwd, and exits 1 writing nothing", () => {
    const dir = project("bad", { "src/index.ts": BAD_SOURCE, "src/other.ts": BAD_OTHER });
    const outDir = path.join(dir, "out");
    const fromRepo = cli(["build", "-p", posix(path.relative(REPO, dir)), "--outDir", posix(path.relative(REPO, outDir))]);
    assert.equal(fromRepo.status, 1, show(fromRepo));
    const found = diagnosticLines(fromRepo);
    const expected = BAD_EXPECTED.map(({ at, ...d }) => ({ file: `${posix(path.relative(REPO, dir))}/${at}`, ...d }));
    assert.deepEqual(
      found.map(({ file, line, column, code }) => ({ file, line, column, code })),
      expected,
      show(fromRepo),
    );
    for (const d of found) {
      assert.ok(d.message.trim().length > 0);
      assert.ok(existsSync(path.resolve(REPO, d.file)), `${d.file} does not resolve from the cwd`);
    }
    const all = (fromRepo.stdout + fromRepo.stderr).trimEnd().split("\n");
    assert.equal(all.at(-1), `Found ${BAD_EXPECTED.length} errors.`, show(fromRepo));
    assert.doesNotMatch(fromRepo.stdout, /service\s+route\s+bundle/, "no summary table after a failed build");
    assert.deepEqual(leftovers(outDir), [], "a failed build must leave no output folder behind");
    assert.ok(!existsSync(path.join(dir, "dist")));

    // An absolute -p still prints paths relative to the cwd.
    const absolute = cli(["build", "-p", dir, "--outDir", outDir]);
    assert.equal(absolute.status, 1, show(absolute));
    assert.deepEqual(diagnosticLines(absolute).map((d) => d.file), expected.map((d) => d.file), show(absolute));
    assert.deepEqual(leftovers(outDir), []);

    // From inside the project, with the default output folder.
    const inside = cli(["build"], dir);
    assert.equal(inside.status, 1, show(inside));
    assert.deepEqual(
      diagnosticLines(inside).map((d) => d.file),
      BAD_EXPECTED.map((d) => d.at),
      show(inside),
    );
    assert.equal((inside.stdout + inside.stderr).trimEnd().split("\n").at(-1), `Found ${BAD_EXPECTED.length} errors.`);
    assert.deepEqual(leftovers(path.join(dir, "dist")), []);
  });

  test("a failed build leaves the output of an earlier good build untouched", () => {
    const good = "/** Doubles.\n * @microservice\n */\nexport function double(x: number): number {\n  return 2 * x;\n}\n";
    const dir = project("rebuild", { "src/index.ts": good });
    const outDir = path.join(dir, "out");
    const args = ["build", "-p", posix(path.relative(REPO, dir)), "--outDir", posix(path.relative(REPO, outDir))];
    const first = cli(args);
    assert.equal(first.status, 0, show(first));
    const before = snapshot(outDir);
    assert.ok(before.has("services/double/index.mjs"));

    writeFileSync(path.join(dir, "src/index.ts"), `${good}\n${BAD_SOURCE}`);
    const second = cli(args);
    assert.equal(second.status, 1, show(second));
    assert.deepEqual(diagnosticLines(second).map((d) => d.code), [1003, 2001, 1001], show(second));

    const after = snapshot(outDir);
    assert.deepEqual([...after.keys()], [...before.keys()]);
    for (const [f, { bytes, mtimeMs }] of before) {
      assert.ok(after.get(f)!.bytes.equals(bytes), `${f} changed`);
      assert.equal(after.get(f)!.mtimeMs, mtimeMs, `${f} was rewritten`);
    }
    assert.deepEqual(leftovers(outDir), ["out"], "a staging folder was left beside the output");
  });

  test("a failure while bundling (TSM6001) also writes nothing", () => {
    const dir = project("bundle-fail", {
      "src/index.ts": 'import { thing } from "./missing.js";\n/** @microservice */\nexport function a(x: number): number {\n  return x + thing;\n}\n',
      // Declared, so TypeScript is satisfied; only the bundler finds there is no module.
      "src/missing.d.ts": "export declare const thing: number;\n",
    });
    const outDir = path.join(dir, "out");
    const r = cli(["build", "-p", posix(path.relative(REPO, dir)), "--outDir", posix(path.relative(REPO, outDir))]);
    assert.equal(r.status, 1, show(r));
    assert.deepEqual(
      diagnosticLines(r).map(({ file, line, code }) => ({ file, line, code })),
      [{ file: `${posix(path.relative(REPO, dir))}/src/index.ts`, line: 1, code: 6001 }],
      show(r),
    );
    assert.equal((r.stdout + r.stderr).trimEnd().split("\n").at(-1), "Found 1 error.");
    assert.deepEqual(leftovers(outDir), []);
  });

  test("TypeScript's own errors exit 1 tsc-style (TS codes, before TSM ones); --no-type-check builds", () => {
    const source = [
      "const s: string = 1;", // 1,7   TS2322
      "/** @microservice */",
      "export function lookup(id: string) {",
      "  return catalog[id];", // 4,10  TS2304; its 'any' result is 3,17 TSM2001
      "}",
      "/** @microservice */",
      "export function double(x: number): number {",
      "  return x * 2;",
      "}",
      "",
    ].join("\n");
    const dir = project("ts-errors", { "src/index.ts": source });
    const outDir = path.join(dir, "out");
    const args = ["build", "-p", posix(path.relative(REPO, dir)), "--outDir", posix(path.relative(REPO, outDir))];
    const checked = cli(args);
    assert.equal(checked.status, 1, show(checked));
    const at = posix(path.relative(REPO, path.join(dir, "src/index.ts")));
    const lines = (checked.stdout + checked.stderr).split("\n").filter((l) => /^\S.*\(\d+,\d+\): error TSM?\d+: /.test(l));
    assert.deepEqual(
      lines.map((l) => l.replace(/: error (TSM?\d+): .*$/, " $1")),
      [`${at}(1,7) TS2322`, `${at}(4,10) TS2304`, `${at}(3,17) TSM2001`],
      show(checked),
    );
    assert.match(checked.stderr, /error TS2322: Type 'number' is not assignable to type 'string'\./);
    assert.equal((checked.stdout + checked.stderr).trimEnd().split("\n").at(-1), "Found 3 errors.", show(checked));
    assert.deepEqual(leftovers(outDir), [], "a build with type errors writes nothing");

    // A pipeline that already ran tsc: the 'any' is still tsc-micro's to report, so type it.
    writeFileSync(path.join(dir, "src/index.ts"), source.replace("(id: string) {", "(id: string): number {"));
    const unchecked = cli([...args, "--no-type-check"]);
    assert.equal(unchecked.status, 0, show(unchecked));
    assert.doesNotMatch(unchecked.stdout + unchecked.stderr, /error TS/);
    assert.ok(statSync(path.join(outDir, "services/lookup/index.mjs")).isFile());
    assert.equal(cli(args).status, 1, "without the flag the same program still fails");
  });

  test("a missing tsconfig exits 1 with TSM5001", () => {
    const empty = project("no-config", {}, null);
    const cases: { args: string[]; cwd: string }[] = [
      { args: ["build", "-p", posix(path.relative(REPO, path.join(empty, "tsconfig.json")))], cwd: REPO },
      { args: ["build", "-p", posix(path.relative(REPO, empty))], cwd: REPO },
      { args: ["build", "-p", "does/not/exist"], cwd: REPO },
      { args: ["build"], cwd: empty },
    ];
    for (const { args, cwd } of cases) {
      const r = cli(args, cwd);
      const what = `${args.join(" ")} (in ${cwd}):\n${show(r)}`;
      assert.equal(r.status, 1, what);
      assert.match(r.stdout + r.stderr, /error TSM5001: /, what);
      assert.match(r.stdout + r.stderr, /Found 1 error\.\s*$/, what);
    }
    assert.deepEqual(readdirSync(empty), [], "nothing may be written for a missing tsconfig");
  });
});

describe("tsc-micro command line messages (issue 9)", () => {
  test("an unknown option is named in tsc-micro's voice, with a hint, and exits 2", () => {
    const serve = cli(["build", "--serve"]);
    assert.equal(serve.status, 2, show(serve));
    const [first, hint] = serve.stderr.split("\n");
    assert.equal(first, "error: unknown option '--serve'");
    assert.match(hint!, /does not serve: `tsc-micro dev` builds and runs every service/);
    assert.equal((serve.stderr.match(/'/g) ?? []).length % 2, 0, `quotes pair up:\n${serve.stderr}`);
    assert.doesNotMatch(serve.stderr, /positional argument|Usage:/);

    // --watch exists, for dev: with build it says where it belongs.
    const watch = cli(["build", "--watch"]);
    assert.equal(watch.status, 2, show(watch));
    assert.deepEqual(watch.stderr.split("\n").slice(0, 2), ["error: option '--watch' belongs to 'tsc-micro dev'", "Run 'tsc-micro dev --watch' to rebuild and restart the services on changes."]);

    const typo = cli(["build", "--outdir", "x"]);
    assert.equal(typo.status, 2, show(typo));
    assert.equal(typo.stderr.split("\n")[0], "error: unknown option '--outdir'");
    assert.match(typo.stderr, /Did you mean '--outDir'\?/);
    assert.match(cli(["build", "--base_image=x"]).stderr, /Did you mean '--base-image'\?/);
  });

  test("the summary lists entry points with their bundle, size and the services they call; no progress off a terminal", () => {
    const dir = project("entries", {
      "src/index.ts": "/** @microservice */\nexport function double(x: number): number {\n  return 2 * x;\n}\n",
      "src/main.ts": 'import { double } from "./index.js";\nconsole.log(await double(21));\n',
      "tsc-micro.config.mjs": 'export default { entry: "src/main.ts" };\n',
    });
    const outDir = path.join(dir, "out");
    const r = cli(["build", "-p", posix(path.relative(REPO, dir)), "--outDir", posix(path.relative(REPO, outDir))]);
    assert.equal(r.status, 0, show(r));
    const lines = r.stdout.split("\n");
    const header = lines.findIndex((l) => /^entry\s+bundle\s+size\s+calls$/.test(l));
    assert.ok(header > 0, r.stdout);
    const row = /^main\s+entries\/main\/index\.mjs\s+([\d.]+) (B|KiB)\s+double$/.exec(lines[header + 2]!);
    assert.ok(row, r.stdout);
    const actual = statSync(path.join(outDir, "entries/main/index.mjs")).size;
    assert.ok(Math.abs(Number(row[1]) * (row[2] === "KiB" ? 1024 : 1) - actual) <= (row[2] === "KiB" ? 103 : 1), `${row[0]} vs ${actual} bytes`);
    assert.match(r.stdout, /Built 1 service and 1 entry point into /);
    // stderr is a pipe here: no progress line, no carriage returns or escapes.
    assert.doesNotMatch(r.stderr, /\r|\x1b|\[\d\/\d\]/, JSON.stringify(r.stderr));
  });
});

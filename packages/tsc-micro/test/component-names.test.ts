// Component names the model gives named types when names clash: two types
// called `User` in different files, or a generic instantiation `Page<User>`
// (named `Page_User`) beside a type declared as `Page_User`. Every component
// gets its own name, a declared type keeps its own name, and the names do not
// depend on the order in which the services use the types.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Project, ts } from "ts-morph";
import { model } from "../src/model/model.ts";
import type { ComponentIR, TypeIR } from "../src/model/ir.ts";
import { scan } from "../src/scan/scan.ts";

const ROOT = "/p";

const SHOP_USER = "/** A customer. */\nexport interface User { id: number; name: string }\n";
const STAFF_USER = "/** An employee. */\nexport interface User { badge: string; at: Date }\n";
const PAGES = `export interface Page<T> { items: T[]; total: number }
/** Literally named like the instantiation Page<User>. */
export interface Page_User { pinned: string }
`;

/** Models an in-memory project: its components and each service function's parameter and result types. */
function modelOf(files: Record<string, string>): { components: Record<string, ComponentIR>; functions: Record<string, { params: Record<string, TypeIR>; result: TypeIR | null }> } {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
  });
  for (const [file, text] of Object.entries(files)) project.createSourceFile(`${ROOT}/${file}`, text);
  const scanned = scan(project, { rootDir: ROOT, exclude: [] });
  const modelled = model(project, ROOT, scanned.functions, {});
  assert.deepEqual([...scanned.diagnostics, ...modelled.diagnostics], []);
  const functions = Object.fromEntries(
    scanned.functions.map((f) => {
      const m = modelled.functions[f.id]!;
      return [f.name, { params: Object.fromEntries(m.params.map((p) => [p.name, p.type])), result: m.result }];
    }),
  );
  return { components: modelled.components, functions };
}

/** The component a ref names, checked to exist. */
function target(components: Record<string, ComponentIR>, t: TypeIR | null | undefined): ComponentIR {
  assert.ok(t?.kind === "ref", `not a ref: ${JSON.stringify(t)}`);
  const c = components[t.name];
  assert.ok(c, `dangling ref ${t.name}`);
  assert.equal(c.name, t.name);
  return c;
}

function propertyNames(c: ComponentIR): string[] {
  assert.equal(c.type.kind, "object");
  return c.type.kind === "object" ? c.type.properties.map((p) => p.name) : [];
}

/** Every ref inside a type (not through other components). */
function refsIn(t: TypeIR, out: string[] = []): string[] {
  if (t.kind === "ref") out.push(t.name);
  const children: TypeIR[] =
    t.kind === "array" || t.kind === "set" ? [t.items] : t.kind === "object" ? t.properties.map((p) => p.type) : t.kind === "union" ? t.members : [];
  children.forEach((c) => refsIn(c, out));
  return out;
}

test("two types named User in different files: distinct names, by file, whichever a service uses first", () => {
  for (const params of ["staff: Staff, shop: Shop", "shop: Shop, staff: Staff"]) {
    const { components, functions } = modelOf({
      "src/shop/user.ts": SHOP_USER,
      "src/staff/user.ts": STAFF_USER,
      "src/f.ts": `import type { User as Shop } from "./shop/user.js";\nimport type { User as Staff } from "./staff/user.js";\n/** @microservice */\nexport function f(${params}): Shop { return shop; }\n`,
    });
    assert.deepEqual(Object.keys(components).sort(), ["User", "User_2"], params);
    // src/shop/ comes before src/staff/: the shop's User keeps the plain name.
    const shop = target(components, functions.f!.params.shop);
    const staff = target(components, functions.f!.params.staff);
    assert.equal(shop.name, "User", params);
    assert.deepEqual(propertyNames(shop), ["id", "name"]);
    assert.equal(shop.description, "A customer.");
    assert.equal(staff.name, "User_2", params);
    assert.deepEqual(propertyNames(staff), ["badge", "at"]);
    assert.equal(staff.description, "An employee.");
    assert.equal(target(components, functions.f!.result), shop);
  }
});

test("a declared Page_User keeps its name next to the instantiations Page<User>, in any order", () => {
  const signatures = [
    "pinned: Page_User, shop: Page<Shop>, staff: Page<Staff>",
    "shop: Page<Shop>, staff: Page<Staff>, pinned: Page_User",
    "staff: Page<Staff>, pinned: Page_User, shop: Page<Shop>",
  ];
  const seen = new Set<string>();
  for (const params of signatures) {
    const { components, functions } = modelOf({
      "src/shop/user.ts": SHOP_USER,
      "src/staff/user.ts": STAFF_USER,
      "src/pages.ts": PAGES,
      "src/f.ts": `import type { User as Shop } from "./shop/user.js";\nimport type { User as Staff } from "./staff/user.js";\nimport type { Page, Page_User } from "./pages.js";\n/** @microservice */\nexport function f(${params}): Page_User { return pinned; }\n`,
    });
    const p = functions.f!.params;
    const pinned = target(components, p.pinned);
    assert.equal(pinned.name, "Page_User", params);
    assert.deepEqual(propertyNames(pinned), ["pinned"]);
    const shopPage = target(components, p.shop);
    const staffPage = target(components, p.staff);
    assert.deepEqual(new Set([pinned.name, shopPage.name, staffPage.name]).size, 3, params);
    assert.deepEqual([shopPage.name, staffPage.name].sort(), ["Page_User_2", "Page_User_3"], params);
    // Each page's items refer to its own User.
    const itemsOf = (c: ComponentIR) => target(components, c.type.kind === "object" ? (c.type.properties[0]!.type as { items: TypeIR }).items : null);
    assert.deepEqual(propertyNames(itemsOf(shopPage)), ["id", "name"], params);
    assert.deepEqual(propertyNames(itemsOf(staffPage)), ["badge", "at"], params);
    seen.add(JSON.stringify(components));
  }
  assert.equal(seen.size, 1, "the components differ with the order of the parameters");
});

test("a suffix never takes the name of a declared type (User_2 declared beside two Users)", () => {
  const { components, functions } = modelOf({
    "src/shop/user.ts": SHOP_USER,
    "src/staff/user.ts": STAFF_USER,
    "src/odd.ts": "export interface User_2 { odd: true }\n",
    "src/f.ts": `import type { User as Shop } from "./shop/user.js";\nimport type { User as Staff } from "./staff/user.js";\nimport type { User_2 } from "./odd.js";\n/** @microservice */\nexport function f(staff: Staff, odd: User_2, shop: Shop): void {}\n`,
  });
  const p = functions.f!.params;
  assert.equal(target(components, p.odd).name, "User_2");
  assert.equal(target(components, p.shop).name, "User");
  assert.equal(target(components, p.staff).name, "User_3");
  assert.deepEqual(Object.keys(components).sort(), ["User", "User_2", "User_3"]);
});

test("refs inside components and discriminator mappings follow the settled names", () => {
  const { components, functions } = modelOf({
    "src/shop/user.ts": 'export interface User { kind: "shop"; id: number }\n',
    "src/staff/user.ts": 'export interface User { kind: "staff"; badge: string }\n',
    "src/f.ts": `import type { User as Shop } from "./shop/user.js";\nimport type { User as Staff } from "./staff/user.js";\nexport type Anyone = Staff | Shop;\nexport interface Crowd { people: Anyone[] }\n/** @microservice */\nexport function f(crowd: Crowd): Staff | null { return null; }\n`,
  });
  const anyone = components.Anyone!;
  assert.equal(anyone.type.kind, "union");
  if (anyone.type.kind !== "union") return;
  assert.deepEqual(anyone.type.discriminator?.mapping, { shop: "User", staff: "User_2" });
  for (const c of Object.values(components)) for (const name of refsIn(c.type)) assert.ok(components[name], `${c.name} refers to missing ${name}`);
  assert.deepEqual(refsIn(functions.f!.result!), ["User_2"]);
  assert.deepEqual(propertyNames(components.User_2!), ["kind", "badge"]);
});

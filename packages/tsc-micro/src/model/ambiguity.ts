import type { TypeIR } from "./ir.js";

/**
 * Two members of a union that need different decoding but share a JSON form
 * (`Date | string`: both strings; `Set<T> | T[]`: both arrays) cannot be told
 * apart by the receiver. Literals are fine: they are matched exactly.
 */
export function ambiguity(members: readonly TypeIR[]): string | undefined {
  const wire = (m: TypeIR): string | undefined =>
    m.kind === "string" || m.kind === "date" || m.kind === "bigint" || m.kind === "bytes" || m.kind === "url" ? "string"
    : m.kind === "array" || m.kind === "tuple" || m.kind === "map" || m.kind === "set" ? "array"
    : undefined;
  const special = new Set(["date", "bigint", "bytes", "url", "map", "set"]);
  for (const form of ["string", "array"]) {
    const same = members.filter((m) => wire(m) === form);
    if (same.length > 1 && same.some((m) => special.has(m.kind))) return same.map((m) => m.kind).join(" and ");
  }
  return undefined;
}

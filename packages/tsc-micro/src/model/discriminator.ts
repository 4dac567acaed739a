import type { Node, Type } from "ts-morph";

/**
 * Finds the property that tells a union of object types apart: present in
 * every member with a distinct string or number literal type (`kind: "circle"`).
 * Such a union becomes `oneOf` with an OpenAPI `discriminator`.
 */
export function findDiscriminator(members: readonly Type[], at: Node): { property: string; tags: Map<Type, string | number> } | undefined {
  if (members.length < 2 || !members.every((m) => m.isObject() && !m.isArray() && !m.isTuple())) return undefined;
  const candidates = members[0]!.getProperties().map((p) => p.getName());
  for (const property of candidates) {
    const tags = new Map<Type, string | number>();
    for (const member of members) {
      const symbol = member.getProperty(property);
      if (!symbol || symbol.isOptional()) break;
      const type = symbol.getTypeAtLocation(at);
      if (!type.isStringLiteral() && !type.isNumberLiteral()) break;
      tags.set(member, type.getLiteralValue() as string | number);
    }
    if (tags.size === members.length && new Set(tags.values()).size === members.length) return { property, tags };
  }
  return undefined;
}

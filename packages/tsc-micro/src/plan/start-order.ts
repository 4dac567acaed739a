/**
 * The order to start services in so each one's dependencies are up first
 * (tools, tests and benchmarks that run a split program locally need it), or
 * the cycle that prevents one: services that call each other must learn each
 * other's URLs another way (fixed ports, a service mesh).
 */
export function startOrder<T extends { name: string; dependencies: readonly string[] }>(services: readonly T[]): { order: T[]; cycle?: string[] } {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const order: T[] = [];
  let cycle: string[] | undefined;
  const visit = (s: T, stack: string[]): void => {
    if (done.has(s.name) || cycle) return;
    if (stack.includes(s.name)) {
      cycle = [...stack.slice(stack.indexOf(s.name)), s.name];
      return;
    }
    for (const d of s.dependencies) {
      const dep = byName.get(d);
      if (dep) visit(dep, [...stack, s.name]);
    }
    done.add(s.name);
    order.push(s);
  };
  for (const s of services) visit(s, []);
  return cycle ? { order: [], cycle } : { order };
}

/** `isEven` → `is-even`, `getHTTPStatus` → `get-http-status`, `fib2` → `fib2`, `café` → `cafe`. */
export function kebabCase(name: string): string {
  return name
    // Accented letters keep their base letter; other non-ASCII letters are dropped here (see serviceNameOf).
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/[_\s]+/g, "-")
    .replace(/[^A-Za-z0-9-]/g, "")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
}

/** `is-even` → `IS_EVEN`. */
export function upperSnake(service: string): string {
  return service.replace(/-/g, "_").toUpperCase();
}

/** `is-even` → `isEven`. */
export function camelCase(service: string): string {
  return service.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The environment variable holding a service's base URL. */
export function urlEnvVar(service: string): string {
  return `TSC_MICRO_${upperSnake(service)}_URL`;
}

/**
 * The service name a function gets when its tag names none: its name in
 * kebab-case, a DNS label that starts with a letter (Kubernetes Services need
 * one). A name with no ASCII letters or digits left (`π`, `中`) is spelled by
 * its code points: `fn-3c0`.
 */
export function serviceNameOf(functionName: string): string {
  const kebab = kebabCase(functionName);
  if (kebab === "") return `fn-${[...functionName].map((c) => c.codePointAt(0)!.toString(16)).join("-")}`.slice(0, 63).replace(/-$/, "");
  return /^[a-z]/.test(kebab) ? kebab.slice(0, 63).replace(/-$/, "") : `fn-${kebab}`.slice(0, 63).replace(/-$/, "");
}

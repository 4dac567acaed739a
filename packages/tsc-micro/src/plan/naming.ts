/** `isEven` → `is-even`, `getHTTPStatus` → `get-http-status`, `fib2` → `fib2`. */
export function kebabCase(name: string): string {
  return name
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

// What every hand-written server shares with a generated one: PORT/HOST from the
// environment, the "listening on" line, and a stop on SIGTERM/SIGINT.

export const PORT = Number(process.env.PORT ?? 8080);
export const HOST = process.env.HOST || "0.0.0.0";

export function listening(name: string, port: number): void {
  console.log(`${name} listening on http://${HOST}:${port}`);
}

export function onStop(close: () => void): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      close();
      // Keep-alive connections from a load generator would hold the process open.
      setTimeout(() => process.exit(0), 500).unref();
    });
  }
}

/** The request's body is `{ "x": <number> }` and nothing else. */
export function isArgs(body: unknown): body is { x: number } {
  return (
    typeof body === "object" &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { x?: unknown }).x === "number" &&
    Object.keys(body).length === 1
  );
}

export const BAD_REQUEST = JSON.stringify({ error: { name: "BadRequest", message: "body must be { x: number }", code: "BAD_REQUEST" } });

/** The work itself: the same as examples/parity/src/even.ts. */
export function isEven(x: number): boolean {
  return x % 2 === 0;
}

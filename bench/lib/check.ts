// Correctness before speed: a server that answers wrongly is not benchmarked.
import assert from "node:assert/strict";

export async function post(url: string, body: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep the text */
  }
  return { status: res.status, body: parsed };
}

/** POST /isEven answers true/false for numbers and 400 for bad input. */
export async function checkIsEven(name: string, base: string): Promise<void> {
  const url = `${base}/isEven`;
  const cases: [string, number, unknown][] = [
    ['{"x":7}', 200, false],
    ['{"x":10}', 200, true],
    ['{"x":"7"}', 400, undefined],
    ['{"y":7}', 400, undefined],
    ['{"x":7,"y":1}', 400, undefined],
    ["{", 400, undefined],
  ];
  for (const [body, status, value] of cases) {
    const r = await post(url, body);
    assert.equal(r.status, status, `${name}: POST /isEven ${body} answered ${r.status} ${JSON.stringify(r.body)}, expected ${status}`);
    if (status === 200) assert.deepEqual(r.body, value, `${name}: POST /isEven ${body} answered ${JSON.stringify(r.body)}`);
  }
}

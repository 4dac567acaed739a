/**
 * n! for a whole number n from 0 to 170 (171! does not fit in a double).
 * Calls itself: the recursion stays a local call inside its service.
 * @microservice
 * @param n - a whole number from 0 to 170
 */
export function factorial(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 170) {
    throw new RangeError(`factorial needs a whole number from 0 to 170, got ${n}`);
  }
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/**
 * The n-th Fibonacci number (fib(0) = 0, fib(1) = 1), iteratively.
 * @microservice tags=math
 * @param n - a whole number from 0 to 1476
 */
export async function fib(n: number): Promise<number> {
  if (!Number.isInteger(n) || n < 0 || n > 1476) {
    throw new RangeError(`fib needs a whole number from 0 to 1476, got ${n}`);
  }
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

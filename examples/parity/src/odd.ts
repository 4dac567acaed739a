import { isEven } from "./even.js";

/**
 * Tells whether a number is odd, by asking isEven: split, this is a call to
 * the is-even service.
 * @microservice retry=5 timeout=2s
 * @param x - the number to test
 */
export function isOdd(x: number): boolean {
  return !isEven(x);
}

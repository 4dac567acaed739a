/**
 * Tells whether a number is even.
 * @microservice
 * @param x - the number to test
 * @returns true when x is divisible by 2
 */
export function isEven(x: number): boolean {
  return x % 2 === 0;
}

// The monolith: run it as-is with `npx tsx src/main.ts`. Every call is local.
import { isEven } from "./even.js";
import { factorial, fib } from "./math.js";
import { isOdd } from "./odd.js";

for (const x of [0, 1, 7, 10]) {
  console.log(`isEven(${x}) = ${isEven(x)}, isOdd(${x}) = ${isOdd(x)}`);
}
console.log(`factorial(10) = ${factorial(10)}`);
console.log(`fib(30) = ${await fib(30)}`);
try {
  factorial(-1);
} catch (e) {
  console.log(`factorial(-1) threw ${(e as Error).name}: ${(e as Error).message}`);
}

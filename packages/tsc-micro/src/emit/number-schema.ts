import type { SchemaObject } from "openapi3-ts/oas31";
import type { Constraints, TypeIR } from "../model/ir.js";

/**
 * The wire form of a TypeScript `number`: a JSON number, or one of the words
 * for the numbers JSON cannot write (NaN, Infinity, -Infinity, -0; see
 * @tsc-micro/runtime/codec). Kept in step with the runtime's NUMBER_WORDS.
 */
const WORDS: readonly { word: string; value: number }[] = [
  { word: "NaN", value: NaN },
  { word: "Infinity", value: Infinity },
  { word: "-Infinity", value: -Infinity },
  { word: "-0", value: -0 },
];

const NUMERIC_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"] as const;

/**
 * A number's schema with its JSDoc constraints: the constraints go on the
 * numeric branch (so Ajv's strict mode sees them beside `type: number`), and
 * only the words whose numbers satisfy them are admitted (`@minimum 0`
 * admits Infinity and -0, not NaN or -Infinity). `boxed`: in a union that
 * also admits strings, the words cross as `{ "$number": word }`.
 */
export function numberSchema(constraints: Constraints | undefined, boxed = false): SchemaObject {
  const numeric: SchemaObject = { type: "number" };
  for (const k of NUMERIC_KEYWORDS) if (constraints?.[k] !== undefined) numeric[k] = constraints[k];
  const words = WORDS.filter((w) => satisfies(w.value, constraints)).map((w) => w.word);
  if (words.length === 0) return numeric;
  const word: SchemaObject = { type: "string", enum: words };
  const special: SchemaObject = boxed
    ? { type: "object", properties: { $number: word }, required: ["$number"], additionalProperties: false }
    : word;
  const listed = words.join(", ");
  return { anyOf: [numeric, special], description: boxed ? `A number; ${listed} as {"$number": "<word>"}.` : `A number; ${listed} as strings.` };
}

/** Whether `n` meets the numeric constraints, as JSON Schema would judge the number itself. */
function satisfies(n: number, c: Constraints | undefined): boolean {
  if (!c) return true;
  if (c.minimum !== undefined && !(n >= c.minimum)) return false;
  if (c.maximum !== undefined && !(n <= c.maximum)) return false;
  if (c.exclusiveMinimum !== undefined && !(n > c.exclusiveMinimum)) return false;
  if (c.exclusiveMaximum !== undefined && !(n < c.exclusiveMaximum)) return false;
  if (c.multipleOf !== undefined && n % c.multipleOf !== 0) return false;
  return true;
}

/** The constraints `numberSchema` places itself, to leave out of the property's own keywords. */
export function withoutNumeric(c: Constraints | undefined): Constraints | undefined {
  if (!c) return c;
  const rest: Constraints = { ...c };
  for (const k of NUMERIC_KEYWORDS) delete rest[k];
  return rest;
}

/**
 * Whether a union's special numbers cross boxed: when it has a `number`
 * member and a member whose wire form could be a string (a named type counts,
 * unseen). Decided from the members alone, so the schema and the codecs,
 * which both call this, always agree.
 */
export function boxesNumbers(members: readonly TypeIR[]): boolean {
  return members.some((m) => m.kind === "number") && members.some(mayBeString);
}

function mayBeString(t: TypeIR): boolean {
  switch (t.kind) {
    case "number":
    case "boolean":
    case "null":
    case "array":
    case "tuple":
    case "object":
    case "map":
    case "set":
      return false;
    case "literal":
      return typeof t.value === "string";
    case "union":
      return t.members.some(mayBeString);
    default:
      return true;
  }
}

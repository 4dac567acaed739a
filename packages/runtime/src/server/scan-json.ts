/**
 * One pass over a request body's JSON text, before and beside JSON.parse:
 * how deep it nests (validators recurse, so a very deep body must be refused
 * unparsed) and the first key that appears twice in one object (JSON.parse
 * keeps the last silently, so `{"x": 1, "x": 2}` would call with x = 2 while
 * another parser, a proxy or a log reader, sees 1).
 *
 * Cheap on the hot path: the text is walked once, char codes only, and a key
 * is sliced out only where a key can stand; keys are unescaped only when they
 * contain a backslash. Text that is not JSON gives some answer; JSON.parse
 * then reports the real problem.
 */
import { pointerToPath } from "./to-issues.js";

export interface JsonScan {
  /** The deepest nesting of arrays and objects. */
  depth: number;
  /** The first duplicate key, and its path as code writes it (`user.tags[1].a`). */
  duplicate?: { key: string; path: string };
}

interface Frame {
  /** Keys seen so far; undefined for an array. */
  keys: Set<string> | undefined;
  /** An object's current key, or an array's current index. */
  at: string | number;
  /** In an object, the next string is a key. */
  expectKey: boolean;
}

/** `keep` bounds the frames kept: a body deeper than that is refused on its depth anyway. */
export function scanJson(text: string, keep: number): JsonScan {
  const stack: Frame[] = [];
  let depth = 0;
  let max = 0;
  let duplicate: JsonScan["duplicate"];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      const start = i + 1;
      let escaped = false;
      for (i = start; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) {
          escaped = true;
          i++;
        } else if (c === 34) break;
      }
      const top = depth > 0 && depth <= keep ? stack[depth - 1] : undefined;
      if (top?.keys && top.expectKey) {
        top.expectKey = false;
        if (duplicate) continue;
        const key = escaped ? unescape(text.slice(start, i)) : text.slice(start, i);
        if (top.keys.has(key)) duplicate = { key, path: pathOf(stack, depth - 1, key) };
        top.keys.add(key);
        top.at = key;
      }
    } else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      if (depth >= 0 && depth < keep) stack[depth] = { keys: ch === 123 ? new Set() : undefined, at: 0, expectKey: ch === 123 };
      max = Math.max(max, ++depth);
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) {
      depth--;
    } else if (ch === 44 /* , */ && depth > 0 && depth <= keep) {
      const top = stack[depth - 1]!;
      if (top.keys) top.expectKey = true;
      else top.at = (top.at as number) + 1;
    }
  }
  return duplicate ? { depth: max, duplicate } : { depth: max };
}

/** A key's text between its quotes, escapes resolved; the raw text if it is not a JSON string. */
function unescape(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** The path of `key` in the object at `level`, through the frames above it. */
function pathOf(stack: readonly Frame[], level: number, key: string): string {
  const segments = stack.slice(0, level).map((frame) => String(frame.at));
  segments.push(key);
  return pointerToPath(`/${segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`);
}

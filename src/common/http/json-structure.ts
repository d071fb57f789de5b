import type { InputLimits } from './input-limits';

/** What a JSON text may hold before it is parsed (AppConfig JSON_MAX_*). */
export type StructureLimits = Pick<InputLimits, 'maxDepth' | 'maxKeys' | 'maxArrayLength' | 'maxValues'>;

export interface StructureProblem {
  kind: 'depth' | 'size';
  /** Where: keys and array indices from the root; empty for the body as a whole. */
  path: string[];
  message: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

interface Frame {
  array: boolean;
  /** Keys of an object, items of an array, so far. */
  count: number;
  /** Object: where its current key's text starts and ends in the JSON (sliced only for a message). */
  keyStart: number;
  keyEnd: number;
}

/**
 * Counts, without parsing, what JSON.parse and class-transformer would otherwise pay for: nesting,
 * keys per object, items per array and values in all. One pass over the characters, no recursion,
 * no allocation per value: V8 needs 80 ms to parse one object of 70,000 keys, and class-transformer
 * spends 5-25 µs on every value it copies, so a 1 MB body of tiny values would cost seconds.
 * Invalid JSON is counted as far as it goes; JSON.parse reports it afterwards.
 */
export function scanJsonStructure(json: string, limits: StructureLimits): StructureProblem | undefined {
  const frames: Frame[] = [];
  let values = 0;
  let inString = false;
  let stringStart = 0;
  let stringEnd = 0;
  /** The innermost array has seen no item yet. */
  let arrayEmpty = false;

  const pathTo = (depth: number): string[] =>
    frames.slice(0, depth).map((frame) => (frame.array ? String(frame.count - 1) : json.slice(frame.keyStart, frame.keyEnd)));
  const tooMany = (message: string, depth = frames.length - 1): StructureProblem => ({ kind: 'size', path: pathTo(depth), message });

  for (let i = 0; i < json.length; i++) {
    const char = json.charCodeAt(i);
    if (inString) {
      if (char === BACKSLASH) i++;
      else if (char === QUOTE) {
        inString = false;
        stringEnd = i;
      }
      continue;
    }
    if (char <= 0x20) continue; // whitespace
    const top = frames.length > 0 ? frames[frames.length - 1] : undefined;
    if (top?.array && arrayEmpty && char !== CLOSE_BRACKET) {
      arrayEmpty = false;
      top.count = 1;
      if (++values > limits.maxValues) return tooMany(`has more than ${limits.maxValues} values`, 0);
    }
    switch (char) {
      case QUOTE:
        inString = true;
        stringStart = i + 1;
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        if (frames.length >= limits.maxDepth) return { kind: 'depth', path: pathTo(frames.length), message: `nests deeper than ${limits.maxDepth} levels` };
        frames.push({ array: char === OPEN_BRACKET, count: 0, keyStart: 0, keyEnd: 0 });
        arrayEmpty = char === OPEN_BRACKET;
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        frames.pop();
        arrayEmpty = false;
        break;
      case COLON:
        if (top && !top.array) {
          top.keyStart = stringStart;
          top.keyEnd = stringEnd;
          if (++top.count > limits.maxKeys) return tooMany(`has more than ${limits.maxKeys} keys`);
          if (++values > limits.maxValues) return tooMany(`has more than ${limits.maxValues} values`, 0);
        }
        break;
      case COMMA:
        if (top?.array) {
          if (++top.count > limits.maxArrayLength) return tooMany(`has more than ${limits.maxArrayLength} items`);
          if (++values > limits.maxValues) return tooMany(`has more than ${limits.maxValues} values`, 0);
        }
        break;
      default:
        break;
    }
  }
  return undefined;
}

/** Bracket depth outside strings, without parsing. */
export function depthExceeds(json: string, limit: number): boolean {
  return scanJsonStructure(json, { maxDepth: limit, maxKeys: Infinity, maxArrayLength: Infinity, maxValues: Infinity })?.kind === 'depth';
}

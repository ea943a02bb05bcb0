/**
 * An incremental JSON reader for the Prometheus query answer
 * `{"status":…,"data":{"resultType":…,"result":[{"metric":{…},"values":[[t,"v"],…]},…]}}`.
 * Text is fed in pieces as it arrives; the elements of `data.result` are handed to `onItem`
 * one by one as each completes (never gathered into one array), and `onMetric` sees each
 * series' labels as soon as they are read, so a caller can stop reading at the second series.
 * Everything else is built into ordinary values. A callback that throws stops the reading.
 */

export interface StreamHooks {
  /** Labels of result element `index`, as soon as its `metric` object is complete. */
  onMetric?: (index: number, labels: Record<string, string>) => void;
  /** Result element `index` (an object: a series) once complete. */
  onItem: (index: number, item: Record<string, unknown>) => void;
  /** Turns each element of a series' `values` (`[t, "v"]`) into what is kept, as soon as it is read. */
  onPair?: (pair: unknown[]) => unknown;
}

type Container = { kind: 'object'; value: Record<string, unknown>; key: string | undefined } | { kind: 'array'; value: unknown[] };

interface Frame {
  container: Container;
  /** Key of this value in its parent object (undefined inside arrays and at the root). */
  name: string | undefined;
  /** Role of this frame in the answer's shape. */
  role: 'root' | 'data' | 'result' | 'item' | 'values' | 'other';
  /** Elements handed out, for the result array. */
  count: number;
}

type Mode = 'value' | 'after-value' | 'key' | 'colon' | 'string' | 'number' | 'literal' | 'done';

export class PromJsonStream {
  private readonly stack: Frame[] = [];
  private mode: Mode = 'value';
  private token = '';
  private escape = '';
  private stringIsKey = false;
  /** Just after `{` or `[`: the only place a closing bracket may follow without a value. */
  private justOpened = false;
  private root: unknown;
  /** Primitive elements of `data.result` (a scalar or string answer's `[t, "v"]`). */
  readonly resultScalars: unknown[] = [];

  constructor(private readonly hooks: StreamHooks) {}

  /** The top-level object once `end()` returned; `data.result` holds only its primitive elements. */
  get value(): unknown {
    return this.root;
  }

  feed(text: string): void {
    let i = 0;
    const n = text.length;
    while (i < n) {
      const mode = this.mode;
      if (mode === 'string') {
        i = this.readString(text, i);
        continue;
      }
      const c = text.charCodeAt(i);
      if (mode === 'number' || mode === 'literal') {
        if (isTokenChar(c)) {
          this.token += text[i];
          i++;
          continue;
        }
        this.finishScalar();
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
        continue;
      }
      i++;
      switch (mode) {
        case 'value':
          this.startValue(c);
          break;
        case 'key':
          if (c === 0x22) {
            this.justOpened = false;
            this.mode = 'string';
            this.stringIsKey = true;
            this.token = '';
          } else if (c === 0x7d && this.justOpened) {
            this.justOpened = false;
            this.closeContainer();
          } else throw syntax('a key');
          break;
        case 'colon':
          if (c !== 0x3a) throw syntax('":"');
          this.mode = 'value';
          break;
        case 'after-value':
          this.afterValue(c);
          break;
        default:
          throw syntax('the end of the answer');
      }
    }
  }

  /** Throws when the text fed so far is not one complete JSON value. */
  end(): void {
    if (this.mode === 'number' || this.mode === 'literal') this.finishScalar();
    if (this.mode !== 'done') throw syntax('more text (the answer ends too early)');
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private startValue(c: number): void {
    if (c === 0x7b) {
      this.open({ kind: 'object', value: {}, key: undefined });
      return;
    }
    if (c === 0x5b) {
      this.open({ kind: 'array', value: [] });
      return;
    }
    if (c === 0x5d && this.justOpened) {
      this.justOpened = false;
      this.closeContainer();
      return;
    }
    this.justOpened = false;
    if (c === 0x22) {
      this.mode = 'string';
      this.stringIsKey = false;
      this.token = '';
      return;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.mode = 'number';
    else if (c === 0x74 || c === 0x66 || c === 0x6e) this.mode = 'literal';
    else throw syntax('a value');
    this.token = String.fromCharCode(c);
  }

  private open(container: Container): void {
    const parent = this.top();
    const name = parent?.container.kind === 'object' ? parent.container.key : undefined;
    let role: Frame['role'] = 'other';
    if (!parent) role = 'root';
    else if (parent.role === 'root' && name === 'data') role = 'data';
    else if (parent.role === 'data' && name === 'result' && container.kind === 'array') role = 'result';
    else if (parent.role === 'result' && container.kind === 'object') role = 'item';
    else if (parent.role === 'item' && name === 'values' && container.kind === 'array') role = 'values';
    this.stack.push({ container, name, role, count: 0 });
    this.justOpened = true;
    this.mode = container.kind === 'object' ? 'key' : 'value';
  }

  private closeContainer(): void {
    const frame = this.stack.pop() as Frame;
    this.complete(frame.container.value);
  }

  private afterValue(c: number): void {
    const frame = this.top();
    if (!frame) throw syntax('the end of the answer');
    if (c === 0x2c) {
      this.mode = frame.container.kind === 'object' ? 'key' : 'value';
    } else if ((c === 0x7d && frame.container.kind === 'object') || (c === 0x5d && frame.container.kind === 'array')) {
      this.closeContainer();
    } else throw syntax('"," or the end of an object or list');
  }

  /** A value is complete: store it in its parent (or hand it out). */
  private complete(value: unknown): void {
    const parent = this.top();
    if (!parent) {
      this.root = value;
      this.mode = 'done';
      return;
    }
    this.mode = 'after-value';
    const container = parent.container;
    if (container.kind === 'array') {
      if (parent.role === 'result') {
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          this.hooks.onItem(parent.count++, value as Record<string, unknown>);
        } else {
          this.resultScalars.push(value);
        }
        return;
      }
      container.value.push(parent.role === 'values' && this.hooks.onPair ? this.hooks.onPair(value as unknown[]) : value);
      return;
    }
    const key = container.key as string;
    // as JSON.parse does: an own property, even for "__proto__" (a valid label name), never the prototype
    if (key === '__proto__') Object.defineProperty(container.value, key, { value, writable: true, enumerable: true, configurable: true });
    else container.value[key] = value;
    container.key = undefined;
    if (parent.role === 'item' && key === 'metric' && this.hooks.onMetric) {
      const result = this.stack[this.stack.length - 2] as Frame;
      this.hooks.onMetric(result.count, (value ?? {}) as Record<string, string>);
    }
  }

  private finishScalar(): void {
    const text = this.token;
    this.token = '';
    if (this.mode === 'literal') {
      if (text === 'true') {
        this.complete(true);
        return;
      }
      if (text === 'false') {
        this.complete(false);
        return;
      }
      if (text === 'null') {
        this.complete(null);
        return;
      }
      throw syntax('true, false or null');
    }
    const number = Number(text);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(number)) throw syntax('a number');
    this.complete(number);
  }

  /** Reads string text from `i`; returns where it stopped (after the closing quote or at the end of `text`). */
  private readString(text: string, i: number): number {
    const n = text.length;
    while (i < n) {
      if (this.escape !== '') {
        this.escape += text[i];
        i++;
        const done = this.escape.length === 2 && this.escape[1] !== 'u' ? true : this.escape.length === 6;
        if (done) {
          this.token += unescapeJson(this.escape);
          this.escape = '';
        }
        continue;
      }
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 0x22 || c === 0x5c) break;
        if (c < 0x20) throw syntax('no control character inside a string');
        j++;
      }
      this.token += text.slice(i, j);
      if (j === n) return n;
      if (text.charCodeAt(j) === 0x5c) {
        this.escape = '\\';
        i = j + 1;
        continue;
      }
      const value = this.token;
      this.token = '';
      if (this.stringIsKey) {
        const frame = this.top() as Frame;
        (frame.container as { key: string | undefined }).key = value;
        this.mode = 'colon';
      } else {
        this.complete(value);
      }
      return j + 1;
    }
    return i;
  }
}

function isTokenChar(c: number): boolean {
  // digits, letters (true/false/null, e/E), '+', '-', '.'
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2b || c === 0x2d || c === 0x2e;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function unescapeJson(sequence: string): string {
  const kind = sequence[1] as string;
  if (kind === 'u') {
    if (!/^\\u[0-9a-fA-F]{4}$/.test(sequence)) throw syntax('a \\u escape of four hex digits');
    return String.fromCharCode(Number.parseInt(sequence.slice(2), 16));
  }
  const simple = SIMPLE_ESCAPES[kind];
  if (simple === undefined) throw syntax('a valid escape');
  return simple;
}

export class JsonStreamSyntaxError extends Error {
  constructor(expected: string) {
    super(`not JSON: expected ${expected}`);
    this.name = 'JsonStreamSyntaxError';
  }
}

function syntax(expected: string): JsonStreamSyntaxError {
  return new JsonStreamSyntaxError(expected);
}

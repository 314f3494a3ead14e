/**
 * Finds where JSON text first goes wrong. V8's JSON.parse messages carry a position only for some
 * errors ("Unexpected token 'x', ..." has none), so the position is found by a small scanner of
 * its own. Only called after JSON.parse has failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  class Stop {
    constructor(readonly at: number) {}
  }
  const stop = (at: number): never => {
    throw new Stop(at);
  };
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++) {
      if (text[i] !== word[k]) stop(i);
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) stop(i);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) stop(n);
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) stop(i);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else stop(i);
      } else i++;
    }
    stop(n);
  };
  const number = (): void => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0].length === 0 || m[0] === '-') stop(i);
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    ws();
    if (i >= n) stop(n);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (i >= n) stop(n);
        if (text[i] !== '"') stop(i);
        string();
        ws();
        if (i >= n) stop(n);
        if (text[i] !== ':') stop(i);
        i++;
        value(depth + 1);
        ws();
        if (i >= n) stop(n);
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        stop(i);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (i >= n) stop(n);
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        stop(i);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value(0);
    ws();
    return i < n ? i : n;
  } catch (e) {
    if (e instanceof Stop) return e.at;
    // Nesting deep enough to exhaust the stack: the best position known is the start.
    if (e instanceof RangeError) return 0;
    throw e;
  }
}

import { createLogger, type Logger } from '../lib/logger';

/**
 * The keys that occur more than once in one object of a JSON text, at any depth. JSON.parse keeps
 * the last of duplicate keys silently; log shippers differ, so a log line must have none.
 */
export function duplicateKeys(json: string): string[] {
  const found: string[] = [];
  const stack: { keys: Set<string>; isObject: boolean }[] = [];
  let expectKey = false;
  for (let i = 0; i < json.length; i += 1) {
    const ch = json[i];
    if (ch === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const frame = stack[stack.length - 1];
      if (frame?.isObject && expectKey) {
        const key = JSON.parse(json.slice(i, end + 1)) as string;
        if (frame.keys.has(key)) found.push(key);
        frame.keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (ch === '{') {
      stack.push({ keys: new Set(), isObject: true });
      expectKey = true;
    } else if (ch === '[') {
      stack.push({ keys: new Set(), isObject: false });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      expectKey = stack[stack.length - 1]?.isObject ?? false;
    }
  }
  return found;
}

/** A production logger (redaction, request ids) that keeps every line it writes. */
export function createCapturingLogger(level: 'info' | 'debug' = 'info'): {
  logger: Logger;
  lines: () => string[];
  records: () => Record<string, unknown>[];
} {
  const lines: string[] = [];
  const logger = createLogger({ LOG_LEVEL: level }, {}, { write: (line) => void lines.push(line) });
  return {
    logger,
    lines: () => lines.map((line) => line.trimEnd()),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

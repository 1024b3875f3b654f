/**
 * The README's examples, in order, as a reader pastes them. A fenced block is one example per
 * GraphQL operation (query, mutation or subscription), one per shell or SQL block. A line
 * `<!-- readme-test: ... -->` right before a fence says how to run it:
 *
 * - `as <email>`: sign in as that demo user (a token from `npm run token`), for every operation;
 * - `skip: <why>`: illustrative (a program fragment, a long-running command), not run;
 * - `with counts` (after `as <email>`, or alone): every operation of the block must answer with
 *   data, not only with fields: some count in it is above zero (a series of null or zero buckets
 *   fails), for examples over the days the demo's history fills.
 *
 * Inside a GraphQL block, a comment line before an operation naming `(as <email>)` signs in for
 * that operation only, and a comment line right after one that holds JSON (`# { "input": ... }`)
 * is its variables. `"<name>"` placeholders are filled with the last `name` an earlier answer
 * held (`<endCursor>`; `<uuid>` is the last `id` that is a UUID); `<today>` and `<today - N days>`
 * anywhere are dates, as the reader would type them.
 */
export type ReadmeExample =
  | {
      kind: 'graphql';
      line: number;
      operation: string;
      variables: Record<string, unknown>;
      as: string | undefined;
      withCounts: boolean;
    }
  | { kind: 'sh' | 'sql'; line: number; source: string }
  | { kind: 'skipped'; line: number; reason: string };

const FENCE = /^```(\w*)\s*$/;
const MARK = /^<!--\s*readme-test:\s*(.*?)\s*-->$/;
const OPERATION_START = /^(\{|query\b|mutation\b|subscription\b)/;
const AS = /\bas ([^\s(),]+@[^\s(),]+)/;

export function readmeExamples(markdown: string): ReadmeExample[] {
  const lines = markdown.split('\n');
  const examples: ReadmeExample[] = [];
  let mark: string | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const marked = MARK.exec(line.trim());
    if (marked) {
      mark = marked[1];
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      if (line.trim() !== '') mark = undefined;
      continue;
    }
    const language = fence[1] ?? '';
    const start = i + 1;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i]!); i += 1) body.push(lines[i]!);
    const blockMark = mark;
    mark = undefined;
    if (blockMark?.startsWith('skip')) {
      examples.push({ kind: 'skipped', line: start, reason: blockMark.replace(/^skip:?\s*/, '') });
      continue;
    }
    if (language === 'graphql') {
      const as = blockMark ? AS.exec(blockMark)?.[1] : undefined;
      const withCounts = blockMark !== undefined && /\bwith counts\b/.test(blockMark);
      examples.push(...graphqlOperations(body, start, as, withCounts));
    } else if (language === 'sh' || language === 'sql') {
      examples.push({ kind: language, line: start, source: body.join('\n') });
    } else {
      examples.push({
        kind: 'skipped',
        line: start,
        reason: `a ${language || 'plain'} block is not run; mark it <!-- readme-test: skip: why -->`,
      });
    }
  }
  return examples;
}

function graphqlOperations(
  body: string[],
  firstLine: number,
  as: string | undefined,
  withCounts: boolean,
) {
  const operations: ReadmeExample[] = [];
  let current: { line: number; text: string[]; variables: string | undefined } | undefined;
  let comments: string[] = [];
  const close = () => {
    if (!current) return;
    const caller = comments.map((c) => AS.exec(c)?.[1]).find(Boolean) ?? as;
    operations.push({
      kind: 'graphql',
      line: current.line,
      operation: current.text.join('\n'),
      variables: current.variables
        ? (JSON.parse(current.variables) as Record<string, unknown>)
        : {},
      as: caller,
      withCounts,
    });
    current = undefined;
    comments = [];
  };
  for (const [offset, line] of body.entries()) {
    if (line.startsWith('#')) {
      const text = line.replace(/^#\s?/, '');
      if (current && text.trim().startsWith('{')) {
        current.variables = text;
      } else {
        if (current) close();
        comments.push(text);
      }
      continue;
    }
    if (OPERATION_START.test(line)) {
      const pending = comments;
      close();
      comments = pending;
      current = { line: firstLine + offset, text: [line], variables: undefined };
      continue;
    }
    current?.text.push(line);
  }
  close();
  return operations;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `<today>` and `<today - N days>` become dates (YYYY-MM-DD, UTC), as a reader types them. */
export function withDates(text: string): string {
  return text.replace(/<today(?: - (\d+) days?)?>/g, (_whole, days: string | undefined) =>
    new Date(Date.now() - Number(days ?? 0) * DAY_MS).toISOString().slice(0, 10),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The last value of every key seen in earlier answers, for `"<name>"` placeholders. */
export class AnswerMemory {
  private readonly values = new Map<string, unknown>();

  remember(value: unknown): void {
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const next = stack.pop();
      if (Array.isArray(next)) {
        for (let i = next.length - 1; i >= 0; i -= 1) stack.push(next[i]);
      } else if (next !== null && typeof next === 'object') {
        for (const [key, inner] of Object.entries(next)) {
          if (typeof inner === 'string' || typeof inner === 'number') {
            this.values.set(key, inner);
            if (key === 'id' && typeof inner === 'string' && UUID.test(inner)) {
              this.values.set('uuid', inner);
            }
          } else stack.push(inner);
        }
      }
    }
  }

  fill(text: string): string {
    return withDates(text).replace(/"<(\w+)>"/g, (whole, name: string) => {
      const value = this.values.get(name);
      if (value === undefined) throw new Error(`no earlier answer held a "${name}" for ${whole}`);
      return JSON.stringify(value);
    });
  }
}

/** Whether an answer holds a number above zero anywhere (a count, a sum, a mean). */
export function hasPositiveNumber(value: unknown): boolean {
  if (typeof value === 'number') return value > 0;
  if (Array.isArray(value)) return value.some(hasPositiveNumber);
  if (value !== null && typeof value === 'object')
    return Object.values(value).some(hasPositiveNumber);
  return false;
}

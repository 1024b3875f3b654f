import { createCapturingLogger, duplicateKeys } from '../../test/logLines';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { acceptRequestId, runInRequest } from '../logger';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('secrets never reach the log', () => {
  it('drops what PostgreSQL quotes of a bad value, and knex writes no values into messages', async () => {
    const { logger, lines } = createCapturingLogger();
    const credential = { type: 'HEADER', header: 'Authorization', value: 'NULSECRET_x\u0000y' };
    const failed = await database
      .db('feeds')
      .insert({
        operator_id: 'nobody',
        type: 'GBFS3_VEHICLE_STATUS',
        url: 'https://feed.example/gbfs.json',
        auth: JSON.stringify(credential),
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    // The real error of the database names the value in its context.
    expect(failed).toBeInstanceOf(Error);
    expect(JSON.stringify(Object.entries(failed as object))).toContain('NULSECRET');

    logger.error({ err: failed }, 'unexpected error');
    logger.warn({ error: { originalError: failed } }, 'wrapped');
    const log = lines().join('\n');
    expect(log).toContain('"code":"22P05"');
    expect(log).not.toContain('NULSECRET');
  });

  it('redacts credentials by name wherever a line puts them', () => {
    const { logger, lines } = createCapturingLogger();
    logger.info(
      {
        headers: { authorization: 'Bearer TOKEN-MARKER', 'x-api-key': 'mk_KEY-MARKER' },
        auth: { type: 'OAUTH2_CLIENT_CREDENTIALS', clientSecret: 'CS-MARKER' },
        input: { auth: { value: 'VALUE-MARKER' } },
        feed: { clientSecret: 'CS2-MARKER' },
        variables: { password: 'PW-MARKER' },
      },
      'something',
    );
    expect(lines().join('\n')).not.toMatch(/MARKER/);
  });
});

describe('request context', () => {
  it('puts the request id on every line written while serving a request, once', async () => {
    const { logger, lines, records } = createCapturingLogger();
    await runInRequest({ requestId: 'req-ctx-1' }, async () => {
      logger.info('first');
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.child({ component: 'x' }).warn('after a timer');
      logger.child({ requestId: 'req-ctx-1' }).info('bound already');
      logger.info({ requestId: 'req-ctx-1' }, 'given already');
    });
    logger.info('outside');
    expect(records().map((r) => [r.msg, r.requestId])).toEqual([
      ['first', 'req-ctx-1'],
      ['after a timer', 'req-ctx-1'],
      ['bound already', 'req-ctx-1'],
      ['given already', 'req-ctx-1'],
      ['outside', undefined],
    ]);
    for (const line of lines()) expect(duplicateKeys(line)).toEqual([]);
  });

  it('takes a client request id only when it is a plain id', () => {
    const fresh = () => 'fresh';
    expect(acceptRequestId('4bf92f3577b34da6a3ce929d0e0e4736', fresh)).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(acceptRequestId('probe-req-id-"}{injected', fresh)).toBe('fresh');
    expect(acceptRequestId('a\nb', fresh)).toBe('fresh');
    expect(acceptRequestId('', fresh)).toBe('fresh');
    expect(acceptRequestId('x'.repeat(101), fresh)).toBe('fresh');
    expect(acceptRequestId(['a', 'b'], fresh)).toBe('fresh');
  });
});

describe('duplicateKeys', () => {
  it('finds keys repeated in one object, at any depth, and nothing else', () => {
    expect(duplicateKeys('{"a":1,"b":{"c":1,"c":2},"a":"x"}')).toEqual(['c', 'a']);
    expect(duplicateKeys('{"a":[{"k":1},{"k":2}],"s":"\\"a\\":1,\\"a\\":2"}')).toEqual([]);
  });
});

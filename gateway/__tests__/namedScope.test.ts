import { DEMO_ORGANISATIONS, seedIdentities } from '../../seeds/identities';
import { startTestStack, type TestStack } from '../../test/stack';

/**
 * A municipality or operator named in a filter is known and within sight, or the answer says so:
 * never a count of zeros that looks real.
 */
let stack: TestStack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'vehicles', 'trips'] });
  await seedIdentities(stack.database.db, DEMO_ORGANISATIONS);
  await stack.database.db('operators').insert([
    { id: 'fietsje', name: 'Fietsje' },
    { id: 'scootje', name: 'Scootje' },
  ]);
  for (const who of ['rotterdam', 'operator', 'admin']) {
    tokens[who] = await stack.tokenFor(`${who}@example.org`);
  }
});

afterAll(async () => {
  await stack?.stop();
});

const COUNTS = `query ($m: [String!], $o: [ID!]) {
  vehicleCountsNow(filter: { municipalityCodes: $m, operatorIds: $o }) { count }
}`;
const TRIPS = `query ($m: [String!], $o: [ID!]) {
  trips(filter: { from: "2026-11-01T00:00:00Z", to: "2026-11-08T00:00:00Z", municipalityCodes: $m, operatorIds: $o }) { totalCount }
}`;

async function firstError(query: string, variables: Record<string, unknown>, who: string) {
  const response = await stack.request(query, variables, { token: tokens[who]! });
  return response.errors?.[0];
}

describe('codes named in a filter', () => {
  it.each([COUNTS, TRIPS])(
    'refuses an unknown municipality or operator as bad input',
    async (q) => {
      expect(await firstError(q, { m: ['GM9999'] }, 'rotterdam')).toMatchObject({
        message: 'filter.municipalityCodes: no municipality with code GM9999',
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'filter.municipalityCodes' },
      });
      expect(await firstError(q, { o: ['nobody'] }, 'rotterdam')).toMatchObject({
        message: 'filter.operatorIds: no operator with id nobody',
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'filter.operatorIds' },
      });
    },
  );

  it.each([COUNTS, TRIPS])('refuses a code outside the caller’s scope, naming it', async (q) => {
    expect(await firstError(q, { m: ['GM0363'] }, 'rotterdam')).toMatchObject({
      message:
        'forbidden: filter.municipalityCodes: GM0363 is outside what you may see; ask its municipality for a data-access grant',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await firstError(q, { o: ['scootje'] }, 'operator')).toMatchObject({
      message:
        'forbidden: filter.operatorIds: operator scootje is outside what you may see; ask it for a data-access grant',
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it.each([COUNTS, TRIPS])('answers codes within sight', async (q) => {
    expect(await firstError(q, { m: ['GM0599'] }, 'rotterdam')).toBeUndefined();
    // An operator narrows its own fleet to any municipality; a municipality to any operator.
    expect(await firstError(q, { m: ['GM0363'] }, 'operator')).toBeUndefined();
    expect(await firstError(q, { o: ['scootje'] }, 'rotterdam')).toBeUndefined();
    expect(await firstError(q, { m: ['GM0363'], o: ['scootje'] }, 'admin')).toBeUndefined();
  });
});

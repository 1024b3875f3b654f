import { PUBLIC_SCOPE, serviceScope, type Scope } from '../../../lib/auth/scope';
import { seedIdentities } from '../../../seeds/identities';
import { expectError, graphqlRequest, ok } from '../../../test/graphql';
import { scopeHeaders } from '../../../test/scope';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/**
 * Saved dashboards (through the gateway, as a dashboard front end stores its layouts) and the
 * users subgraph's entities (as the gateway resolves `User` / `Organisation` references for
 * other subgraphs), each within the caller's scope.
 */
let stack: TestStack;
const callers: Record<string, Caller> = {};
const ids: Record<string, string> = {};

interface Dashboard {
  name: string;
  widgets: {
    type: string;
    x: number;
    y: number;
    width: number;
    height: number;
    query: string;
    variables: unknown;
  }[];
}

const DASHBOARD_FIELDS = `name widgets { type x y width height query variables }`;
const widget = (type: string, x: number) => ({
  type,
  x,
  y: 0,
  width: 4,
  height: 3,
  query: '{ zones(first: 5) { totalCount } }',
  variables: { x },
});

beforeAll(async () => {
  stack = await startTestStack();
  await seedIdentities(stack.database.db, [
    {
      name: 'Amsterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0363'],
      operatorIds: [],
      users: [
        { email: 'ams-admin@t.nl', privileges: ['ORGANISATION_ADMIN'] },
        { email: 'ams-analyst@t.nl', privileges: [] },
      ],
    },
    {
      name: 'Rotterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0599'],
      operatorIds: [],
      users: [{ email: 'rtm@t.nl', privileges: [] }],
    },
  ]);
  for (const email of ['ams-admin', 'ams-analyst', 'rtm']) {
    callers[email] = { token: await stack.tokenFor(`${email}@t.nl`) };
  }
  for (const row of await stack.database
    .db('users')
    .select<{ id: string; email: string }[]>('id', 'email')) {
    ids[row.email] = row.id;
  }
  for (const row of await stack.database
    .db('organisations')
    .select<{ id: string; name: string }[]>('id', 'name')) {
    ids[row.name] = row.id;
  }
});

afterAll(async () => {
  await stack.stop();
});

const save = (caller: Caller, name: string, widgets: unknown[]) =>
  stack.request<{ saveDashboard: Dashboard }>(
    `mutation ($input: DashboardInput!) { saveDashboard(input: $input) { ${DASHBOARD_FIELDS} } }`,
    { input: { name, widgets } },
    caller,
  );

const dashboards = async (caller: Caller) =>
  (
    await ok(
      stack.request<{ dashboards: Dashboard[] }>(
        `{ dashboards { ${DASHBOARD_FIELDS} } }`,
        {},
        caller,
      ),
    )
  ).dashboards;

describe('dashboards', () => {
  it('saves a layout, replaces it under the same name, and keeps each user to their own', async () => {
    const first = await ok(save(callers['ams-analyst']!, ' Availability ', [widget('chart', 0)]));
    expect(first.saveDashboard).toEqual({
      name: 'Availability',
      widgets: [{ ...widget('chart', 0) }],
    });
    await ok(save(callers['ams-analyst']!, 'Trips', []));
    const replaced = await ok(
      save(callers['ams-analyst']!, 'Availability', [widget('map', 0), widget('chart', 4)]),
    );
    expect(replaced.saveDashboard.widgets.map((w) => w.type)).toEqual(['map', 'chart']);

    expect((await dashboards(callers['ams-analyst']!)).map((d) => d.name)).toEqual([
      'Availability',
      'Trips',
    ]);
    // Another user, even an administrator of the same organisation, has no dashboards of theirs.
    expect(await dashboards(callers['ams-admin']!)).toEqual([]);
    const byName = await ok(
      stack.request<{ dashboard: Dashboard | null }>(
        `{ dashboard(name: "Availability") { ${DASHBOARD_FIELDS} } }`,
        {},
        callers.rtm,
      ),
    );
    expect(byName.dashboard).toBeNull();
    const own = await ok(
      stack.request<{ dashboard: Dashboard | null }>(
        `{ dashboard(name: "Availability") { ${DASHBOARD_FIELDS} } }`,
        {},
        callers['ams-analyst'],
      ),
    );
    expect(own.dashboard?.widgets).toHaveLength(2);
  });

  it('deletes by name, answering whether there was one', async () => {
    await ok(save(callers.rtm!, 'Scratch', []));
    const remove = (caller: Caller) =>
      ok(
        stack.request<{ deleteDashboard: boolean }>(
          `mutation { deleteDashboard(name: "Scratch") }`,
          {},
          caller,
        ),
      );
    // Someone else's delete of the same name touches nothing.
    expect((await remove(callers['ams-analyst']!)).deleteDashboard).toBe(false);
    expect((await remove(callers.rtm!)).deleteDashboard).toBe(true);
    expect((await remove(callers.rtm!)).deleteDashboard).toBe(false);
  });

  it('refuses bad layouts naming the argument, and keeps the stored one', async () => {
    await ok(save(callers.rtm!, 'Kept', [widget('chart', 0)]));
    expectError(await save(callers.rtm!, '   ', []), 'BAD_USER_INPUT', 'input.name');
    expectError(
      await save(callers.rtm!, 'Kept', [widget('chart', 0), { ...widget('map', 0), width: 0 }]),
      'BAD_USER_INPUT',
      'input.widgets[1]',
    );
    expectError(
      await save(
        callers.rtm!,
        'Kept',
        Array.from({ length: 101 }, (_, i) => widget('chart', i)),
      ),
      'BAD_USER_INPUT',
      'input.widgets',
    );
    expect(await dashboards(callers.rtm!)).toEqual([
      { name: 'Kept', widgets: [widget('chart', 0)] },
    ]);
  });
});

describe('entities', () => {
  const representations = () => [
    { __typename: 'User', id: ids['ams-analyst@t.nl'] },
    { __typename: 'User', id: ids['rtm@t.nl'] },
    { __typename: 'Organisation', id: ids.Amsterdam },
    { __typename: 'Organisation', id: ids.Rotterdam },
    { __typename: 'User', id: '00000000-0000-4000-8000-000000000000' },
  ];
  const asScope = async (scope: Scope) => {
    const result = await graphqlRequest<{ _entities: unknown[] }>(
      stack.subgraphUrls.users!,
      `query ($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on User { email } ... on Organisation { name } } }`,
      { reps: representations() },
      scopeHeaders(scope),
    );
    expect(result.errors).toBeUndefined();
    return result.data?._entities;
  };
  const amsterdamAdmin = (): Scope => ({
    ...PUBLIC_SCOPE,
    principal: { type: 'USER', userId: ids['ams-admin@t.nl']!, email: 'ams-admin@t.nl' },
    organisationId: ids.Amsterdam!,
    organisationType: 'MUNICIPALITY',
    privileges: ['ORGANISATION_ADMIN'],
    municipalities: ['GM0363'],
    ownMunicipalities: ['GM0363'],
  });

  it('resolves users and organisations by key, for an administrator all of them', async () => {
    expect(await asScope(serviceScope('test'))).toEqual([
      { email: 'ams-analyst@t.nl' },
      { email: 'rtm@t.nl' },
      { name: 'Amsterdam' },
      { name: 'Rotterdam' },
      null,
    ]);
  });

  it('resolves for an organisation admin only its own organisation and its users', async () => {
    expect(await asScope(amsterdamAdmin())).toEqual([
      { email: 'ams-analyst@t.nl' },
      null,
      { name: 'Amsterdam' },
      null,
      null,
    ]);
  });

  it('resolves for a plain user only themselves and their organisation, and nothing anonymously', async () => {
    const analyst: Scope = {
      ...amsterdamAdmin(),
      principal: { type: 'USER', userId: ids['ams-analyst@t.nl']!, email: 'ams-analyst@t.nl' },
      privileges: [],
    };
    expect(await asScope(analyst)).toEqual([
      { email: 'ams-analyst@t.nl' },
      null,
      { name: 'Amsterdam' },
      null,
      null,
    ]);
    expect(await asScope(PUBLIC_SCOPE)).toEqual([null, null, null, null, null]);
  });
});

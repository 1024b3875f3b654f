import { channels } from '../../../lib/domain/channels';
import { seedIdentities } from '../../../seeds/identities';
import { ok } from '../../../test/graphql';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/**
 * The authorization matrix, through the gateway as clients would call it: who sees which custom
 * zones and which municipalities, and who may change what.
 */
let stack: TestStack;
const callers: Record<string, Caller> = {};
const orgIds: Record<string, string> = {};
let apiKey: { id: string; secret: string };
let vraGrantId: string;

const square = (lng: number, lat: number, size: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + size, lat],
      [lng + size, lat + size],
      [lng, lat + size],
      [lng, lat],
    ],
  ],
});

beforeAll(async () => {
  stack = await startTestStack({ authCacheTtlMs: 5000 });
  const { db } = stack.database;
  await seedIdentities(db, [
    {
      name: 'Admins',
      type: 'ADMIN',
      municipalityCodes: [],
      operatorIds: [],
      users: [{ email: 'admin@t.nl', privileges: [] }],
    },
    {
      name: 'Amsterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0363'],
      operatorIds: [],
      users: [
        { email: 'ams@t.nl', privileges: ['ORGANISATION_ADMIN'] },
        { email: 'analyst@t.nl', privileges: [] },
      ],
    },
    {
      name: 'Rotterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0599'],
      operatorIds: [],
      users: [{ email: 'rtm@t.nl', privileges: ['ORGANISATION_ADMIN'] }],
    },
    {
      name: 'Demo Bikes',
      type: 'OPERATOR',
      municipalityCodes: [],
      operatorIds: ['demo-bikes'],
      users: [{ email: 'op@t.nl', privileges: [] }],
    },
    {
      name: 'Vervoerregio',
      type: 'OTHER_GOVERNMENT',
      municipalityCodes: [],
      operatorIds: [],
      users: [{ email: 'vra@t.nl', privileges: [] }],
    },
    {
      name: 'Consultancy',
      type: 'OTHER_COMPANY',
      municipalityCodes: [],
      operatorIds: [],
      users: [{ email: 'consultant@t.nl', privileges: [] }],
    },
  ]);
  for (const row of await db('organisations').select<{ id: string; name: string }[]>(
    'id',
    'name',
  )) {
    orgIds[row.name] = row.id;
  }
  await db('zones').insert([
    {
      code: 'AMS-DAM',
      name: 'Dam square hub area',
      kind: 'CUSTOM',
      geometry: JSON.stringify(square(4.88, 52.37, 0.02)),
      municipality_code: 'GM0363',
      owner_organisation_id: orgIds.Amsterdam,
    },
    {
      code: 'RTM-CS',
      name: 'Rotterdam Centraal area',
      kind: 'CUSTOM',
      geometry: JSON.stringify(square(4.46, 51.92, 0.01)),
      municipality_code: 'GM0599',
      owner_organisation_id: orgIds.Rotterdam,
    },
  ]);
  // As a zone admin mutation would: tell the zones subgraph to rebuild its spatial index.
  await stack.pubsub.publish(channels.zonesChanged, { reason: 'test' });
  const adminToken = await stack.tokenFor('admin@t.nl');
  for (let i = 0; i < 50; i += 1) {
    const at = await stack.request(
      `{ zoneAt(lat: 52.3731, lng: 4.8932, kind: CUSTOM) { code } }`,
      {},
      { token: adminToken },
    );
    if ((at.data as { zoneAt?: { code: string } } | undefined)?.zoneAt?.code === 'AMS-DAM') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const email of ['admin', 'ams', 'analyst', 'rtm', 'op', 'vra', 'consultant']) {
    callers[email] = { token: await stack.tokenFor(`${email}@t.nl`) };
  }

  const vra = await ok<{ grantDataAccess: { id: string } }>(
    stack.request(
      `mutation ($org: ID!) { grantDataAccess(input: { granteeOrganisationId: $org }) { id } }`,
      { org: orgIds.Vervoerregio },
      callers.ams,
    ),
  );
  vraGrantId = vra.grantDataAccess.id;
  const consultantId = await db('users')
    .where({ email: 'consultant@t.nl' })
    .first<{ id: string }>('id');
  await ok(
    stack.request(
      `mutation ($user: ID!) { grantDataAccess(input: { granteeUserId: $user }) { id } }`,
      { user: consultantId?.id },
      callers.rtm,
    ),
  );
  const created = await ok<{
    createApiKey: { apiKey: { id: string; prefix: string }; secret: string };
  }>(
    stack.request(
      `mutation { createApiKey(input: { name: "open data script" }) { apiKey { id prefix } secret } }`,
      {},
      callers.ams,
    ),
  );
  apiKey = { id: created.createApiKey.apiKey.id, secret: created.createApiKey.secret };
  expect(created.createApiKey.secret.startsWith(`mk_${created.createApiKey.apiKey.prefix}_`)).toBe(
    true,
  );
  callers.apiKey = { apiKey: apiKey.secret };
  callers.anonymous = {};
});

afterAll(async () => {
  await stack?.stop();
});

const SEEN = `{ me { principalType admin municipalityCodes operatorIds }
  zones(filter: { kind: CUSTOM }) { edges { node { code } } } }`;

interface Seen {
  me: { principalType: string; admin: boolean; municipalityCodes: string[]; operatorIds: string[] };
  zones: { edges: { node: { code: string } }[] };
}

async function seenBy(caller: Caller) {
  const data = await ok<Seen>(stack.request(SEEN, {}, caller));
  return { ...data.me, customZones: data.zones.edges.map((e) => e.node.code).sort() };
}

describe('what each caller sees', () => {
  it.each([
    [
      'ams',
      {
        principalType: 'USER',
        admin: false,
        municipalityCodes: ['GM0363'],
        operatorIds: [],
        customZones: ['AMS-DAM'],
      },
    ],
    [
      'rtm',
      {
        principalType: 'USER',
        admin: false,
        municipalityCodes: ['GM0599'],
        operatorIds: [],
        customZones: ['RTM-CS'],
      },
    ],
    [
      'op',
      {
        principalType: 'USER',
        admin: false,
        municipalityCodes: [],
        operatorIds: ['demo-bikes'],
        customZones: [],
      },
    ],
    [
      'admin',
      {
        principalType: 'USER',
        admin: true,
        municipalityCodes: [],
        operatorIds: [],
        customZones: ['AMS-DAM', 'RTM-CS'],
      },
    ],
    [
      'vra',
      {
        principalType: 'USER',
        admin: false,
        municipalityCodes: ['GM0363'],
        operatorIds: [],
        customZones: ['AMS-DAM'],
      },
    ],
    [
      'consultant',
      {
        principalType: 'USER',
        admin: false,
        municipalityCodes: ['GM0599'],
        operatorIds: [],
        customZones: ['RTM-CS'],
      },
    ],
    [
      'apiKey',
      {
        principalType: 'API_KEY',
        admin: false,
        municipalityCodes: ['GM0363'],
        operatorIds: [],
        customZones: ['AMS-DAM'],
      },
    ],
    [
      'anonymous',
      {
        principalType: 'ANONYMOUS',
        admin: false,
        municipalityCodes: [],
        operatorIds: [],
        customZones: [],
      },
    ],
  ])('%s', async (name, expected) => {
    expect(await seenBy(callers[name]!)).toEqual(expected);
  });

  it('answers zoneAt with the municipality, and with the custom zone only to who may see it', async () => {
    const at = `{ zoneAt(lat: 52.3731, lng: 4.8932) { code } }`;
    for (const caller of [callers.anonymous, callers.rtm, callers.ams, callers.admin]) {
      expect(await ok(stack.request(at, {}, caller))).toEqual({ zoneAt: { code: 'GM0363' } });
    }
    const custom = `{ zoneAt(lat: 52.3731, lng: 4.8932, kind: CUSTOM) { code } }`;
    expect(await ok(stack.request(custom, {}, callers.anonymous))).toEqual({ zoneAt: null });
    expect(await ok(stack.request(custom, {}, callers.rtm))).toEqual({ zoneAt: null });
    expect(await ok(stack.request(custom, {}, callers.ams))).toEqual({
      zoneAt: { code: 'AMS-DAM' },
    });
    expect(await ok(stack.request(custom, {}, callers.admin))).toEqual({
      zoneAt: { code: 'AMS-DAM' },
    });
  });

  it('does not resolve a custom zone by id outside the scope', async () => {
    const { id } = await stack.database
      .db('zones')
      .where({ code: 'AMS-DAM' })
      .first<{ id: string }>('id');
    const query = `query ($id: ID!) { zone(id: $id) { code } }`;
    // Refused exactly as an id no zone has: nothing tells the zone exists.
    const hidden = await stack.request(query, { id }, callers.rtm);
    expect(hidden.errors?.[0]?.message).toBe(`id: no zone with id ${id}`);
    expect(hidden.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await ok(stack.request(query, { id }, callers.ams))).toEqual({
      zone: { code: 'AMS-DAM' },
    });
  });

  it('shows users of the own organisation to an ORGANISATION_ADMIN, and only oneself to others', async () => {
    const query = `query ($org: ID) { users(organisationId: $org) { email } }`;
    const emails = (d: { users: { email: string }[] }) => d.users.map((u) => u.email).sort();
    expect(emails(await ok(stack.request(query, {}, callers.ams)))).toEqual([
      'ams@t.nl',
      'analyst@t.nl',
    ]);
    expect(emails(await ok(stack.request(query, { org: orgIds.Rotterdam }, callers.ams)))).toEqual(
      [],
    );
    expect(emails(await ok(stack.request(query, {}, callers.analyst)))).toEqual(['analyst@t.nl']);
    expect(
      emails(await ok(stack.request(query, { org: orgIds.Rotterdam }, callers.admin))),
    ).toEqual(['rtm@t.nl']);
  });
});

describe('who may change what', () => {
  const forbidden = async (query: string, variables: Record<string, unknown>, caller?: Caller) => {
    const result = await stack.request(query, variables, caller);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    return result.errors?.[0]?.message;
  };
  const createUser = `mutation ($org: ID!, $email: String!) { createUser(input: { organisationId: $org, email: $email }) { email } }`;

  it('keeps an ORGANISATION_ADMIN inside its own organisation', async () => {
    expect(
      await forbidden(createUser, { org: orgIds.Rotterdam, email: 'x@t.nl' }, callers.ams),
    ).toMatch(/ORGANISATION_ADMIN/);
    await ok(stack.request(createUser, { org: orgIds.Amsterdam, email: 'new@t.nl' }, callers.ams));
    await forbidden(
      `mutation ($id: ID!) { updateOrganisation(id: $id, patch: { name: "Rotterdam!" }) { name } }`,
      { id: orgIds.Rotterdam },
      callers.ams,
    );
  });

  it('never lets an organisation widen what it owns, except through an administrator', async () => {
    const widen = `mutation ($id: ID!) { updateOrganisation(id: $id, patch: { municipalityCodes: ["GM0363", "GM0599"] }) { municipalityCodes } }`;
    expect(await forbidden(widen, { id: orgIds.Amsterdam }, callers.ams)).toMatch(/ADMIN/);
    await forbidden(createUser, { org: orgIds.Amsterdam, email: 'y@t.nl' }, callers.analyst);
    await forbidden(
      `mutation { createOrganisation(input: { name: "X", type: OPERATOR }) { id } }`,
      {},
      callers.ams,
    );
  });

  it('refuses identity changes to API keys and anonymous callers', async () => {
    await forbidden(
      `mutation { createApiKey(input: { name: "k" }) { secret } }`,
      {},
      callers.apiKey,
    );
    await forbidden(
      `mutation { saveDashboard(input: { name: "d", widgets: [] }) { id } }`,
      {},
      callers.anonymous,
    );
  });
});

describe('revocation', () => {
  const ttlMs = 5000;

  async function timeUntil(check: () => Promise<boolean>): Promise<number> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > ttlMs + 2000)
        throw new Error('still allowed after the documented time');
      await new Promise((r) => setTimeout(r, 100));
    }
    return Date.now() - started;
  }

  it('stops a revoked grant within the scope cache time', async () => {
    expect((await seenBy(callers.vra!)).customZones).toEqual(['AMS-DAM']);
    await ok(
      stack.request(
        `mutation ($id: ID!) { revokeDataAccess(id: $id) { revokedAt } }`,
        { id: vraGrantId },
        callers.ams,
      ),
    );
    const elapsed = await timeUntil(
      async () => (await seenBy(callers.vra!)).customZones.length === 0,
    );
    expect(elapsed).toBeLessThanOrEqual(ttlMs);
  });

  it('stops a revoked API key within the scope cache time', async () => {
    await ok(
      stack.request(
        `mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`,
        { id: apiKey.id },
        callers.ams,
      ),
    );
    const elapsed = await timeUntil(async () => {
      const result = await stack.request(SEEN, {}, callers.apiKey);
      return result.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';
    });
    expect(elapsed).toBeLessThanOrEqual(ttlMs);
    const refused = await stack.request(SEEN, {}, callers.apiKey);
    expect(refused.errors?.[0]?.message).toBe('unauthenticated: API key revoked');
  });
});

describe('audit log', () => {
  it('records every admin mutation, and shows an organisation only its own entries', async () => {
    const query = `{ auditLog(first: 100) { action targetType } }`;
    const all = await ok<{ auditLog: { action: string }[] }>(
      stack.request(query, {}, callers.admin),
    );
    const actions = all.auditLog.map((e) => e.action).sort();
    expect(actions).toEqual(
      [
        'apiKey.create',
        'apiKey.revoke',
        'grant.create',
        'grant.create',
        'grant.revoke',
        'user.create',
      ].sort(),
    );
    const amsterdam = await ok<{ auditLog: { action: string }[] }>(
      stack.request(query, {}, callers.ams),
    );
    expect(amsterdam.auditLog.map((e) => e.action).sort()).toEqual(
      ['apiKey.create', 'apiKey.revoke', 'grant.create', 'grant.revoke', 'user.create'].sort(),
    );
    const denied = await stack.request(query, {}, callers.analyst);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('nothing about another organisation leaks through refusals', () => {
  const CREATE_USER = `mutation ($input: UserInput!) { createUser(input: $input) { id } }`;

  it('answers createUser alike whether the email is in use here or in another organisation', async () => {
    const attempt = async (email: string) => {
      const result = await stack.request(
        CREATE_USER,
        { input: { email, organisationId: orgIds.Amsterdam } },
        callers.ams,
      );
      return result.errors?.[0];
    };
    const elsewhere = await attempt('rtm@t.nl');
    const here = await attempt('analyst@t.nl');
    expect(elsewhere).toMatchObject({
      message:
        'input.email: rtm@t.nl cannot be added: the address is already in use; ask a platform administrator',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.email' },
    });
    expect(here?.message).toBe(elsewhere?.message?.replace('rtm@t.nl', 'analyst@t.nl'));
    expect(JSON.stringify(elsewhere)).not.toMatch(/Rotterdam|organisation/i);
  });

  it("answers revokeApiKey and updateUser on another organisation's entities as not found", async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const revoke = (id: string) =>
      stack.request(`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id }, callers.rtm);
    const foreignKey = (await revoke(apiKey.id)).errors?.[0];
    expect(foreignKey).toMatchObject({
      message: `API key ${apiKey.id} not found`,
      extensions: { code: 'NOT_FOUND' },
    });
    expect((await revoke(unknown)).errors?.[0]?.message).toBe(`API key ${unknown} not found`);
    expect(JSON.stringify(foreignKey)).not.toContain(orgIds.Amsterdam!);

    const analyst = await stack.database
      .db<{ id: string; email: string }>('users')
      .where({ email: 'analyst@t.nl' })
      .first('id');
    const update = await stack.request(
      `mutation ($id: ID!) { updateUser(id: $id, patch: { privileges: [] }) { id } }`,
      { id: analyst!.id },
      callers.rtm,
    );
    expect(update.errors?.[0]).toMatchObject({
      message: `user ${analyst!.id} not found`,
      extensions: { code: 'NOT_FOUND' },
    });
  });
});

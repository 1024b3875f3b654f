import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { PROJECT_ROOT } from '../../lib/config';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, devJwtSecret, mintToken } from '../../lib/devJwt';
import { listen } from '../../lib/http';
import { InProcessPubSub } from '../../lib/pubsub';
import { seed } from '../../seeds';
import { assertNoDemoIdentities } from '../../seeds/identities';
import { createTestDatabase, silentLogger } from '../../test/db';
import { graphqlRequest } from '../../test/graphql';
import { duplicateKeys } from '../../test/logLines';
import { freePort } from '../../test/ports';

/** A process as a container runs it: `node --import tsx bin/<x>.ts`, no npm in between. */
interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(script: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', join('bin', script), ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitFor(check: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function terminate(started: Started): void {
  if (started.child.pid && started.child.exitCode === null) {
    try {
      process.kill(-started.child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

const SCOPE_SECRET = randomBytes(32).toString('base64url');
const ISSUER = 'https://id.city.example';
const AUDIENCE = 'mobility-production-test';

describe('production start refusals', () => {
  const base = { NODE_ENV: 'production', PORT: '0' };

  it('names every missing piece in one line and starts nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mobility-prod-'));
    try {
      const started = run('start.ts', [], { ...base, DATA_DIR: dataDir });
      expect(await started.exited).toBe(1);
      expect(started.stdout()).toBe('');
      expect(started.stderr()).toBe(
        'error: production start refused: set JWT_JWKS_URL or JWT_PUBLIC_KEY (your identity provider); ' +
          'SCOPE_SECRET (32+ random characters, the same on the gateway and every subgraph); ' +
          'DATABASE_URL (or ALLOW_EMBEDDED_DATABASE=true to run the embedded PostgreSQL, which trusts every local connection)\n',
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a short scope secret without showing it, development tokens and the demo', async () => {
    const shortSecret = run('gateway.ts', [], {
      ...base,
      JWT_JWKS_URL: 'https://id.city.example/jwks.json',
      SCOPE_SECRET: 'SHORT-MARKER',
    });
    const hs256 = run('gateway.ts', [], {
      ...base,
      JWT_SECRET: 'x'.repeat(40),
      SCOPE_SECRET,
    });
    const demo = run('start.ts', [], { ...base, DEMO: 'true' });
    const token = run('token.ts', ['admin@example.org'], { ...base });
    expect(await Promise.all([shortSecret, hs256, demo, token].map((s) => s.exited))).toEqual([
      1, 1, 1, 1,
    ]);
    expect(shortSecret.stderr()).toBe(
      'error: invalid configuration: SCOPE_SECRET=<12 characters, not shown>: must be at least 32 characters\n',
    );
    expect(hs256.stderr()).toBe(
      'error: production start refused: set JWT_JWKS_URL or JWT_PUBLIC_KEY (your identity provider); ' +
        'JWT_SECRET unset (HS256 development tokens are not accepted in production)\n',
    );
    expect(demo.stderr()).toBe(
      'error: invalid configuration: DEMO=true: demo identities and feeds are never created in production\n',
    );
    expect(token.stderr()).toMatch(/^error: development tokens do not exist in production/);
    expect(token.stdout()).toBe('');
  }, 60_000);
});

describe('a database seeded for the demo', () => {
  it('is refused in production, naming the demo identities it holds', async () => {
    const database = await createTestDatabase();
    const pubsub = new InProcessPubSub();
    try {
      await seed(database.db, pubsub, silentLogger, { demo: false, adminEmail: 'a@city.example' });
      await expect(assertNoDemoIdentities(database.db)).resolves.toBeUndefined();
      await seed(database.db, pubsub, silentLogger, { demo: true });
      await expect(assertNoDemoIdentities(database.db)).rejects.toThrow(
        /^production start refused: the database holds the demo identities \(admin@example\.org, amsterdam@example\.org, /,
      );
    } finally {
      await pubsub.close();
      await database.drop();
    }
  }, 60_000);
});

/** A feed host that answers every request with an error quoting what it was sent. */
async function startEchoingFeedHost(): Promise<{
  server: Server;
  url: string;
  seen: IncomingHttpHeaders[];
}> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const quoted = `${req.headers.authorization ?? ''} ${body}`;
      res.writeHead(req.url === '/token' ? 401 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_client', error_description: `got ${quoted}` }));
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { server, url: `http://127.0.0.1:${port}`, seen };
}

describe('production, end to end', () => {
  let dataDir: string;
  const processes: Started[] = [];
  let feedHost: Awaited<ReturnType<typeof startEchoingFeedHost>>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mobility-prod-'));
    feedHost = await startEchoingFeedHost();
  });

  afterAll(async () => {
    processes.forEach(terminate);
    await Promise.all(processes.map((p) => p.exited));
    feedHost.server.closeAllConnections();
    await new Promise((resolve) => feedHost.server.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with an identity provider and a first administrator; demo identities, development tokens and credentials stay out', async () => {
    const [port, pgPort] = await Promise.all([freePort(), freePort()]);
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const env = {
      NODE_ENV: 'production',
      ALLOW_EMBEDDED_DATABASE: 'true',
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      PORT: String(port),
      SCOPE_SECRET,
      JWT_PUBLIC_KEY: await exportSPKI(publicKey),
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      LOG_LEVEL: 'debug',
    };
    // A development secret lying in the data folder (from an earlier `npm start`) is never used.
    const devSecret = devJwtSecret(dataDir);

    // The first administrator, before the first start: seed starts the embedded server itself.
    const seedFirst = run('seed.ts', ['--admin', 'first@city.example'], env);
    processes.push(seedFirst);
    expect(await seedFirst.exited).toBe(0);

    const server = run('start.ts', [], env);
    processes.push(server);
    await waitFor(
      () => server.stdout().includes('"msg":"gateway ready"'),
      () => server.stdout() + server.stderr(),
      120_000,
    );
    const url = `http://localhost:${port}/graphql`;
    const rs256 = (email: string): Promise<string> => signToken(privateKey, email);
    const as = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
    const me = '{ me { admin principalType } }';

    // The demo's administrator does not exist in production, whatever the identity provider says.
    const demoAdmin = await graphqlRequest(url, me, {}, as(await rs256('admin@example.org')));
    expect(demoAdmin.data ?? null).toBeNull();
    expect(demoAdmin.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const first = as(await rs256('first@city.example'));
    expect(await graphqlRequest(url, me, {}, first)).toEqual({
      data: { me: { admin: true, principalType: 'USER' } },
    });

    // A development token, signed with the secret in the data folder, is refused.
    const devToken = await mintToken({
      secret: devSecret,
      issuer: DEV_JWT_ISSUER,
      audience: DEV_JWT_AUDIENCE,
      emailClaim: 'email',
      email: 'first@city.example',
      ttlSeconds: 600,
    });
    const refused = await graphqlRequest(url, me, {}, as(devToken));
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // Reference data is there; demo organisations and feeds are not.
    const data = await graphqlRequest(
      url,
      '{ zones(filter: { kind: MUNICIPALITY }) { totalCount } organisations { name } feeds { id } }',
      {},
      first,
    );
    expect(data).toEqual({
      data: {
        zones: { totalCount: 342 },
        organisations: [{ name: 'Platform administrators' }],
        feeds: [],
      },
    });

    // A second administrator while the server runs: seed joins the running embedded server.
    const seedSecond = run('seed.ts', ['--admin', 'second@city.example'], env);
    processes.push(seedSecond);
    expect(await seedSecond.exited).toBe(0);
    const second = as(await rs256('second@city.example'));
    expect(await graphqlRequest(url, me, {}, second)).toEqual({
      data: { me: { admin: true, principalType: 'USER' } },
    });

    // Credentials are write-only and never logged: a NUL byte the database refuses, a feed host
    // that quotes the header it got, a token endpoint that quotes the secret it got.
    const createFeed = `mutation ($input: FeedInput!) { createFeed(input: $input) { id authType } }`;
    await graphqlRequest(
      url,
      'mutation { createOperator(input: { id: "echo", name: "Echo" }) { id } }',
      {},
      first,
    );
    const feed = (auth: Record<string, string>, path: string): Record<string, unknown> => ({
      // verify: false: the host quotes what it got instead of serving a feed; the importer reads it.
      input: {
        operatorId: 'echo',
        type: 'GBFS3_VEHICLE_STATUS',
        url: feedHost.url + path,
        auth,
        verify: false,
      },
    });
    const nul = await graphqlRequest(
      url,
      createFeed,
      feed({ type: 'HEADER', header: 'Authorization', value: 'CREDMARKER-NUL\u0000x' }, '/nul'),
      first,
    );
    expect(nul.errors).toHaveLength(1);
    expect(JSON.stringify(nul)).not.toContain('CREDMARKER');
    const header = await graphqlRequest(
      url,
      createFeed,
      feed({ type: 'HEADER', header: 'Authorization', value: 'Bearer CREDMARKER-HEADER' }, '/h'),
      first,
    );
    expect(header).toEqual({
      data: { createFeed: { id: expect.any(String) as unknown, authType: 'HEADER' } },
    });
    const oauth = await graphqlRequest(
      url,
      createFeed,
      feed(
        {
          type: 'OAUTH2_CLIENT_CREDENTIALS',
          tokenUrl: `${feedHost.url}/token`,
          clientId: 'client-1',
          clientSecret: 'CREDMARKER-OAUTH',
        },
        '/o',
      ),
      first,
    );
    expect(oauth.errors).toBeUndefined();
    // The importer reads both within a tick (30 s) and logs the failures.
    await waitFor(
      () => feedHost.seen.some((h) => h.authorization === 'Bearer CREDMARKER-HEADER'),
      () => 'the importer never read the feed',
      60_000,
    );
    await waitFor(
      () => (server.stdout().match(/"msg":"feed down"/g) ?? []).length >= 2,
      () => server.stdout(),
      30_000,
    );

    // /ready: names only.
    const ready = await fetch(`http://localhost:${port}/ready`);
    expect(ready.status).toBe(200);
    const readyText = await ready.text();
    expect(readyText).not.toMatch(/http|127\.0\.0\.1/);
    expect(JSON.parse(readyText)).toMatchObject({ status: 'ready' });

    terminate(server);
    await server.exited;

    const output = server.stdout() + server.stderr() + seedFirst.stdout() + seedSecond.stdout();
    expect(output).not.toContain('CREDMARKER');
    // Nor the secret as the token endpoint saw it (HTTP Basic).
    expect(output).not.toContain(Buffer.from('client-1:CREDMARKER-OAUTH').toString('base64'));
    // Production stdout is JSON lines only, with no key twice in a line.
    const lines = server
      .stdout()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect([line, duplicateKeys(line)]).toEqual([line, []]);
    }
    expect(server.stdout()).toMatch(/"msg":"stopped"/);
    expect(server.stderr()).toBe('');
  }, 240_000);
});

function signToken(privateKey: KeyLike, email: string): Promise<string> {
  return new SignJWT({ email })
    .setProtectedHeader({ alg: 'RS256' })
    .setSubject(email)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
}

/**
 * This product's dashboard mix for `npm run bench:gateway`: the queries a dashboard's widgets send
 * as it opens (zones with their availability, vehicles in a bounding box, trips, hubs with their
 * zone, `me`), against the real subgraphs on PostgreSQL, signed in as `amsterdam@example.org`.
 *
 * The stack is `npm start` (bin/start.ts: migrations, demo seeds, the feed simulator, every
 * subgraph, the job runner and the gateway in one process) on an embedded PostgreSQL of its own,
 * with a day of simulated history and twenty hubs the bench creates (the demo seeds none).
 * Only our gateway runs it: the product's subgraphs refuse any request without the gateway's
 * signed scope header (`x-mobility-scope`), so a plain @apollo/gateway or Hive Gateway in front of
 * them gets nothing but errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, devJwtSecret, mintToken } from '../../lib/devJwt';
import { PROJECT_ROOT } from '../../lib/config';
import { MINUTE, SECOND } from '../../lib/units';
import { freePort } from '../../test/ports';

const READY_TIMEOUT_MS = 4 * MINUTE;
const DEMO_VEHICLES = 3000;
const TOKEN_TTL_SECONDS = 3600;
const DAY_MS = 24 * 60 * MINUTE;
const AMSTERDAM = 'GM0363';

const ZONES = `query DashboardZones($from: DateTime!, $to: DateTime!) {
  zones(filter: { kind: DISTRICT, municipalityCodes: ["${AMSTERDAM}"] }, first: 100) {
    edges { node { code name availability(from: $from, to: $to, resolution: HOUR, aggregate: MAX, groupBy: [OPERATOR]) { bucketStarts groups { operatorId available unavailable total } } } }
  }
}`;
const VEHICLES = `query DashboardVehicles($minLng: Float!, $minLat: Float!, $maxLng: Float!, $maxLat: Float!) {
  availableVehicles(bbox: { minLng: $minLng, minLat: $minLat, maxLng: $maxLng, maxLat: $maxLat }, first: 50) {
    totalCount edges { node { id lat lng formFactor operator { name } } }
  }
}`;
const TRIPS = `query DashboardTrips($from: DateTime!, $to: DateTime!) {
  trips(filter: { from: $from, to: $to, municipalityCodes: ["${AMSTERDAM}"] }, first: 20) {
    edges { node { startTime durationSeconds operator { name } startZone { name } endZone { name } } }
  }
}`;
const HUBS = `query DashboardHubs($first: Int) {
  hubs(filter: { municipalityCodes: ["${AMSTERDAM}"] }, first: $first) {
    edges { node { name placesAvailable zone { name areaKm2 } municipality { name } } }
  }
}`;
const ME = `query DashboardMe { me { organisation { name } municipalityCodes privileges } }`;

type Variables = Record<string, unknown>;

/**
 * The five widgets' bodies in turn. `distinct`: each request's variables its own (a time window
 * or bounding box moved by a fraction, a page size), so no two requests in flight are the same;
 * `me` has no arguments and is the same in both.
 */
export function dashboardBody(sequence: number, distinct: boolean): string {
  const shift = distinct ? sequence : 0;
  const now = distinct ? Date.now() - shift * SECOND : Math.floor(Date.now() / MINUTE) * MINUTE;
  const iso = (ms: number) => new Date(ms).toISOString();
  const widgets: [string, Variables][] = [
    [ZONES, { from: iso(now - DAY_MS), to: iso(now) }],
    [
      VEHICLES,
      {
        minLng: 4.85 + shift * 1e-7,
        minLat: 52.34,
        maxLng: 4.95,
        maxLat: 52.4,
      },
    ],
    [TRIPS, { from: iso(now - 7 * DAY_MS), to: iso(now) }],
    [HUBS, { first: distinct ? 1 + (sequence % 500) : 50 }],
    [ME, {}],
  ];
  const [query, variables] = widgets[sequence % widgets.length]!;
  return JSON.stringify({ query, variables });
}

export interface DashboardStack {
  url: string;
  headers: Record<string, string>;
  pid: number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `npm start` on its own embedded PostgreSQL and data folder; resolves once `/ready`. */
export async function startDashboardStack(env: Record<string, string>): Promise<DashboardStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--max-semi-space-size=64', '--import', 'tsx', join('bin', 'start.ts')],
    {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await freePort()),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DEMO_VEHICLES: String(DEMO_VEHICLES),
        DEMO_HISTORY_DAYS: '1',
        RATE_LIMIT_POINTS: '1000000000',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30 * SECOND);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`npm start exited: ${stderr.trim().split('\n').at(-1) ?? ''}`);
    }
    const ready = await fetch(`${base}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('npm start was not ready in time');
    }
    await sleep(SECOND);
  }
  const token = await mintToken({
    secret: devJwtSecret(dataDir),
    issuer: DEV_JWT_ISSUER,
    audience: DEV_JWT_AUDIENCE,
    emailClaim: 'email',
    email: 'amsterdam@example.org',
    ttlSeconds: TOKEN_TTL_SECONDS,
  });
  const headers = { authorization: `Bearer ${token}` };
  await createHubs(`${base}/graphql`, headers).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { url: `${base}/graphql`, headers, pid: child.pid ?? 0, stop };
}

const HUBS_CREATED = 20;
const CREATE_HUB = `mutation ($input: CreateHubInput!) { createHub(input: $input) { id } }`;

/** The demo seeds no hubs: the dashboard's hub widget gets some around Dam square. */
async function createHubs(url: string, headers: Record<string, string>): Promise<void> {
  for (let i = 0; i < HUBS_CREATED; i += 1) {
    const input = {
      name: `Bench hub ${i + 1}`,
      point: { lat: 52.36 + i * 0.002, lng: 4.87 + i * 0.002, radiusMeters: 15 },
      capacity: { combined: 20 },
    };
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: CREATE_HUB, variables: { input } }),
    });
    const body = (await response.json()) as { errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`createHub: ${body.errors[0]?.message ?? ''}`);
  }
}

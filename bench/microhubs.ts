/**
 * `npm run bench:microhubs [-- --ticks N] [--hubs N] [--vehicles N] [--churn FRACTION]`
 *
 * The microhubs controller's real code path (jobs/microhubs/controller.ts, as the
 * `microhubs_controller` job runs it) on a fresh PostgreSQL database: 5 000 hubs (point and polygon,
 * combined and per-form-factor capacity) in ten Dutch cities and 100 000 parked vehicles in
 * `vehicle_state`, written as the importer writes them. Before each measured tick, `--churn`
 * (default 2 %) of the vehicles drive off or park, many of them in hubs, in one transaction, as
 * an import tick would; the tick runs right after it. A graphql-ws client subscribed to the
 * microhubs subgraph (`hubStatusChanged` for all hubs, `hubOccupancy` for 500) measures the time
 * from that count change to each event's arrival. Pub/sub is Redis with REDIS_URL, else
 * in-process; PostgreSQL is DATABASE_URL's server (a new database on it), else an embedded one.
 * Prints a table and, as its last line, one JSON object with the figures.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { latLngToCell } from 'h3-js';
import pino from 'pino';
import WebSocket from 'ws';
import { createHubController } from '../jobs/microhubs/controller';
import { PUBLIC_SCOPE } from '../lib/auth/scope';
import { SCOPE_HEADER, signScope } from '../lib/auth/scopeHeader';
import { moved, rectangle } from '../test/microhubs';
import { openBenchDatabase } from './database';
import { loadConfig } from '../lib/config';
import { type Db } from '../lib/db';
import type { FormFactor } from '../lib/domain/formFactors';
import type { HubCapacity } from '../lib/domain/hubs/model';
import { circlePolygon } from '../lib/domain/hubs/shapes';
import { geometryBbox } from '../lib/geo/geometry';
import { migrateLatest } from '../lib/migrate';
import { createPubSub, type PubSub } from '../lib/pubsub';
import { seed } from '../seeds';
import { subgraphFactories } from '../subgraphs';
import { numberOption, percentile, runBench } from './cli';
import { mulberry32 } from '../simulator/random';

const CITIES: { code: string; lat: number; lng: number }[] = [
  { code: 'GM0363', lat: 52.3702, lng: 4.8952 }, // Amsterdam
  { code: 'GM0599', lat: 51.9225, lng: 4.4792 }, // Rotterdam
  { code: 'GM0518', lat: 52.0705, lng: 4.3007 }, // Den Haag
  { code: 'GM0344', lat: 52.0907, lng: 5.1214 }, // Utrecht
  { code: 'GM0772', lat: 51.4416, lng: 5.4697 }, // Eindhoven
  { code: 'GM0014', lat: 53.2194, lng: 6.5665 }, // Groningen
  { code: 'GM0034', lat: 52.3508, lng: 5.2647 }, // Almere
  { code: 'GM0855', lat: 51.5555, lng: 5.0913 }, // Tilburg
  { code: 'GM0758', lat: 51.5719, lng: 4.7683 }, // Breda
  { code: 'GM0268', lat: 51.8126, lng: 5.8372 }, // Nijmegen
];
/** Hubs stand on a grid this far apart around each city centre. */
const HUB_SPACING_METERS = 140;
const SECRET = randomBytes(24).toString('hex');
const OCCUPANCY_WATCHED = 500;

interface BenchHub {
  id: string;
  municipality: string;
  lat: number;
  lng: number;
  radius: number;
}

/** 80 % point hubs, 20 % rectangles; 70 % combined capacity, 30 % per form factor. */
async function createHubs(db: Db, count: number, next: () => number): Promise<BenchHub[]> {
  const perCity = Math.ceil(count / CITIES.length);
  const side = Math.ceil(Math.sqrt(perCity));
  const hubs: BenchHub[] = [];
  const zones: Record<string, unknown>[] = [];
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i += 1) {
    const city = CITIES[i % CITIES.length]!;
    const k = Math.floor(i / CITIES.length);
    const at = moved(
      city,
      (Math.floor(k / side) - side / 2) * HUB_SPACING_METERS,
      ((k % side) - side / 2) * HUB_SPACING_METERS,
    );
    const id = randomUUID();
    const point = next() < 0.8;
    const radius = point ? 10 + Math.round(next() * 15) : 20;
    const geometry = point
      ? circlePolygon(at.lat, at.lng, radius)
      : rectangle(at, 15 + next() * 25, 20 + next() * 40);
    const [minLng, minLat, maxLng, maxLat] = geometryBbox(geometry);
    const combined = next() < 0.7;
    const capacity: HubCapacity = combined
      ? { COMBINED: 8 + Math.round(next() * 30) }
      : { BICYCLE: 6 + Math.round(next() * 16), MOPED: 2 + Math.round(next() * 6) };
    zones.push({
      id,
      code: `BENCH-${i}`,
      name: `Bench hub ${i}`,
      kind: 'HUB',
      geometry: JSON.stringify(geometry),
      municipality_code: city.code,
      min_lng: minLng,
      min_lat: minLat,
      max_lng: maxLng,
      max_lat: maxLat,
      area_km2: 0,
      derived_at: new Date(),
    });
    rows.push({
      id,
      municipality_code: city.code,
      center_lat: at.lat,
      center_lng: at.lng,
      radius_meters: point ? radius : null,
      buffer_meters: 30,
      capacity: JSON.stringify(capacity),
      control: 'AUTOMATIC',
      effective_from: new Date(Date.now() - 86_400_000),
    });
    hubs.push({ id, municipality: city.code, lat: at.lat, lng: at.lng, radius });
  }
  for (let i = 0; i < zones.length; i += 1000) {
    await db('zones').insert(zones.slice(i, i + 1000));
    await db('hubs').insert(rows.slice(i, i + 1000));
  }
  return hubs;
}

interface Vehicle {
  feed: number;
  id: string;
  lat: number;
  lng: number;
  formFactor: FormFactor;
}

const MIX: FormFactor[] = [
  'BICYCLE',
  'BICYCLE',
  'BICYCLE',
  'MOPED',
  'SCOOTER_STANDING',
  'CARGO_BICYCLE',
];

/** 60 % of the vehicles within 40 m of a hub, the rest anywhere in the cities' hub areas. */
function place(hubs: BenchHub[], next: () => number): { lat: number; lng: number } {
  if (next() < 0.6) {
    const hub = hubs[Math.floor(next() * hubs.length)]!;
    const distance = next() * (hub.radius + 25);
    const angle = next() * 2 * Math.PI;
    return moved(hub, distance * Math.sin(angle), distance * Math.cos(angle));
  }
  const city = CITIES[Math.floor(next() * CITIES.length)]!;
  const half = (Math.sqrt(hubs.length / CITIES.length) * HUB_SPACING_METERS) / 2;
  return moved(city, (next() * 2 - 1) * half, (next() * 2 - 1) * half);
}

function stateRow(v: Vehicle, feedIds: string[]) {
  return {
    feed_id: feedIds[v.feed],
    vehicle_id: v.id,
    operator_id: `bench-${v.feed}`,
    lat: v.lat,
    lng: v.lng,
    h3_cell: latLngToCell(v.lat, v.lng, 8),
    zone_ids: [],
    municipality_code: null,
    form_factor: v.formFactor,
    is_reserved: false,
    is_disabled: false,
    park_start: new Date(),
    park_lat: v.lat,
    park_lng: v.lng,
  };
}

async function parkAll(db: Db, vehicles: Vehicle[], feedIds: string[]): Promise<void> {
  for (let i = 0; i < vehicles.length; i += 4000) {
    await db('vehicle_state').insert(vehicles.slice(i, i + 4000).map((v) => stateRow(v, feedIds)));
  }
}

/** Connects to the subgraph as the gateway would, with a signed (public) scope. */
function subscriber(url: string): Client {
  const headers = { [SCOPE_HEADER]: signScope(PUBLIC_SCOPE, SECRET, 3_600_000) };
  class ScopedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  return createClient({ url, webSocketImpl: ScopedWebSocket, retryAttempts: 0, lazy: false });
}

interface Arrival {
  at: string;
  receivedAt: number;
}

async function main(): Promise<void> {
  const hubCount = numberOption('--hubs', 5000);
  const vehicleCount = numberOption('--vehicles', 100_000);
  const ticks = numberOption('--ticks', 30);
  const churn = numberOption('--churn', 0.02);
  const config = loadConfig();
  const logger = pino({ level: 'silent' });
  const next = mulberry32(42);
  const database = await openBenchDatabase(config, 'microhubs');
  const { db } = database;
  const pubsub: PubSub = createPubSub(config.REDIS_URL, logger);
  const clients: Client[] = [];
  const server = subgraphFactories.microhubs({
    config: loadConfig({ NODE_ENV: 'production' }),
    logger,
    db,
    pubsub,
    scopeSecret: SECRET,
  });
  try {
    process.stderr.write('setting up: migrations, municipalities, hubs, vehicles... ');
    await migrateLatest(db, logger);
    await seed(db, pubsub, logger, { demo: false });
    const hubs = await createHubs(db, hubCount, next);
    const feedIds: string[] = [];
    for (let f = 0; f < 10; f += 1) {
      await db('operators').insert({ id: `bench-${f}`, name: `Bench ${f}` });
      const [feed] = await db('feeds')
        .insert({
          operator_id: `bench-${f}`,
          url: `http://bench.invalid/${f}`,
          type: 'MDS_VEHICLES',
        })
        .returning<{ id: string }[]>('id');
      feedIds.push(feed!.id);
    }
    let serial = 0;
    const newVehicle = (): Vehicle => ({
      feed: serial % 10,
      id: `v${(serial += 1)}`,
      ...place(hubs, next),
      formFactor: MIX[Math.floor(next() * MIX.length)]!,
    });
    let parked: Vehicle[] = Array.from({ length: vehicleCount }, newVehicle);
    await parkAll(db, parked, feedIds);
    await db.raw('analyze vehicle_state');
    process.stderr.write('done\n');

    const { url } = await server.start(0, '127.0.0.1');
    const wsUrl = url.replace(/^http/, 'ws');
    const arrivals: Arrival[] = [];
    const collect = (client: Client, query: string, variables: Record<string, unknown>) =>
      client.subscribe<{ [field: string]: { at: string } }>(
        { query, variables },
        {
          next: (result) => {
            const event = result.data && Object.values(result.data)[0];
            if (event)
              arrivals.push({
                at: event.at,
                receivedAt: performance.now() + performance.timeOrigin,
              });
          },
          error: (err: unknown) =>
            process.stderr.write(`subscription error: ${JSON.stringify(err)}\n`),
          complete: () => undefined,
        },
      );
    const statusClient = subscriber(wsUrl);
    const occupancyClient = subscriber(wsUrl);
    clients.push(statusClient, occupancyClient);
    collect(statusClient, 'subscription { hubStatusChanged { hubId open vehicles at } }', {});
    collect(
      occupancyClient,
      'subscription ($ids: [ID!]!) { hubOccupancy(hubIds: $ids) { hubId vehicles placesAvailable at } }',
      { ids: hubs.slice(0, OCCUPANCY_WATCHED).map((h) => h.id) },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    const controller = createHubController({
      db,
      pubsub,
      logger,
      settings: { reopenFreeRatio: config.MICROHUB_REOPEN_FREE_PERCENT / 100 },
    });
    const firstStarted = performance.now();
    const first = await controller.tick();
    const firstMs = performance.now() - firstStarted;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    arrivals.splice(0);

    const tickMs: number[] = [];
    const cpuMs: number[] = [];
    const phases: { load: number; count: number; write: number; publish: number }[] = [];
    const latencies: number[] = [];
    let statusEvents = 0;
    let occupancyEvents = 0;
    let changes = 0;
    let vehiclesRead = 0;
    let fullReads = 0;
    for (let t = 0; t < ticks; t += 1) {
      // One import tick's worth of change: some vehicles drive off, as many park.
      const leaving = new Set<string>();
      const moves = Math.round(parked.length * churn);
      for (let i = 0; i < moves / 2; i += 1) {
        leaving.add(parked[Math.floor(next() * parked.length)]!.id);
      }
      const arriving = Array.from({ length: leaving.size }, newVehicle);
      await db.transaction(async (trx) => {
        await trx('vehicle_state')
          .whereIn('vehicle_id', [...leaving])
          .update({ gone_at: new Date(), gone_reason: 'RENTAL' });
        for (let i = 0; i < arriving.length; i += 4000) {
          await trx('vehicle_state').insert(
            arriving.slice(i, i + 4000).map((v) => stateRow(v, feedIds)),
          );
        }
      });
      parked = [...parked.filter((v) => !leaving.has(v.id)), ...arriving];
      const changedAt = performance.now() + performance.timeOrigin;
      const started = performance.now();
      const cpu = process.cpuUsage();
      const report = await controller.tick();
      const used = process.cpuUsage(cpu);
      tickMs.push(performance.now() - started);
      cpuMs.push((used.user + used.system) / 1000);
      phases.push(report.phasesMs);
      changes += report.changes;
      statusEvents += report.statusEvents;
      occupancyEvents += report.occupancyEvents;
      vehiclesRead += report.vehiclesRead;
      if (report.read === 'full') fullReads += 1;
      // Wait for this tick's events to arrive, then take their latency from the count change.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const tickAt = report.at.toISOString();
      for (const arrival of arrivals.splice(0)) {
        if (arrival.at === tickAt) latencies.push(arrival.receivedAt - changedAt);
      }
      process.stderr.write(`${Math.round(tickMs.at(-1) ?? 0)} `);
    }
    process.stderr.write('\n');

    const p50 = (values: number[]) => Math.round(percentile(values, 50));
    const figures = {
      bench: 'microhubs',
      hubs: hubs.length,
      status_rows: first.changes,
      vehicles: parked.length,
      vehicles_in_hubs: first.vehicles,
      pubsub: config.REDIS_URL ? 'redis' : 'in-process',
      ticks: tickMs.length,
      churn_pct: churn * 100,
      first_tick_ms: Math.round(firstMs),
      tick_p50_ms: p50(tickMs),
      tick_p95_ms: Math.round(percentile(tickMs, 95)),
      tick_max_ms: Math.round(Math.max(...tickMs)),
      tick_cpu_p50_ms: p50(cpuMs),
      tick_cpu_p95_ms: Math.round(percentile(cpuMs, 95)),
      ticks_reading_everything: fullReads,
      vehicles_read_per_tick: Math.round(vehiclesRead / tickMs.length),
      status_changes_per_tick: Math.round(changes / tickMs.length),
      status_events_per_tick: Math.round(statusEvents / tickMs.length),
      occupancy_events_per_tick: Math.round(occupancyEvents / tickMs.length),
      events_received: latencies.length,
      event_latency_p50_ms: p50(latencies),
      event_latency_p95_ms: Math.round(percentile(latencies, 95)),
      event_latency_max_ms: Math.round(latencies.length ? Math.max(...latencies) : 0),
      phase_p50_load_ms: p50(phases.map((p) => p.load)),
      phase_p50_count_ms: p50(phases.map((p) => p.count)),
      phase_p50_write_ms: p50(phases.map((p) => p.write)),
      phase_p50_publish_ms: p50(phases.map((p) => p.publish)),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    const rows: [string, string][] = [
      ['hubs (status rows)', `${figures.hubs} (${figures.status_rows})`],
      [
        'parked vehicles (in hubs)',
        `${figures.vehicles.toLocaleString('en')} (${figures.vehicles_in_hubs.toLocaleString('en')})`,
      ],
      ['pub/sub', figures.pubsub],
      ['measured ticks', `${figures.ticks}, ${figures.churn_pct} % of vehicles moved before each`],
      ['first tick (reads every vehicle)', `${figures.first_tick_ms} ms`],
      [
        'tick p50 / p95 / max',
        `${figures.tick_p50_ms} / ${figures.tick_p95_ms} / ${figures.tick_max_ms} ms`,
      ],
      [
        'tick CPU of this process p50 / p95',
        `${figures.tick_cpu_p50_ms} / ${figures.tick_cpu_p95_ms} ms`,
      ],
      [
        'tick p50 by phase: load / count / write / publish',
        `${figures.phase_p50_load_ms} / ${figures.phase_p50_count_ms} / ${figures.phase_p50_write_ms} / ${figures.phase_p50_publish_ms} ms`,
      ],
      [
        'vehicles read per tick (ticks reading everything)',
        `${figures.vehicles_read_per_tick} (${figures.ticks_reading_everything})`,
      ],
      ['status rows changed per tick', String(figures.status_changes_per_tick)],
      [
        'status / occupancy events per tick',
        `${figures.status_events_per_tick} / ${figures.occupancy_events_per_tick}`,
      ],
      ['events received by the subscribers', String(figures.events_received)],
      [
        'count change -> subscriber p50 / p95 / max',
        `${figures.event_latency_p50_ms} / ${figures.event_latency_p95_ms} / ${figures.event_latency_max_ms} ms`,
      ],
      ['peak RSS', `${figures.peak_rss_mb} MB`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(`${rows.map(([l, v]) => `${l.padEnd(width)}  ${v}`).join('\n')}\n`);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    for (const client of clients) await client.dispose();
    await server.stop();
    await pubsub.close();
    await database.close();
  }
}

runBench(main);

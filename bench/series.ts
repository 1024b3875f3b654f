/**
 * `npm run bench:series [-- --runs N] [--vehicles N] [--zones N]`
 *
 * Zone time series at the scale of a large municipality: 300 neighbourhoods x 10 operators x 4
 * form factors, generated straight into the tables (generate_series in SQL, no row through Node)
 * on a fresh database (DATABASE_URL's server, else an embedded PostgreSQL):
 * - the last 7 days as 5-minute rows (every zone x operator x form factor x tick, plus the three
 *   coarser grouping levels: 33 million rows); the last of those days rolled up to hours and a day
 *   by the job's own rollup code (timed), the 6 days before as hourly rows;
 * - the packed rows of the all-operators level (months of days, UTC days of quarter hours) built
 *   from those by the job's own code (`repackWindow`, as the migration that added them does);
 * - the 358 days before as daily rows (a year of days in all). A year of 5-minute rows would be
 *   1.7 billion rows (~200 GB); retention keeps 90 days of them anyway, and no query of a year
 *   reads them: DAY over a year is answered from the daily rows.
 * Measured, side by side: `availability` at DAY over the year and at FIFTEEN_MINUTES over the
 * week, for one zone and for all 300 zones in one request, p50 / p95, three ways: through the
 * gateway as a user asks (the headline figures), straight to the zones subgraph, and the SQL
 * statements inside the subgraph request (their durations added up); the same week's answers computed from the
 * raw 5-minute rows (the ratio); one `zone_stats` run over 100 000 parked vehicles (their park
 * events, trips and non-operational periods); the nightly report for one day (bench/dailyReport.ts,
 * 100 000 vehicles); table sizes on disk.
 * Prints a table and, as its last line, one JSON object with the figures.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import pino from 'pino';
import { PUBLIC_SCOPE, type Scope } from '../lib/auth/scope';
import { SCOPE_HEADER, signScope } from '../lib/auth/scopeHeader';
import { openBenchDatabase } from './database';
import { loadConfig } from '../lib/config';
import { type Db } from '../lib/db';
import { migrateLatest } from '../lib/migrate';
import { InProcessPubSub } from '../lib/pubsub';
import { bucketStart, nextBucket, TICK_MS } from '../lib/time/buckets';
import { HOUR } from '../lib/units';
import {
  ensureSeriesPartitions,
  repackWindow,
  rollUpWindow,
  runZoneStats,
} from '../jobs/zoneStats/compute';
import { createGateway } from '../gateway/server';
import { seed } from '../seeds';
import { subgraphFactories } from '../subgraphs';
import { testGatewayOptions } from '../test/gateway';
import { benchDailyReport } from './dailyReport';
import { numberOption, percentile, runBench } from './cli';

const TIME_ZONE = 'Europe/Amsterdam';
/** Neighbourhoods in the municipality (`--zones`, default 300). */
let zoneCount = 300;
const OPERATORS = Array.from({ length: 10 }, (_v, i) => `op-${i}`);
const FORM_FACTORS = ['BICYCLE', 'CARGO_BICYCLE', 'MOPED', 'SCOOTER_STANDING'];
const SECRET = randomBytes(24).toString('hex');
const silent = pino({ level: 'silent' });
const log = (message: string) => process.stderr.write(`${message}\n`);

const ts = (ms: number) => `'${new Date(ms).toISOString()}'::timestamptz`;

/** 300 square neighbourhoods (about 450 m) on a grid over Amsterdam. */
async function createZones(db: Db): Promise<{ id: string; lat: number; lng: number }[]> {
  const rows = Array.from({ length: zoneCount }, (_v, i) => {
    const lat = 52.3 + Math.floor(i / 20) * 0.004;
    const lng = 4.8 + (i % 20) * 0.0066;
    const ring = [
      [lng, lat],
      [lng + 0.0066, lat],
      [lng + 0.0066, lat + 0.004],
      [lng, lat + 0.004],
      [lng, lat],
    ];
    return {
      code: `BU0363${String(i).padStart(4, '0')}`,
      name: `Buurt ${i}`,
      kind: 'NEIGHBOURHOOD',
      municipality_code: 'GM0363',
      geometry: JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
      min_lng: lng,
      min_lat: lat,
      max_lng: lng + 0.0066,
      max_lat: lat + 0.004,
      area_km2: 0.2,
      derived_at: new Date(),
    };
  });
  const inserted = await db('zones')
    .insert(rows)
    .returning<{ id: string; min_lat: number; min_lng: number }[]>(['id', 'min_lat', 'min_lng']);
  await db.raw(`create table bench_zones as select id, row_number() over () as n from zones
                 where kind = 'NEIGHBOURHOOD'`);
  return inserted.map((z) => ({ id: z.id, lat: z.min_lat + 0.002, lng: z.min_lng + 0.0033 }));
}

/** One local day of 5-minute rows: every zone x operator x form factor, then the coarser levels. */
async function fiveMinuteDay(db: Db, d0: number, d1: number): Promise<void> {
  await db.raw(
    `with fine as materialized (
       select t as bucket_start, z.id as zone_id, o as operator_id, f as form_factor,
              greatest(0, round(6 + 4 * sin(extract(epoch from t) / 13751.0 + z.n)
                                + 3 * random()))::int as available,
              (random() < 0.3)::int + (random() < 0.1)::int as unavailable,
              (random() < 0.15)::int as started, (random() < 0.15)::int as ended
         from bench_zones z, unnest(?::text[]) as o, unnest(?::text[]) as f,
              generate_series(${ts(d0)}, ${ts(d1 - TICK_MS)}, interval '5 minutes') as t
     ),
     written as (
       insert into zone_stats_5m (bucket_start, zone_id, operator_id, form_factor,
                                  municipality_code, available, unavailable, started, ended)
       select bucket_start, zone_id, operator_id, form_factor, 'GM0363', available, unavailable,
              started, ended
         from fine
     )
     insert into zone_stats_5m (bucket_start, zone_id, operator_id, form_factor,
                                municipality_code, available, unavailable, started, ended)
     select bucket_start, zone_id,
            case when grouping(operator_id) = 1 then '*' else operator_id end,
            case when grouping(form_factor) = 1 then '*' else form_factor end,
            'GM0363', sum(available), sum(unavailable), sum(started), sum(ended)
       from fine
      group by grouping sets ((bucket_start, zone_id, operator_id),
                              (bucket_start, zone_id, form_factor), (bucket_start, zone_id))`,
    [`{${OPERATORS.join(',')}}`, `{${FORM_FACTORS.join(',')}}`],
  );
  await db.raw(`
    insert into zone_stats_coverage (resolution, bucket_start, ticks)
    select '5m', t, 1
      from generate_series(${ts(d0)}, ${ts(d1 - TICK_MS)}, interval '5 minutes') as t`);
}

/** Daily rows for these local days: synthetic sums, minima and maxima at every level. */
async function dailyRows(db: Db, days: number[]): Promise<void> {
  const list = `{${days.map((d) => new Date(d).toISOString()).join(',')}}`;
  await db.raw(
    `insert into zone_stats_day (bucket_start, zone_id, operator_id, form_factor,
       municipality_code, available_sum, available_min, available_max, unavailable_sum,
       unavailable_min, unavailable_max, total_min, total_max, started, ended)
     select d, z.id, o, f, 'GM0363', 288 * (6 + z.n % 3), 1 + z.n % 3, 12 + z.n % 5, 115, 0, 3,
            2 + z.n % 3, 14 + z.n % 5, 40 + z.n % 9, 40 + z.n % 7
       from unnest(?::timestamptz[]) as d, bench_zones z,
            unnest(?::text[]) as o, unnest(?::text[]) as f`,
    [list, `{*,${OPERATORS.join(',')}}`, `{*,${FORM_FACTORS.join(',')}}`],
  );
  await db.raw(
    `insert into zone_stats_coverage (resolution, bucket_start, ticks)
     select 'day', d, (extract(epoch from (n - d)) / 300)::int
       from unnest(?::timestamptz[], ?::timestamptz[]) as x(d, n)`,
    [
      list,
      `{${days.map((d) => new Date(nextBucket('DAY', TIME_ZONE, d)).toISOString()).join(',')}}`,
    ],
  );
}

/** Hourly rows for these local days (every zone, level and hour): synthetic, like the days. */
async function hourlyRows(db: Db, d0: number, d1: number): Promise<void> {
  await db.raw(
    `insert into zone_stats_hour (bucket_start, zone_id, operator_id, form_factor,
       municipality_code, available_sum, available_min, available_max, unavailable_sum,
       unavailable_min, unavailable_max, total_min, total_max, started, ended)
     select h, z.id, o, f, 'GM0363', 12 * (6 + z.n % 3), 1 + z.n % 3, 12 + z.n % 5, 5, 0, 3,
            2 + z.n % 3, 14 + z.n % 5, 2 + z.n % 3, 2 + z.n % 2
       from generate_series(${ts(d0)}, ${ts(d1 - HOUR)}, interval '1 hour') as h, bench_zones z,
            unnest(?::text[]) as o, unnest(?::text[]) as f`,
    [`{*,${OPERATORS.join(',')}}`, `{*,${FORM_FACTORS.join(',')}}`],
  );
  await db.raw(`
    insert into zone_stats_coverage (resolution, bucket_start, ticks)
    select 'hour', h, 12
      from generate_series(${ts(d0)}, ${ts(d1 - HOUR)}, interval '1 hour') as h`);
}

/**
 * 100 000 parked vehicles with their park events, some rides and breakdowns in the last hours,
 * spread so that every zone has every operator and form factor.
 */
async function fleet(
  db: Db,
  zones: { id: string; lat: number; lng: number }[],
  vehicles: number,
  nowMs: number,
  municipalityId: string,
): Promise<void> {
  const feed = randomUUID();
  await db.raw(
    `
    insert into park_events (id, feed_id, operator_id, vehicle_id, form_factor, lat, lng, h3_cell,
                             zone_ids, municipality_code, start_time, end_time, end_reason)
    select gen_random_uuid(), ?, 'op-' || ((v / ${zones.length}) % 10), 'v' || v,
           (?::text[])[1 + (v / ${zones.length * 10}) % 4], 52.3, 4.8, '881f1d4a7bfffff',
           array[z.id, ?::uuid], 'GM0363',
           ${ts(nowMs)} - (random() * interval '3 days'),
           case when v % 7 = 0 then ${ts(nowMs)} - (random() * interval '2 hours') end,
           case when v % 7 = 0 then 'RENTAL' end
      from generate_series(0, ? - 1) as v
      join bench_zones z on z.n = 1 + v % ${zones.length}`,
    [feed, `{${FORM_FACTORS.join(',')}}`, municipalityId, vehicles],
  );
  await db.raw(`
    insert into non_operational_periods (id, feed_id, operator_id, vehicle_id, form_factor, lat,
                                         lng, zone_ids, municipality_code, start_time, end_time)
    select gen_random_uuid(), feed_id, operator_id, vehicle_id, form_factor, lat, lng, zone_ids,
           municipality_code, start_time + interval '10 minutes', null
      from park_events where vehicle_id ~ '5$' and end_time is null`);
  await db.raw(`
    insert into trips (id, feed_id, operator_id, vehicle_id, form_factor, source, status,
                       start_time, end_time, start_lat, start_lng, end_lat, end_lng,
                       start_h3_cell, end_h3_cell, start_zone_ids, end_zone_ids,
                       municipality_code, end_municipality_code)
    select gen_random_uuid(), feed_id, operator_id, vehicle_id, form_factor, 'INFERRED',
           'COMPLETED', end_time, end_time + interval '12 minutes', lat, lng, lat, lng, h3_cell,
           h3_cell, zone_ids, zone_ids, municipality_code, municipality_code
      from park_events where end_time is not null`);
  await db.raw('analyze park_events, non_operational_periods, trips');
}

/**
 * Runs `load` with `table`'s indexes (primary key included) dropped, then builds them again: a
 * bulk load writes the rows once and sorts each index once, instead of a b-tree insert per row.
 */
async function withoutIndexes(db: Db, table: string, load: () => Promise<void>): Promise<void> {
  const { rows } = await db.raw<{ rows: { name: string; def: string; pk: boolean }[] }>(
    `select indexrelid::regclass::text as name, indisprimary as pk,
            case when indisprimary
                 then (select pg_get_constraintdef(c.oid) from pg_constraint c
                        where c.conindid = indexrelid and c.conrelid = indrelid)
                 else pg_get_indexdef(indexrelid) end as def
       from pg_index where indrelid = ?::regclass`,
    [table],
  );
  for (const index of rows) {
    await db.raw(
      index.pk ? `alter table ${table} drop constraint ${index.name}` : `drop index ${index.name}`,
    );
  }
  await load();
  for (const index of rows) {
    await db.raw(
      index.pk ? `alter table ${table} add ${index.def}` : index.def.replace(' ON ONLY ', ' ON '),
    );
  }
}

/**
 * Five minutes of the importer's work before tick `at`: one vehicle in 50 is rented (its park
 * event ends at a moment of those five minutes, a trip starts there and ends three minutes later)
 * and parks again where the trip ended. Its rows are written as the importer writes them, so the
 * triggers mark the ticks they change, and the tick after it recounts what that changed.
 */
async function churn(db: Db, at: number, round: number): Promise<void> {
  await db.raw(`
    with rented as (
      update park_events set end_time = ${ts(at)} - random() * interval '5 minutes',
                             end_reason = 'RENTAL'
       where end_time is null and substr(vehicle_id, 2)::int % 50 = ${round % 50}
      returning *
    ),
    trip as (
      insert into trips (id, feed_id, operator_id, vehicle_id, form_factor, source, status,
                         start_time, end_time, start_lat, start_lng, end_lat, end_lng,
                         start_h3_cell, end_h3_cell, start_zone_ids, end_zone_ids,
                         municipality_code, end_municipality_code)
      select gen_random_uuid(), feed_id, operator_id, vehicle_id, form_factor, 'INFERRED',
             case when end_time + interval '3 minutes' <= ${ts(at)} then 'COMPLETED' else 'OPEN' end,
             end_time, case when end_time + interval '3 minutes' <= ${ts(at)}
                            then end_time + interval '3 minutes' end,
             lat, lng, lat, lng, h3_cell, h3_cell, zone_ids, zone_ids, municipality_code,
             municipality_code
        from rented
    )
    insert into park_events (id, feed_id, operator_id, vehicle_id, form_factor, lat, lng, h3_cell,
                             zone_ids, municipality_code, start_time)
    select gen_random_uuid(), feed_id, operator_id, vehicle_id, form_factor, lat, lng, h3_cell,
           zone_ids, municipality_code, end_time + interval '3 minutes'
      from rented where end_time + interval '3 minutes' <= ${ts(at)}`);
}

async function tableSizesMb(db: Db): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const table of ['zone_stats_5m', 'zone_stats_hour', 'zone_stats_day']) {
    const { rows } = await db.raw<{ rows: { bytes: string; rows: string }[] }>(
      `select coalesce(sum(pg_total_relation_size(inhrelid)), 0) as bytes
         from pg_inherits where inhparent = ?::regclass`,
      [table],
    );
    sizes[`${table}_mb`] = Math.round(Number(rows[0]?.bytes ?? 0) / 1024 / 1024);
  }
  for (const table of ['zone_stats_coverage', 'zone_stats_day_packed', 'zone_stats_15m_packed']) {
    const { rows } = await db.raw<{ rows: { n: string }[] }>(
      `select pg_total_relation_size(?::regclass) as n`,
      [table],
    );
    sizes[`${table}_mb`] = Math.round(Number(rows[0]?.n ?? 0) / 1024 / 1024);
  }
  return sizes;
}

interface Latency {
  p50: number;
  p95: number;
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < 3; i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main(): Promise<void> {
  const runs = numberOption('--runs', 30);
  zoneCount = numberOption('--zones', 300);
  // Days of 5-minute rows (7: the FIFTEEN_MINUTES week reads a full week of them).
  const fiveMinuteDays = numberOption('--five-minute-days', 7);
  const vehicles = numberOption('--vehicles', 100_000);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const loadAtStart = loadavg()[0] ?? 0;
  const database = await openBenchDatabase(config, 'series');
  const db = database.db;
  const pubsub = new InProcessPubSub();
  const benchStarted = performance.now();
  try {
    await migrateLatest(db, silent);
    await seed(db, pubsub, silent, { demo: false });
    const zones = await createZones(db);
    await db('operators').insert(OPERATORS.map((id) => ({ id, name: id })));
    const municipality = await db('zones')
      .where({ kind: 'MUNICIPALITY', code: 'GM0363' })
      .first<{ id: string }>('id');

    // A year of local days ending yesterday; the last 7 as 5-minute rows.
    const now = Date.now();
    const today = bucketStart('DAY', TIME_ZONE, now);
    const end = bucketStart('DAY', TIME_ZONE, today - HOUR);
    const dayStarts: number[] = [];
    for (let d = bucketStart('DAY', TIME_ZONE, end - 365 * 24 * HOUR); d < end;) {
      dayStarts.push(d);
      d = nextBucket('DAY', TIME_ZONE, d);
    }
    const yearStart = dayStarts[0] ?? end;
    const weekStart = dayStarts[dayStarts.length - 7] ?? end;
    const lastDay = dayStarts[dayStarts.length - 1] ?? end;
    await ensureSeriesPartitions(db, yearStart, now + 24 * HOUR);
    let generated = performance.now();
    // Bulk load: the indexes are built once afterwards, not row by row; two days at a time (one
    // connection each, one per core).
    const fiveMinuteStarts = dayStarts.slice(-fiveMinuteDays);
    await withoutIndexes(db, 'zone_stats_5m', async () => {
      for (let i = 0; i < fiveMinuteStarts.length; i += 2) {
        await Promise.all(
          fiveMinuteStarts
            .slice(i, i + 2)
            .map((d) => fiveMinuteDay(db, d, nextBucket('DAY', TIME_ZONE, d))),
        );
        log(
          `5-minute rows: day ${Math.min(i + 2, fiveMinuteDays)} of ${fiveMinuteDays} (${Math.round((performance.now() - generated) / 1000)} s)`,
        );
      }
    });
    const fiveMinuteMs = performance.now() - generated;
    log(`5-minute rows and their indexes: ${Math.round(fiveMinuteMs / 1000)} s`);
    generated = performance.now();
    await withoutIndexes(db, 'zone_stats_hour', () => hourlyRows(db, weekStart, lastDay));
    await withoutIndexes(db, 'zone_stats_day', () => dailyRows(db, dayStarts.slice(0, -1)));
    log(
      `hourly and daily rows and their indexes: ${Math.round((performance.now() - generated) / 1000)} s`,
    );
    await db.raw('analyze zone_stats_5m, zone_stats_hour, zone_stats_day');
    // The job's own rollup of the last 5-minute day to its hours and the day.
    const rollupStarted = performance.now();
    await rollUpWindow(db, lastDay, end - TICK_MS, TIME_ZONE);
    const rollupDayMs = performance.now() - rollupStarted;
    log(`rolled the last day up to hours and a day in ${Math.round(rollupDayMs)} ms`);
    // The packed rows of the year (months of days, UTC days of quarter hours) by the job's code,
    // as the migration that added them fills them from rows already stored.
    const packStarted = performance.now();
    await repackWindow(db, yearStart, end - TICK_MS, TIME_ZONE);
    const packYearMs = performance.now() - packStarted;
    log(`packed the year in ${Math.round(packYearMs)} ms`);
    // As autovacuum would in time: statistics, and the visibility map for index-only scans.
    await db.raw(
      `vacuum analyze zone_stats_5m, zone_stats_hour, zone_stats_day, zone_stats_coverage,
                      zone_stats_day_packed, zone_stats_15m_packed`,
    );
    const generateMs = performance.now() - benchStarted;

    const subgraph = subgraphFactories.zones({
      config,
      logger: silent,
      db,
      pubsub,
      scopeSecret: SECRET,
    });
    const { url: subgraphUrl } = await subgraph.start(0, '127.0.0.1');
    const scope: Scope = {
      ...PUBLIC_SCOPE,
      principal: { type: 'USER', userId: 'bench', email: 'bench@example.org' },
      organisationType: 'MUNICIPALITY',
      municipalities: ['GM0363'],
      ownMunicipalities: ['GM0363'],
    };
    // The gateway as in production (limits, scope signing, query planning), authenticating
    // every request as the municipality.
    const gateway = createGateway(
      testGatewayOptions({
        supergraphPath: config.SUPERGRAPH_PATH,
        subgraphUrls: { zones: subgraphUrl },
        scopeSecret: SECRET,
        maskInternalErrors: true,
        // 300 zones on a loaded machine can take longer than the 5 s the tests allow.
        subgraphTimeoutMs: 60_000,
        authenticate: () => Promise.resolve(scope),
      }),
    );
    const { url: gatewayUrl } = await gateway.start(0, '127.0.0.1');
    const post = async (url: string, query: string): Promise<void> => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SCOPE_HEADER]: signScope(scope, SECRET, 60_000),
        },
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(60_000),
      });
      const body = (await response.json()) as { errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    };
    // The SQL inside a subgraph request: the durations of its statements, added up.
    const sqlStarts = new Map<string, number>();
    let sqlMs = 0;
    db.on('query', (q: { __knexQueryUid: string }) => {
      sqlStarts.set(q.__knexQueryUid, performance.now());
    });
    db.on('query-response', (_r: unknown, q: { __knexQueryUid: string }) => {
      sqlMs += performance.now() - (sqlStarts.get(q.__knexQueryUid) ?? performance.now());
      sqlStarts.delete(q.__knexQueryUid);
    });
    const args = (from: number, to: number, resolution: string) =>
      `from: "${new Date(from).toISOString()}", to: "${new Date(to).toISOString()}", resolution: ${resolution}`;
    const field = (from: number, to: number, resolution: string) =>
      `availability(${args(from, to, resolution)}, aggregate: AVG) { bucketStarts groups { available } }`;
    const one = (f: string) => `{ zone(id: "${zones[0]?.id ?? ''}") { ${f} } }`;
    const page = (f: string) =>
      `zones(filter: { kind: NEIGHBOURHOOD }, first: ${zoneCount}) { edges { node { id ${f} } } }`;
    // Many zones as the README shows them: the buckets once, each zone's values as one column.
    const all = (from: number, to: number, resolution: string) =>
      `{ seriesBuckets(${args(from, to, resolution)}) { bucketStarts end }
         ${page(`availability(${args(from, to, resolution)}, aggregate: AVG) { groups { availableColumn } }`)} }`;
    const cases: Record<string, string> = {
      // The same request path with no series: what the machine and HTTP cost by themselves.
      baseline_zone: one('id code'),
      day_year: one(field(yearStart, end, 'DAY')),
      quarter_week: one(field(weekStart, end, 'FIFTEEN_MINUTES')),
      all_zones_day_year: all(yearStart, end, 'DAY'),
      all_zones_quarter_week: all(weekStart, end, 'FIFTEEN_MINUTES'),
      // The same 300 zones with the list fields (bucketStarts and values in every zone).
      all_zones_day_year_lists: `{ ${page(field(yearStart, end, 'DAY'))} }`,
    };
    const latency: Record<string, { gateway: Latency; subgraph: Latency; sql: Latency }> = {};
    // The cases without a target (seconds each) get a third of the runs: the bench stays short.
    const fewer = new Set(['all_zones_quarter_week', 'all_zones_day_year_lists']);
    for (const [name, query] of Object.entries(cases)) {
      const n = fewer.has(name) ? Math.max(5, Math.ceil(runs / 3)) : runs;
      const gatewayLatency = await timed(n, () => post(gatewayUrl, query));
      const sqlTimes: number[] = [];
      const subgraphLatency = await timed(n, async () => {
        sqlMs = 0;
        await post(subgraphUrl, query);
        sqlTimes.push(sqlMs);
      });
      const measured = sqlTimes.slice(3);
      latency[name] = {
        gateway: gatewayLatency,
        subgraph: subgraphLatency,
        sql: { p50: percentile(measured, 50), p95: percentile(measured, 95) },
      };
      const f = (l: Latency) => `${Math.round(l.p50)} / ${Math.round(l.p95)}`;
      log(
        `${name} p50 / p95: gateway ${f(gatewayLatency)} ms, subgraph ${f(subgraphLatency)} ms, its SQL ${f(latency[name].sql)} ms`,
      );
    }
    await gateway.stop();
    await subgraph.stop();

    // The same week of 15-minute averages straight from the raw per-operator 5-minute rows.
    const raw = async (zoneFilter: string): Promise<number> => {
      const started = performance.now();
      await db.raw(`
        select zone_id, date_bin('15 minutes', bucket_start, ${ts(weekStart)}) as b, avg(n)
          from (select zone_id, bucket_start, sum(available) as n from zone_stats_5m
                 where bucket_start >= ${ts(weekStart)} and bucket_start < ${ts(end)}
                   and operator_id <> '*' and form_factor <> '*' ${zoneFilter}
                 group by 1, 2) t
         group by 1, 2`);
      return performance.now() - started;
    };
    const rawOne: number[] = [];
    const rawAll: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      rawOne.push(await raw(`and zone_id = '${zones[0]?.id ?? ''}'`));
      // All zones take seconds: twice is enough for the ratio.
      if (i < 2) rawAll.push(await raw(''));
    }
    log(
      `raw 5-minute recount of the week: one zone ${Math.round(percentile(rawOne, 50))} ms, all zones ${Math.round(percentile(rawAll, 50))} ms`,
    );

    // One zone_stats run at "now" over the fleet (it counts the last 2 hours), then steady ticks,
    // each after five minutes of rentals.
    await fleet(db, zones, vehicles, now, municipality?.id ?? randomUUID());
    const settings = {
      recountMs: config.ZONE_STATS_RECOUNT_MS,
      maxCatchupMs: config.ZONE_STATS_RECOUNT_MS,
      timeZone: TIME_ZONE,
    };
    let started = performance.now();
    const first = await runZoneStats(db, settings, now);
    const firstTickMs = performance.now() - started;
    const steady: number[] = [];
    for (let i = 1; i <= 3; i += 1) {
      await churn(db, now + i * TICK_MS, i);
      started = performance.now();
      await runZoneStats(db, settings, now + i * TICK_MS);
      steady.push(performance.now() - started);
    }
    log(
      `zone_stats: first run ${Math.round(firstTickMs)} ms (${first.rows} rows), then ${steady.map(Math.round).join(', ')} ms`,
    );
    const sizes = await tableSizesMb(db);

    // The nightly report for one day, with bench:report's own data (its own municipality).
    const report = await benchDailyReport(db, { zones: zoneCount, vehicles, progress: log });
    log(`daily_report: ${report.daily_report_ms} ms (${report.report_rows} rows)`);

    const round = (x: number) => Math.round(x * 10) / 10;
    const pair = (name: string, l: Latency) => ({
      [`${name}_p50_ms`]: round(l.p50),
      [`${name}_p95_ms`]: round(l.p95),
    });
    const latencyFigures: Record<string, number> = {};
    for (const [name, l] of Object.entries(latency)) {
      Object.assign(
        latencyFigures,
        pair(name, l.gateway),
        pair(`${name}_subgraph`, l.subgraph),
        pair(`${name}_sql`, l.sql),
      );
    }
    const allQuarter = latency.all_zones_quarter_week?.gateway.p50 ?? 1;
    const figures = {
      bench: 'series',
      cpus: cpus().length,
      load_average_at_start: round(loadAtStart),
      load_average_at_end: round(loadavg()[0] ?? 0),
      zones: zoneCount,
      operators: OPERATORS.length,
      form_factors: FORM_FACTORS.length,
      days: dayStarts.length,
      five_minute_days: fiveMinuteDays,
      runs,
      generate_ms: Math.round(generateMs),
      generate_five_minute_week_ms: Math.round(fiveMinuteMs),
      rollup_day_ms: Math.round(rollupDayMs),
      pack_year_ms: Math.round(packYearMs),
      ...latencyFigures,
      raw_quarter_week_ms: round(percentile(rawOne, 50)),
      raw_all_zones_quarter_week_ms: round(percentile(rawAll, 50)),
      // Raw 5-minute recount / the API's answer, all 300 zones, FIFTEEN_MINUTES over the week.
      raw_ratio: round(percentile(rawAll, 50) / allQuarter),
      vehicles,
      zone_stats_first_run_ms: Math.round(firstTickMs),
      zone_stats_tick_ms: Math.round(Math.max(...steady)),
      daily_report_ms: report.daily_report_ms,
      daily_report_rerun_ms: report.daily_report_rerun_ms,
      ...sizes,
      total_s: Math.round((performance.now() - benchStarted) / 1000),
    };
    const show = (name: string) => {
      const l = latency[name];
      if (!l) return '';
      const f = (x: Latency) => `${round(x.p50)} / ${round(x.p95)}`;
      return `${f(l.gateway)} ms (subgraph ${f(l.subgraph)}, its SQL ${f(l.sql)})`;
    };
    const rows: [string, string][] = [
      [
        'machine',
        `${figures.cpus} CPUs, load ${figures.load_average_at_start} at start, ${figures.load_average_at_end} at end`,
      ],
      [
        'data',
        `${zoneCount} zones x ${OPERATORS.length} operators x ${FORM_FACTORS.length} form factors, ${figures.days} days (last ${fiveMinuteDays} at 5 minutes), generated in ${Math.round(generateMs / 1000)} s`,
      ],
      ['no series (baseline), p50 / p95', show('baseline_zone')],
      ['DAY over a year, one zone p50 / p95', show('day_year')],
      ['DAY over a year, all zones p50 / p95', show('all_zones_day_year')],
      ['the same with list fields, p50 / p95', show('all_zones_day_year_lists')],
      ['FIFTEEN_MINUTES over a week, one zone p50 / p95', show('quarter_week')],
      ['FIFTEEN_MINUTES over a week, all zones p50 / p95', show('all_zones_quarter_week')],
      [
        'same week from raw 5-minute rows, one / all zones',
        `${figures.raw_quarter_week_ms} / ${figures.raw_all_zones_quarter_week_ms} ms (ratio ${figures.raw_ratio})`,
      ],
      ['rollup of a day (hours, the day, their packed rows)', `${figures.rollup_day_ms} ms`],
      ['packed rows of the year (job code, as the migration)', `${figures.pack_year_ms} ms`],
      [
        `zone_stats run, ${vehicles} vehicles: first / steady tick`,
        `${figures.zone_stats_first_run_ms} / ${figures.zone_stats_tick_ms} ms`,
      ],
      ['daily report, one day', `${figures.daily_report_ms} ms`],
      [
        'table sizes 5m / hour / day / coverage',
        `${sizes.zone_stats_5m_mb} / ${sizes.zone_stats_hour_mb} / ${sizes.zone_stats_day_mb} / ${sizes.zone_stats_coverage_mb} MB`,
      ],
      [
        'packed days / quarter hours',
        `${sizes.zone_stats_day_packed_mb} / ${sizes.zone_stats_15m_packed_mb} MB`,
      ],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(`${rows.map(([l, v]) => `${l.padEnd(width)}  ${v}`).join('\n')}\n`);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await pubsub.close();
    await database.close();
  }
}

runBench(main);

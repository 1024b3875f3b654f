/**
 * `npm run bench:od`: a year of trips of a large city (Amsterdam, 25 districts of our own, three
 * operators; 5 million trips by default, `--trips N` for another size) generated into `trips`, then
 * the `od_matrix` job over the whole year (time per block, and for the year), then `odFlows`
 * through the od subgraph over HTTP with a signed municipal scope: a month of flows from one
 * district, and the top 100 pairs of the year (DISTRICT and H3_8), each beside the same answer
 * computed from the raw trips table. PostgreSQL is DATABASE_URL's server (a new database on it),
 * else an embedded one. Progress on stderr; the last stdout line is one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { latLngToCell } from 'h3-js';
import pino from 'pino';
import { createOdMatrixJob } from '../jobs/od';
import { computeBlocks, runOdMatrix } from '../jobs/od/odMatrix';
import { blockWindow } from '../lib/domain/od';
import type { OdSettings } from '../jobs/od/settings';
import { PUBLIC_SCOPE, type Scope } from '../lib/auth/scope';
import { SCOPE_HEADER, signScope } from '../lib/auth/scopeHeader';
import { openBenchDatabase } from './database';
import type { Db } from '../lib/db';
import { loadConfig } from '../lib/config';
import type { AreaGeometry } from '../lib/geo/geometry';
import { migrateLatest } from '../lib/migrate';
import { InProcessPubSub } from '../lib/pubsub';
import { seed } from '../seeds';
import { subgraphFactories } from '../subgraphs';
import { numberOption, percentile, runBench } from './cli';
import { mulberry32 } from '../simulator/random';

const SECRET = randomBytes(24).toString('hex');
const DAY_MS = 24 * 3600 * 1000;
const YEAR = { from: '2025-01-01', to: '2025-12-31' };
const TZ = 'Europe/Amsterdam';
const PLACES = 3000;
const GRID = 5;
const OPERATORS = [
  { id: 'bench-bikes', formFactor: 'BICYCLE' },
  { id: 'bench-mopeds', formFactor: 'MOPED' },
  { id: 'bench-scooters', formFactor: 'SCOOTER_STANDING' },
];

const log = (message: string) => process.stderr.write(`${message}\n`);

const rectangle = (w: number, s: number, e: number, n: number): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

/** Runs `tasks` on at most `parallel` connections at once (one statement each). */
async function inParallel(parallel: number, tasks: (() => Promise<unknown>)[]): Promise<void> {
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) await task();
    }),
  );
}

/**
 * A year of trips, one INSERT ... SELECT generate_series per month, on as many connections as
 * there are cores (each month fills its own partition). As a restore would: every index of
 * `trips`, the primary key included, is dropped first and built once at the end, from sorted
 * rows, instead of entry by entry.
 */
async function generateTrips(db: Db, tripCount: number): Promise<void> {
  const { rows: indexes } = await db.raw<{ rows: { name: string; definition: string }[] }>(
    `select i.relname as name, pg_get_indexdef(i.oid) as definition
       from pg_index x join pg_class i on i.oid = x.indexrelid
      where x.indrelid = 'trips'::regclass and not x.indisprimary`,
  );
  const { rows: keys } = await db.raw<{ rows: { name: string; definition: string }[] }>(
    `select conname as name, pg_get_constraintdef(oid) as definition
       from pg_constraint where conrelid = 'trips'::regclass and contype = 'p'`,
  );
  for (const index of indexes) await db.raw(`drop index "${index.name}"`);
  for (const key of keys) await db.raw(`alter table trips drop constraint "${key.name}"`);
  const parallel = Math.max(1, cpus().length);
  const days = (m: number) => new Date(Date.UTC(2025, m + 1, 0)).getUTCDate();
  let done = 0;
  await inParallel(
    parallel,
    Array.from({ length: 12 }, (_v, m) => async () => {
      const before = Array.from({ length: m }, (_w, i) => days(i)).reduce((a, b) => a + b, 0);
      const n =
        Math.round((tripCount * (before + days(m))) / 365) - Math.round((tripCount * before) / 365);
      await db.raw(
        `insert into trips (id, feed_id, operator_id, vehicle_id, form_factor, source, status,
                            start_time, end_time, start_lat, start_lng, end_lat, end_lng,
                            start_h3_cell, end_h3_cell, start_zone_ids, end_zone_ids,
                            municipality_code, end_municipality_code, distance_meters)
         select gen_random_uuid(), '00000000-0000-0000-0000-000000000000', op.id, null, op.ff,
                'INFERRED', case when t.open then 'OPEN' else 'COMPLETED' end,
                t.start, case when t.open then null else t.start + t.ride end,
                o.lat, o.lng, case when t.open then null else d.lat end,
                case when t.open then null else d.lng end, o.cell,
                case when t.open then null else d.cell end, o.zone_ids,
                case when t.open then null else d.zone_ids end, o.municipality,
                case when t.open then null else d.municipality end,
                case when t.open then null else 400 + (random() * 4000)::int end
           from (select g,
                        -- busier by day: a second sample pulls starts towards 08-20 local
                        ?::timestamptz
                          + make_interval(days => floor(random() * ?)::int)
                          + make_interval(secs => case when random() < 0.7
                                                       then 7 * 3600 + random() * 13 * 3600
                                                       else random() * 86400 end) as start,
                        make_interval(secs => 180 + random() * 1800) as ride,
                        random() < 0.03 as open,
                        (power(random(), 2) * ?)::int as o_idx,
                        (random() * 40)::int - 20 as hop,
                        floor(random() * 3)::int as op_idx
                   from generate_series(1, ?) g) t
           join bench_places o on o.idx = t.o_idx
           join bench_places d on d.idx = least(greatest(t.o_idx + t.hop, 0), ? - 1)
           join (values (0, '${OPERATORS[0]!.id}', '${OPERATORS[0]!.formFactor}'),
                        (1, '${OPERATORS[1]!.id}', '${OPERATORS[1]!.formFactor}'),
                        (2, '${OPERATORS[2]!.id}', '${OPERATORS[2]!.formFactor}')) op(i, id, ff)
             on op.i = t.op_idx`,
        [`2025-${String(m + 1).padStart(2, '0')}-01 00:00 ${TZ}`, days(m), PLACES - 1, n, PLACES],
      );
      done += n;
      log(`  ${done.toLocaleString('en')} trips`);
    }),
  );
  // The indexes, each built from a sort of the rows, two at a time.
  await inParallel(
    parallel,
    [
      ...keys.map((key) => `alter table trips add constraint "${key.name}" ${key.definition}`),
      // pg_get_indexdef of a partitioned table's index says ON ONLY: that would build the parent's
      // index alone (and leave every partition without one).
      ...indexes.map((index) => index.definition.replace(' ON ONLY ', ' ON ')),
    ].map(
      (sql) => () =>
        db.transaction(async (trx) => {
          await trx.raw(`set local maintenance_work_mem = '256MB'`);
          await trx.raw(sql);
        }),
    ),
  );
  log(`  ${keys.length + indexes.length} indexes rebuilt`);
  await db.raw('vacuum analyze trips');
}

async function main(): Promise<void> {
  const tripCount = numberOption('--trips', 5_000_000);
  const repeats = numberOption('--repeats', 20);
  const config = loadConfig();
  const logger = pino({ level: 'silent' });
  const database = await openBenchDatabase(config, 'od');
  const { db } = database;
  const pubsub = new InProcessPubSub();
  const next = mulberry32(7);
  try {
    await migrateLatest(db, logger);
    await seed(db, pubsub, logger, { demo: false });
    const city = await db('zones').where({ kind: 'MUNICIPALITY', code: 'GM0363' }).first<{
      geometry: AreaGeometry;
      min_lng: number;
      min_lat: number;
      max_lng: number;
      max_lat: number;
    }>('*');
    const dx = (city.max_lng - city.min_lng) / GRID;
    const dy = (city.max_lat - city.min_lat) / GRID;
    const districts = await db('zones')
      .insert(
        Array.from({ length: GRID * GRID }, (_v, i) => {
          const w = city.min_lng + (i % GRID) * dx;
          const s = city.min_lat + Math.floor(i / GRID) * dy;
          return {
            code: `BENCH-${i}`,
            name: `District ${i}`,
            kind: 'DISTRICT',
            geometry: JSON.stringify(rectangle(w, s, w + dx, s + dy)),
            municipality_code: 'GM0363',
          };
        }),
      )
      .returning<{ id: string }[]>('id');
    const municipalityId = (
      await db('zones').where({ kind: 'MUNICIPALITY', code: 'GM0363' }).first<{ id: string }>('id')
    ).id;
    // Places trips start and end at: points in the city, denser towards the centre.
    const places: {
      idx: number;
      lat: number;
      lng: number;
      cell: string;
      zone_ids: string[];
      municipality: string;
    }[] = [];
    while (places.length < PLACES) {
      const spread = 0.35 + 0.65 * next();
      const lng = city.min_lng + (city.max_lng - city.min_lng) * (0.5 + (next() - 0.5) * spread);
      const lat = city.min_lat + (city.max_lat - city.min_lat) * (0.5 + (next() - 0.5) * spread);
      if (!booleanPointInPolygon([lng, lat], city.geometry)) continue;
      const i = Math.min(GRID - 1, Math.floor((lng - city.min_lng) / dx));
      const j = Math.min(GRID - 1, Math.floor((lat - city.min_lat) / dy));
      places.push({
        idx: places.length,
        lat,
        lng,
        cell: latLngToCell(lat, lng, 8),
        zone_ids: [districts[j * GRID + i]!.id, municipalityId],
        municipality: 'GM0363',
      });
    }
    // Nearby places have nearby indexes, so "a few indexes on" is "a short ride away".
    places.sort((a, b) => a.cell.localeCompare(b.cell)).forEach((p, i) => (p.idx = i));
    // A table of its own (not temporary): the months are generated over several connections.
    await db.raw(`create unlogged table bench_places (idx int primary key, lat float8, lng float8,
                    cell text, zone_ids uuid[], municipality text)`);
    await db.raw(
      `insert into bench_places select * from json_to_recordset(?::json)
         as x(idx int, lat float8, lng float8, cell text, zone_ids uuid[], municipality text)`,
      [JSON.stringify(places)],
    );
    await db('operators').insert(OPERATORS.map((o) => ({ id: o.id, name: o.id })));
    await db.raw(`select ensure_monthly_partitions('trips', '2024-12-01'::timestamptz, 14)`);

    log(`generating ${tripCount.toLocaleString('en')} trips over ${YEAR.from}..${YEAR.to}`);
    const [, generateMs] = await time(() => generateTrips(db, tripCount));
    log(`generated in ${Math.round(generateMs / 1000)} s`);

    // The job over the whole year, as its first run after an install catches up: every due block,
    // BLOCKS_PER_STATEMENT at a time, then the months. Then single blocks, as the hourly runs
    // compute them (the block that just ended, recomputes): each timed, each replacing its rows.
    const settings: OdSettings = {
      minCount: config.OD_MIN_COUNT,
      defaultTimeZone: TZ,
      municipalityTimeZones: {},
      catchUpDays: 365,
      maxBlocksPerRun: 10_000,
    };
    const now = new Date('2026-01-01T12:00:00Z');
    const [year, yearMs] = await time(() => runOdMatrix(db, settings, logger, now));
    const flowRows = async () =>
      Number((await db('od_flows').count<{ n: string }[]>({ n: '*' }))[0]?.n ?? 0);
    const rowsAfterYear = await flowRows();
    log(`job: ${year.blocks} blocks and their months in ${Math.round(yearMs / 1000)} s`);
    const blockMs: number[] = [];
    const sample = Math.min(numberOption('--single-blocks', 60), year.blocks);
    for (let i = 0; i < sample; i += 1) {
      const day = new Date(Date.UTC(2025, 0, 1) + Math.floor((i * 365) / sample) * DAY_MS);
      const w = blockWindow(TZ, day.toISOString().slice(0, 10), i % 6);
      blockMs.push((await time(() => computeBlocks(db, settings, [w], now)))[1]);
    }
    if ((await flowRows()) !== rowsAfterYear) throw new Error('a recompute changed od_flows');
    log(
      `single blocks: p50 ${Math.round(percentile(blockMs, 50))} ms, max ${Math.round(percentile(blockMs, 100))} ms`,
    );
    const [hourly, hourlyMs] = await time(() =>
      createOdMatrixJob({ settings, now: () => now }).run({
        db,
        pubsub,
        logger,
        config,
        tickAt: undefined,
        payload: {},
      }),
    );
    log(`an hourly run with nothing due: ${Math.round(hourlyMs)} ms (${hourly.rows} rows)`);

    // Queries through the subgraph, as a municipality (its scope filter applies).
    const server = subgraphFactories.od({
      config: loadConfig({ NODE_ENV: 'production', OD_MIN_COUNT: String(settings.minCount) }),
      logger,
      db,
      pubsub,
      scopeSecret: SECRET,
    });
    const { url } = await server.start(0, '127.0.0.1');
    const scope: Scope = {
      ...PUBLIC_SCOPE,
      principal: { type: 'USER', userId: 'bench', email: 'bench@example.org' },
      organisationType: 'MUNICIPALITY',
      municipalities: ['GM0363'],
      ownMunicipalities: ['GM0363'],
    };
    const ask = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SCOPE_HEADER]: signScope(scope, SECRET, 60_000),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(60_000),
      });
      const body = (await response.json()) as {
        data?: { odFlows: { flows: unknown[] } };
        errors?: unknown[];
      };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data?.odFlows.flows.length ?? 0;
    };
    const FLOWS = `query ($filter: OdFilter!, $level: OdLevel!, $origins: [ID!], $top: Int) {
      odFlows(filter: $filter, level: $level, origins: $origins, top: $top) {
        flows { origin { id } destination { id } trips meanDurationSeconds meanDistanceMeters }
        trips tripsWithoutEnd } }`;
    const measure = async (label: string, variables: () => Record<string, unknown>) => {
      const ms: number[] = [];
      let flows = 0;
      for (let i = 0; i < repeats; i += 1) {
        const [n, t] = await time(() => ask(FLOWS, variables()));
        ms.push(t);
        flows = n;
      }
      log(
        `${label}: p50 ${Math.round(percentile(ms, 50))} ms, p95 ${Math.round(percentile(ms, 95))} ms, ${flows} flows`,
      );
      return ms;
    };
    const busiest = await db.raw<{ rows: { id: string }[] }>(
      `select unnest(start_zone_ids)::text as id from trips tablesample system (1)
        group by 1 order by count(*) desc limit 6`,
    );
    const districtIds = busiest.rows
      .map((r) => r.id)
      .filter((id) => districts.some((d) => d.id === id));
    let turn = 0;
    const monthOf = (i: number) => {
      const m = (i % 12) + 1;
      const last = new Date(Date.UTC(2025, m, 0)).getUTCDate();
      const mm = String(m).padStart(2, '0');
      return { from: `2025-${mm}-01`, to: `2025-${mm}-${last}` };
    };
    const monthMs = await measure('a month of flows from one district', () => {
      turn += 1;
      return {
        filter: monthOf(turn),
        level: 'DISTRICT',
        origins: [districtIds[turn % districtIds.length]],
        top: 100,
      };
    });
    const yearDistrictMs = await measure('top 100 district pairs of the year', () => ({
      filter: YEAR,
      level: 'DISTRICT',
      top: 100,
    }));
    const yearH3Ms = await measure('top 100 H3_8 pairs of the year', () => ({
      filter: YEAR,
      level: 'H3_8',
      top: 100,
    }));

    // The same answers from the raw trips table.
    const rawMonth: number[] = [];
    const rawYear: number[] = [];
    const rawYearH3: number[] = [];
    const rawRepeats = Math.min(3, repeats);
    for (let i = 0; i < rawRepeats; i += 1) {
      const month = monthOf(i + 1);
      const district = districtIds[i % districtIds.length] ?? '';
      rawMonth.push(
        (
          await time(() =>
            db.raw(
              `select (select min(z::text) from unnest(end_zone_ids) z where z = any(?::uuid[])) as d,
                      count(*), avg(extract(epoch from end_time - start_time)), avg(distance_meters)
                 from trips
                where start_time >= (?::date::timestamp at time zone 'Europe/Amsterdam' + interval '2 hours')
                  and start_time < ((?::date + 1)::timestamp at time zone 'Europe/Amsterdam' + interval '2 hours')
                  and status = 'COMPLETED' and municipality_code = 'GM0363'
                  and start_zone_ids @> array[?::uuid]
                group by 1 having count(*) >= 4 order by 2 desc limit 100`,
              [districts.map((d) => d.id), month.from, month.to, district],
            ),
          )
        )[1],
      );
      rawYear.push(
        (
          await time(() =>
            db.raw(
              `select (select min(z::text) from unnest(start_zone_ids) z where z = any(?::uuid[])),
                      (select min(z::text) from unnest(end_zone_ids) z where z = any(?::uuid[])),
                      count(*), avg(extract(epoch from end_time - start_time)), avg(distance_meters)
                 from trips
                where start_time >= '2025-01-01 02:00 Europe/Amsterdam'
                  and start_time < '2026-01-01 02:00 Europe/Amsterdam'
                  and status = 'COMPLETED' and municipality_code = 'GM0363'
                group by 1, 2 having count(*) >= 4 order by 3 desc limit 100`,
              [districts.map((d) => d.id), districts.map((d) => d.id)],
            ),
          )
        )[1],
      );
      rawYearH3.push(
        (
          await time(() =>
            db.raw(
              `select start_h3_cell, end_h3_cell, count(*),
                      avg(extract(epoch from end_time - start_time)), avg(distance_meters)
                 from trips
                where start_time >= '2025-01-01 02:00 Europe/Amsterdam'
                  and start_time < '2026-01-01 02:00 Europe/Amsterdam'
                  and status = 'COMPLETED' and municipality_code = 'GM0363'
                group by 1, 2 having count(*) >= 4 order by 3 desc limit 100`,
            ),
          )
        )[1],
      );
      log(
        `raw: month ${Math.round(rawMonth.at(-1) ?? 0)} ms, year districts ${Math.round(rawYear.at(-1) ?? 0)} ms, year H3 ${Math.round(rawYearH3.at(-1) ?? 0)} ms`,
      );
    }
    await server.stop();

    const p = (values: number[], q: number) => Math.round(percentile(values, q) * 10) / 10;
    const figures = {
      bench: 'od',
      trips: tripCount,
      districts: districts.length,
      generate_s: Math.round(generateMs / 1000),
      blocks: year.blocks,
      od_flows_rows: rowsAfterYear,
      block_ms: p(blockMs, 50),
      block_p95_ms: p(blockMs, 95),
      block_max_ms: p(blockMs, 100),
      year_job_ms: Math.round(yearMs),
      year_job_per_block_ms: Math.round((yearMs / Math.max(1, year.blocks)) * 10) / 10,
      hourly_run_nothing_due_ms: Math.round(hourlyMs),
      od_month_district_p50_ms: p(monthMs, 50),
      od_month_district_p95_ms: p(monthMs, 95),
      od_top100_year_p50_ms: p(yearDistrictMs, 50),
      od_top100_year_p95_ms: p(yearDistrictMs, 95),
      od_top100_year_h3_8_p50_ms: p(yearH3Ms, 50),
      od_top100_year_h3_8_p95_ms: p(yearH3Ms, 95),
      raw_month_district_p50_ms: p(rawMonth, 50),
      raw_top100_year_p50_ms: p(rawYear, 50),
      raw_top100_year_h3_8_p50_ms: p(rawYearH3, 50),
      raw_ratio: Math.round((percentile(rawYear, 50) / percentile(yearDistrictMs, 50)) * 10) / 10,
      raw_ratio_month_district:
        Math.round((percentile(rawMonth, 50) / percentile(monthMs, 50)) * 10) / 10,
      raw_ratio_top100_year_h3_8:
        Math.round((percentile(rawYearH3, 50) / percentile(yearH3Ms, 50)) * 10) / 10,
      cpus: cpus().length,
      load_avg_1m: Math.round(loadavg()[0]! * 100) / 100,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await pubsub.close();
    await database.close();
  }
}

runBench(main);

/**
 * `npm run bench:report`: the nightly report for one day of a municipality with 300 zones x 10
 * operators x 4 form factors. The day's park events, trips and non-operational periods (100 000
 * vehicles by default, each rented three times that day, some parked or broken for weeks) are
 * generated straight into the tables, then `daily_report` computes the day, twice (the second
 * replaces the first's rows). PostgreSQL is DATABASE_URL's server (a new database on it), else an
 * embedded one. Progress on stderr; the last stdout line is one JSON object with `daily_report_ms`.
 *
 * `benchDailyReport(db)` is exported for `npm run bench:series`, which reports it with the series.
 */
import { availableParallelism, loadavg } from 'node:os';
import pino from 'pino';
import { computeDailyReport } from '../jobs/dailyReport/compute';
import { loadConfig } from '../lib/config';
import { openBenchDatabase } from './database';
import { type Db } from '../lib/db';
import { zonedInstant } from '../lib/domain/calendar';
import { migrateLatest } from '../lib/migrate';
import { numberOption, runBench } from './cli';

const TIME_ZONE = 'Europe/Amsterdam';
const FORM_FACTORS = ['BICYCLE', 'MOPED', 'SCOOTER_STANDING', 'CARGO_BICYCLE'];

export interface DailyReportBenchOptions {
  zones?: number;
  operators?: number;
  vehicles?: number;
  day?: string;
  progress?: (message: string) => void;
}

export interface DailyReportBenchFigures {
  zones: number;
  operators: number;
  form_factors: number;
  vehicles: number;
  park_events: number;
  trips: number;
  report_rows: number;
  generate_ms: number;
  daily_report_ms: number;
  daily_report_rerun_ms: number;
}

/** A stable pseudo-random number in [0, 1) from a row's numbers, computed by PostgreSQL. */
const rnd = (expr: string) => `((hashtext(${expr}) & 1048575) / 1048576.0)`;

/**
 * Generates one day (`day`, local) into `db`, which must be migrated and otherwise empty of these
 * zones, then times the report of that day.
 */
export async function benchDailyReport(
  db: Db,
  options: DailyReportBenchOptions = {},
): Promise<DailyReportBenchFigures> {
  const zones = options.zones ?? 300;
  const operators = options.operators ?? 10;
  const vehicles = options.vehicles ?? 100_000;
  const day = options.day ?? '2026-11-02';
  const progress = options.progress ?? (() => undefined);
  const dayStart = zonedInstant(day, '00:00', TIME_ZONE);
  const generateStarted = performance.now();

  for (const table of ['park_events', 'trips', 'rentals', 'non_operational_periods']) {
    await db.raw(`select ensure_monthly_partitions(?, ?::timestamptz - interval '2 months', 4)`, [
      table,
      dayStart,
    ]);
  }
  progress(`zones: ${zones} neighbourhoods in one municipality`);
  await db.raw(
    `insert into zones (code, name, kind, municipality_code, geometry, min_lng, min_lat, max_lng, max_lat, area_km2)
     select 'BU9999' || lpad(i::text, 4, '0'), 'Bench zone ' || i, 'NEIGHBOURHOOD', 'GM9999',
            json_build_object('type', 'Polygon', 'coordinates', json_build_array(json_build_array(
              json_build_array(4.8 + i * 0.001, 52.3), json_build_array(4.801 + i * 0.001, 52.3),
              json_build_array(4.801 + i * 0.001, 52.301), json_build_array(4.8 + i * 0.001, 52.3))))::jsonb,
            4.8 + i * 0.001, 52.3, 4.801 + i * 0.001, 52.301, 0.01
       from generate_series(1, ?) as i`,
    [zones],
  );
  await db.raw(
    `insert into zones (code, name, kind, municipality_code, geometry, min_lng, min_lat, max_lng, max_lat, area_km2)
     values ('GM9999', 'Bench municipality', 'MUNICIPALITY', 'GM9999',
             '{"type":"Polygon","coordinates":[[[4.8,52.3],[5.2,52.3],[5.2,52.4],[4.8,52.3]]]}', 4.8, 52.3, 5.2, 52.4, 30)`,
  );
  await db.raw(`create temporary table bench_zones as
    select row_number() over (order by code) - 1 as i, id from zones where code like 'BU9999%'`);
  const municipality = (await db('zones').where({ code: 'GM9999' }).first<{ id: string }>('id')).id;

  // Per vehicle: three trips that day (at about 06:00, 12:00 and 18:00 plus up to an hour, 20
  // minutes each), four park events around them (the first began up to 20 days earlier), each in
  // a zone of its own.
  const vehicle = `
    select v, 'op' || (v % ${operators}) as operator_id,
           (array['${FORM_FACTORS.join("','")}'])[1 + (v / ${operators}) % 4] as form_factor,
           ?::timestamptz as d
      from generate_series(1, ${vehicles}) as v`;
  const tripStart = (k: string) =>
    `d + make_interval(hours => 6 * ${k}) + make_interval(secs => 3600 * ${rnd(`v::text || 'a' || ${k}`)})`;
  const zoneOf = (k: string) => `(v * 7 + ${k} * 13) % ${zones}`;
  progress(`park events: ${vehicles * 4} (${vehicles} vehicles)`);
  await db.raw(
    `insert into park_events (id, feed_id, operator_id, vehicle_id, form_factor, lat, lng, h3_cell,
                              zone_ids, municipality_code, start_time, end_time, end_reason)
     select gen_random_uuid(), '00000000-0000-4000-8000-000000000000', operator_id, 'v' || v,
            form_factor, 52.3, 4.9, 'bench', array[z.id, ?::uuid], 'GM9999',
            case when k = 0 then d - make_interval(secs => 20 * 86400 * ${rnd(`v::text || 'p'`)})
                 else ${tripStart('k')} + interval '20 minutes' end,
            case when k = 3 then null else ${tripStart('k + 1')} end,
            case when k = 3 then null else 'RENTAL' end
       from (${vehicle}) as x cross join generate_series(0, 3) as k
       join bench_zones z on z.i = ${zoneOf('k')}`,
    [municipality, dayStart],
  );
  progress(`trips: ${vehicles * 3}`);
  await db.raw(
    `insert into trips (id, feed_id, operator_id, vehicle_id, form_factor, source, status,
                        start_time, end_time, start_lat, start_lng, end_lat, end_lng,
                        start_h3_cell, end_h3_cell, start_zone_ids, end_zone_ids,
                        municipality_code, end_municipality_code, distance_meters)
     select gen_random_uuid(), '00000000-0000-4000-8000-000000000000', operator_id, 'v' || v,
            form_factor, 'INFERRED', 'COMPLETED', ${tripStart('k')},
            ${tripStart('k')} + interval '20 minutes', 52.3, 4.9, 52.31, 4.91, 'bench', 'bench',
            array[zs.id, ?::uuid], array[ze.id, ?::uuid], 'GM9999', 'GM9999', 1500
       from (${vehicle}) as x cross join generate_series(1, 3) as k
       join bench_zones zs on zs.i = ${zoneOf('k - 1')}
       join bench_zones ze on ze.i = ${zoneOf('k')}`,
    [municipality, municipality, dayStart],
  );
  progress('non-operational periods: one vehicle in 50, broken for up to 20 days');
  await db.raw(
    `insert into non_operational_periods (id, feed_id, operator_id, vehicle_id, form_factor, lat,
                                          lng, zone_ids, municipality_code, start_time)
     select gen_random_uuid(), '00000000-0000-4000-8000-000000000000', operator_id, 'v' || v,
            form_factor, 52.3, 4.9, array[z.id, ?::uuid], 'GM9999',
            d - make_interval(secs => 20 * 86400 * ${rnd(`v::text || 'n'`)})
       from (${vehicle}) as x join bench_zones z on z.i = ${zoneOf('0')}
      where v % 50 = 0`,
    [municipality, dayStart],
  );
  await db.raw('analyze');
  const generateMs = performance.now() - generateStarted;

  progress(`daily_report for ${day} (${TIME_ZONE})`);
  let started = performance.now();
  const rows = await computeDailyReport(db, day, TIME_ZONE);
  const reportMs = performance.now() - started;
  progress(`  ${rows} rows in ${Math.round(reportMs)} ms; again (replaces the day's rows)`);
  started = performance.now();
  await computeDailyReport(db, day, TIME_ZONE);
  const rerunMs = performance.now() - started;

  const count = async (table: string) =>
    Number((await db(table).count<{ n: string }[]>({ n: '*' }))[0]?.n ?? 0);
  return {
    zones,
    operators,
    form_factors: FORM_FACTORS.length,
    vehicles,
    park_events: await count('park_events'),
    trips: await count('trips'),
    report_rows: rows,
    generate_ms: Math.round(generateMs),
    daily_report_ms: Math.round(reportMs),
    daily_report_rerun_ms: Math.round(rerunMs),
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openBenchDatabase(config, 'report', 4);
  const { db } = database;
  try {
    await migrateLatest(db, pino({ level: 'silent' }));
    const figures = await benchDailyReport(db, {
      zones: numberOption('--zones', 300),
      operators: numberOption('--operators', 10),
      vehicles: numberOption('--vehicles', 100_000),
      progress: (message) => process.stderr.write(`${message}\n`),
    });
    const result = {
      ...figures,
      target_daily_report_ms: 60_000,
      cpu_count: availableParallelism(),
      load_1m: Number(loadavg()[0]?.toFixed(2)),
    };
    process.stdout.write(
      `daily report, one day: ${figures.zones} zones x ${figures.operators} operators x ${figures.form_factors} form factors, ${figures.vehicles} vehicles, ${figures.park_events} park events, ${figures.trips} trips\n`,
    );
    process.stdout.write(
      `report ${figures.daily_report_ms} ms (rerun ${figures.daily_report_rerun_ms} ms), ${figures.report_rows} rows; generating took ${figures.generate_ms} ms\n`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  runBench(main);
}

import type { Knex } from 'knex';

import { FORM_FACTORS as FORM_FACTOR_LIST } from '../lib/domain/formFactors';
import { COMBINED, HUB_CONTROLS, HUB_STATUS_REASONS } from '../lib/domain/hubs/model';
import { quotedList } from '../lib/sql/values';

const FORM_FACTORS = quotedList(FORM_FACTOR_LIST);
const REASONS = quotedList(HUB_STATUS_REASONS);

export async function up(knex: Knex): Promise<void> {
  // One row per hub; its area is the zone with the same id (kind HUB).
  await knex.raw(`
    create table hubs (
      id uuid primary key references zones (id) on delete cascade,
      municipality_code text not null,
      owner_organisation_id uuid references organisations (id),
      -- The point of a point hub, the centre of a polygon hub's bounding box otherwise.
      center_lat double precision not null,
      center_lng double precision not null,
      -- Point hubs only: the zone's geometry is the circle with this radius around the centre.
      radius_meters double precision check (radius_meters > 0),
      buffer_meters double precision not null default 30 check (buffer_meters >= 0),
      -- {"COMBINED": 20} or places per form factor, {"BICYCLE": 12, "MOPED": 4}.
      capacity jsonb not null check (jsonb_typeof(capacity) = 'object'),
      -- With a combined capacity: the form factors that count (null: every form factor).
      combined_form_factors text[] check (combined_form_factors <@ array[${FORM_FACTORS}]),
      control text not null default 'AUTOMATIC'
        check (control in (${quotedList(HUB_CONTROLS)})),
      effective_from timestamptz not null default now(),
      retire_at timestamptz,
      -- Bumped by every edit: the controller writes a status only for the revision it counted.
      revision bigint not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (retire_at is null or retire_at > effective_from)
    );
    create index hubs_municipality on hubs (municipality_code);`);

  // The current status per hub and form factor (or COMBINED). `version` is bumped by every write:
  // writers compare-and-set on it, so two controllers can't both record one change.
  await knex.raw(`
    create table hub_status (
      hub_id uuid not null references hubs (id) on delete cascade,
      form_factor text not null check (form_factor in (${FORM_FACTORS}, '${COMBINED}')),
      vehicles integer not null check (vehicles >= 0),
      vehicles_available integer not null check (vehicles_available >= 0),
      capacity integer not null check (capacity >= 0),
      places_available integer not null check (places_available >= 0),
      open boolean not null,
      reason text not null check (reason in (${REASONS})),
      since timestamptz not null,
      -- When these figures were recorded (the controller writes a row only when it changed).
      updated_at timestamptz not null,
      -- Vehicles per form factor: {"BICYCLE": [counted, rentable]}.
      breakdown jsonb not null default '{}',
      version bigint not null default 1,
      primary key (hub_id, form_factor)
    )`);

  // Every change of a status (opened, closed, appeared, removed).
  await knex.raw(`
    create table hub_status_history (
      id bigserial primary key,
      hub_id uuid not null references hubs (id) on delete cascade,
      form_factor text not null,
      open boolean not null,
      reason text not null check (reason in (${REASONS})),
      vehicles integer not null,
      capacity integer not null,
      places_available integer not null,
      at timestamptz not null
    );
    create index hub_status_history_hub on hub_status_history (hub_id, at desc, id desc);`);

  // One row: when the controller last counted, and the last import tick that triggered it.
  await knex.raw(`
    create table hub_controller_state (
      id boolean primary key default true check (id),
      last_tick_at timestamptz,
      last_import_at timestamptz,
      hubs integer not null default 0,
      vehicles integer not null default 0,
      duration_ms integer not null default 0
    );
    insert into hub_controller_state (id) values (true);`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['hub_controller_state', 'hub_status_history', 'hub_status', 'hubs']) {
    await knex.schema.dropTable(table);
  }
}

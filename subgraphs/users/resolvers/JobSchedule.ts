import type { JobScheduleResolvers } from '../__generated__/resolvers-types';

export const JobSchedule: JobScheduleResolvers = {
  intervalMs: (s) => s.interval_ms,
  timeZone: (s) => s.time_zone,
  paused: (s) => !s.enabled,
  nextRunAt: (s) => (s.enabled ? s.next_run_at : null),
  lastTickAt: (s) => s.last_tick_at,
  lastRun: (s, _args, { loaders }) => loaders.lastJobRun.load(s.name),
  runRequested: (s) => s.run_requested_at !== null,
  updatedAt: (s) => s.updated_at,
  changedBy: (s) => s.changed_by,
};

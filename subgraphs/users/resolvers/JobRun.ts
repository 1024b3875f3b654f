import type { JobRunResolvers } from '../__generated__/resolvers-types';

export const JobRun: JobRunResolvers = {
  scheduleName: (r) => r.schedule_name,
  tickAt: (r) => r.tick_at,
  status: (r) => r.status.toUpperCase() as 'RUNNING' | 'SUCCEEDED' | 'FAILED',
  startedAt: (r) => r.started_at,
  finishedAt: (r) => r.finished_at,
  durationMs: (r) => (r.finished_at ? r.finished_at.getTime() - r.started_at.getTime() : null),
  workerId: (r) => r.worker_id,
};

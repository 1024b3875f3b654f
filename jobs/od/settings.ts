import type { Config } from '../../lib/config';

export interface OdSettings {
  /** k: units of fewer trips are not published. */
  minCount: number;
  /** The blocks' time zone of municipalities without one of their own (and of trips outside any). */
  defaultTimeZone: string;
  /** Municipalities (CBS code) whose blocks follow another time zone. */
  municipalityTimeZones: Readonly<Record<string, string>>;
  catchUpDays: number;
  maxBlocksPerRun: number;
}

export function odSettings(config: Config): OdSettings {
  return {
    minCount: config.OD_MIN_COUNT,
    defaultTimeZone: config.OD_TIME_ZONE,
    municipalityTimeZones: config.OD_MUNICIPALITY_TIME_ZONES,
    catchUpDays: config.OD_CATCH_UP_DAYS,
    maxBlocksPerRun: config.OD_MAX_BLOCKS_PER_RUN,
  };
}

import { channels } from '../domain/channels';
import type { IndexedZone } from '../domain/zones';
import type { ZoneStore } from '../domain/zoneStore';
import type { Logger } from '../logger';
import { type PubSub } from '../pubsub';
import { SpatialIndex } from './spatialIndex';

/**
 * The in-memory spatial index of every zone, kept current: rebuilt when a `zones.changed` event
 * arrives and, as a safety net for missed events, when a periodic version check sees a change.
 */
export class LiveZoneIndex {
  private index: SpatialIndex<IndexedZone> | undefined;
  private version: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly repository: ZoneStore,
    private readonly pubsub: PubSub,
    private readonly logger: Logger,
    private readonly checkIntervalMs: number,
  ) {}

  async start(): Promise<void> {
    await this.refresh(true);
    this.unsubscribe = await this.pubsub.subscribe(channels.zonesChanged, () => {
      void this.refresh(false);
    });
    this.timer = setInterval(() => void this.refresh(false), this.checkIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unsubscribe?.();
    await this.refreshing;
  }

  get current(): SpatialIndex<IndexedZone> {
    if (!this.index) throw new Error('zone index not loaded');
    return this.index;
  }

  get isLoaded(): boolean {
    return this.index !== undefined;
  }

  /** Rebuilds if the zones changed; concurrent calls share one rebuild. Only rejects when `strict`. */
  refresh(strict: boolean): Promise<void> {
    this.refreshing ??= this.rebuildIfChanged().finally(() => {
      this.refreshing = undefined;
    });
    return strict
      ? this.refreshing
      : this.refreshing.catch((err: unknown) =>
          this.logger.warn({ err }, 'zone index refresh failed; keeping the previous index'),
        );
  }

  private async rebuildIfChanged(): Promise<void> {
    const version = await this.repository.version();
    if (version === this.version && this.index) return;
    const started = performance.now();
    const index = new SpatialIndex(await this.repository.forIndex());
    this.index = index;
    this.version = version;
    this.logger.info(
      { zones: index.size, ms: Math.round(performance.now() - started) },
      'zone index rebuilt',
    );
  }
}

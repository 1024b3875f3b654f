import { createHmac } from 'node:crypto';
import type { HmacPads } from './repository';

const SHA256_BLOCK_BYTES = 64;
const PURPOSE = 'availableVehicles.id';

/**
 * The ids of `availableVehicles` are HMAC-SHA256(key, park event id), cut to 128 bits. The key is
 * derived from the server's secret, so replicas agree and no one without it can link an id to a
 * park event or a vehicle. SQL computes the HMAC (to order and page by the id) from the padded
 * inner and outer keys: HMAC(k, m) = H((k ^ opad) || H((k ^ ipad) || m)) (RFC 2104).
 */
export function createAvailableIdPads(serverSecret: string): HmacPads {
  const key = createHmac('sha256', serverSecret).update(PURPOSE).digest();
  const block = Buffer.alloc(SHA256_BLOCK_BYTES);
  key.copy(block);
  return {
    inner: Buffer.from(block.map((byte) => byte ^ 0x36)),
    outer: Buffer.from(block.map((byte) => byte ^ 0x5c)),
  };
}

/** The same id computed here: what SQL must produce for a park event. */
export function availableVehicleId(serverSecret: string, parkEventId: string): string {
  const key = createHmac('sha256', serverSecret).update(PURPOSE).digest();
  return createHmac('sha256', key).update(parkEventId).digest('hex').slice(0, 32);
}

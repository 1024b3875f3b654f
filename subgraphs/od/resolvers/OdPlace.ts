import { cellToBoundary } from 'h3-js';
import { OUTSIDE } from '../../../lib/domain/od';
import type { OdPlaceResolvers } from '../__generated__/resolvers-types';

const isCellLevel = (level: string) => level === 'H3_7' || level === 'H3_8';

export const OdPlace: OdPlaceResolvers = {
  zone: (place) => (isCellLevel(place.level) || place.id === OUTSIDE ? null : { id: place.id }),
  outline: (place) =>
    isCellLevel(place.level)
      ? { type: 'Polygon', coordinates: [cellToBoundary(place.id, true)] }
      : null,
};

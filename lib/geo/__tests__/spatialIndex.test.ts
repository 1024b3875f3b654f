import { SpatialIndex } from '../spatialIndex';
import { GeometryError, parseAreaGeometry, type AreaGeometry } from '../geometry';

const square = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

// A 10x10 square with a 2x2 hole in the middle, and an island of two parts.
const withHole: AreaGeometry = {
  type: 'Polygon',
  coordinates: [square(0, 0, 10, 10), square(4, 4, 6, 6)],
};
const islands: AreaGeometry = {
  type: 'MultiPolygon',
  coordinates: [[square(20, 0, 22, 2)], [square(30, 0, 32, 2)]],
};
const inHole: AreaGeometry = { type: 'Polygon', coordinates: [square(4.5, 4.5, 5.5, 5.5)] };

const index = new SpatialIndex([
  { id: 'donut', kind: 'MUNICIPALITY', geometry: withHole },
  { id: 'islands', kind: 'MUNICIPALITY', geometry: islands },
  { id: 'enclave', kind: 'CUSTOM', geometry: inHole },
  {
    id: 'district',
    kind: 'DISTRICT',
    geometry: { type: 'Polygon', coordinates: [square(1, 1, 3, 3)] },
  },
]);

const ids = (lng: number, lat: number, kind?: 'MUNICIPALITY' | 'DISTRICT' | 'CUSTOM') =>
  index.containing(lng, lat, (a) => kind === undefined || a.kind === kind).map((a) => a.id);

describe('SpatialIndex', () => {
  it('finds a point inside a polygon', () => {
    expect(ids(8, 8)).toEqual(['donut']);
  });

  it('does not count a point in a hole as inside', () => {
    expect(ids(4.2, 4.2)).toEqual([]);
    expect(ids(5, 5)).toEqual(['enclave']);
  });

  it('finds every part of a MultiPolygon and nothing between the parts', () => {
    expect(ids(21, 1)).toEqual(['islands']);
    expect(ids(31, 1)).toEqual(['islands']);
    expect(ids(26, 1)).toEqual([]);
  });

  it('puts the smallest containing area first and filters by kind', () => {
    expect(ids(2, 2)).toEqual(['district', 'donut']);
    expect(ids(2, 2, 'MUNICIPALITY')).toEqual(['donut']);
  });

  it('returns nothing outside every bounding box', () => {
    expect(ids(-50, 60)).toEqual([]);
  });
});

describe('parseAreaGeometry', () => {
  it('names the first bad position', () => {
    expect(() =>
      parseAreaGeometry({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 95],
            [0, 0],
          ],
        ],
      }),
    ).toThrow('geometry.coordinates[0][2]: position [1, 95] is out of range');
  });

  it('rejects open rings, other types and null', () => {
    expect(() =>
      parseAreaGeometry({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      }),
    ).toThrow(/must be closed/);
    expect(() => parseAreaGeometry({ type: 'Point', coordinates: [0, 0] })).toThrow(GeometryError);
    expect(() => parseAreaGeometry(null)).toThrow(/expected a GeoJSON/);
  });
});

import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** Output-only JSON object scalar for GeoJSON geometries. */
export const GeoJSON = new GraphQLScalarType({
  name: 'GeoJSON',
  description: 'A GeoJSON geometry object (RFC 7946) in WGS84.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'object' || value === null) {
      throw new GraphQLError('GeoJSON must be an object with "type" and "coordinates"');
    }
    return value;
  },
  parseLiteral: (ast) => {
    throw new GraphQLError(
      `GeoJSON literals are not supported (got ${ast.kind === Kind.OBJECT ? 'an object' : ast.kind}); pass geometry as a variable`,
    );
  },
});

import { GraphQLError, GraphQLScalarType } from 'graphql';

/**
 * A series column as one value: an array of numbers and nulls, written as it is. graphql-js and
 * the gateway treat a scalar as a leaf, so a column of 364 days costs them one value, not 364
 * list items. Output only.
 */
export const SeriesColumn = new GraphQLScalarType<(number | null)[], (number | null)[]>({
  name: 'SeriesColumn',
  serialize: (value) => {
    if (!Array.isArray(value)) throw new GraphQLError('SeriesColumn must be an array');
    return value as (number | null)[];
  },
  parseValue: () => {
    throw new GraphQLError('SeriesColumn is output only');
  },
  parseLiteral: () => {
    throw new GraphQLError('SeriesColumn is output only');
  },
});

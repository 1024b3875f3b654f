import { parseId } from '../../../lib/ids';
import { decodeCursor, pageSize, toConnection } from '../../../lib/pagination';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import { parseHubFilter } from '../input';

export const Query: QueryResolvers = {
  async hubs(_parent, { filter, first, after }, { reader }) {
    const size = pageSize(first, { defaultSize: 50, maxSize: 500 });
    const keyset = after ? decodeCursor(after, 2) : undefined;
    const { rows, totalCount } = await reader.page(parseHubFilter(filter), size + 1, keyset);
    return toConnection(rows, size, (hub) => [hub.name, hub.id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },

  hub(_parent, { id }, { loaders }) {
    return loaders.hubById.load(parseId(id, 'id', 'hub'));
  },
};

/**
 * The four subgraphs of the public community federation benchmark (accounts, inventory, products,
 * reviews) and its nested query, written here from the benchmark's published description: small
 * in-memory subgraphs on plain `@apollo/subgraph` schemas, the same for every gateway the bench
 * compares (no scope header, nothing of this product's).
 */
import { createServer, type Server } from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import {
  execute,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
} from 'graphql';
import { listen } from '../../lib/http';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable"])';

const ACCOUNTS_SDL = `${LINK}
type Query { me: User user(id: ID!): User users: [User] }
type User @key(fields: "id") { id: ID! name: String username: String @shareable birthday: Int }
`;

const INVENTORY_SDL = `${LINK}
type Product @key(fields: "upc") {
  upc: String!
  weight: Int @external
  price: Int @external
  inStock: Boolean
  shippingEstimate: Int @requires(fields: "price weight")
}
`;

const PRODUCTS_SDL = `${LINK}
type Query { topProducts(first: Int = 5): [Product] }
type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }
`;

const REVIEWS_SDL = `${LINK}
type Review @key(fields: "id") {
  id: ID!
  body: String
  author: User @provides(fields: "username")
  product: Product
}
type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
type Product @key(fields: "upc") { upc: String! reviews: [Review] }
`;

interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}
interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
interface Review {
  id: string;
  authorId: string;
  upc: string;
  body: string;
}

/** Four users, five products, two reviews by each user: every hop does some work, none dominates. */
const USERS: User[] = Array.from({ length: 4 }, (_, i) => ({
  id: String(i + 1),
  name: `User ${i + 1}`,
  username: `@user${i + 1}`,
  birthday: 1_000_000 + i,
}));
const PRODUCTS: Product[] = Array.from({ length: 5 }, (_, i) => ({
  upc: String(i + 1),
  name: `Product ${i + 1}`,
  price: 100 * (i + 1),
  weight: 10 + i,
}));
const REVIEWS: Review[] = USERS.flatMap((user, u) =>
  [0, 1].map((k) => ({
    id: String(u * 2 + k + 1),
    authorId: user.id,
    upc: String(((u + k * 3) % PRODUCTS.length) + 1),
    body: `Review ${u * 2 + k + 1} by ${user.username}`,
  })),
);
const IN_STOCK = new Set(['1', '2', '4']);

const usersById = new Map(USERS.map((u) => [u.id, u]));
const productsByUpc = new Map(PRODUCTS.map((p) => [p.upc, p]));

const accounts: GraphQLResolverMap<unknown> = {
  Query: {
    me: () => USERS[0],
    user: (_: unknown, { id }: { id: string }) => usersById.get(id) ?? null,
    users: () => USERS,
  },
  User: {
    __resolveReference: ({ id }: { id: string }) => usersById.get(id) ?? null,
  },
};

const inventory: GraphQLResolverMap<unknown> = {
  Product: {
    __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({
      ...ref,
      inStock: IN_STOCK.has(ref.upc),
    }),
    shippingEstimate: ({ price, weight }: { price?: number; weight?: number }) =>
      price === undefined || weight === undefined
        ? null
        : price > 1000
          ? 0
          : Math.round(weight / 2),
  },
};

const products: GraphQLResolverMap<unknown> = {
  Query: {
    topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first),
  },
  Product: {
    __resolveReference: ({ upc }: { upc: string }) => productsByUpc.get(upc) ?? null,
  },
};

const reviews: GraphQLResolverMap<unknown> = {
  Review: {
    __resolveReference: ({ id }: { id: string }) => REVIEWS.find((r) => r.id === id) ?? null,
    author: (review: Review) => {
      const user = usersById.get(review.authorId);
      return user ? { __typename: 'User', id: user.id, username: user.username } : null;
    },
    product: (review: Review) => ({ __typename: 'Product', upc: review.upc }),
  },
  User: {
    reviews: ({ id }: { id: string }) => REVIEWS.filter((r) => r.authorId === id),
  },
  Product: {
    reviews: ({ upc }: { upc: string }) => REVIEWS.filter((r) => r.upc === upc),
  },
};

export const COMMUNITY_SUBGRAPHS = [
  { name: 'accounts', sdl: ACCOUNTS_SDL, resolvers: accounts },
  { name: 'inventory', sdl: INVENTORY_SDL, resolvers: inventory },
  { name: 'products', sdl: PRODUCTS_SDL, resolvers: products },
  { name: 'reviews', sdl: REVIEWS_SDL, resolvers: reviews },
] as const;

/** The benchmark's query: two roots, every subgraph, entities four levels deep. */
export const COMMUNITY_QUERY = `
fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery($first: Int) {
  users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
  topProducts(first: $first) { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
}
`;

export interface RunningSubgraph {
  name: string;
  sdl: string;
  url: string;
  stop(): Promise<void>;
}

/** Parsed and validated once per query text: a gateway sends the same few texts over and over. */
const MAX_DOCUMENTS = 1000;

interface GraphQLBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/**
 * One subgraph on a loopback port: `@apollo/subgraph`'s schema executed by graphql-js behind a bare
 * `node:http` server, each query text parsed and validated once. Deliberately lean: the bench
 * measures gateways, and a heavy subgraph (Apollo Server on Express costs several times more per
 * request) would cap every gateway at the same figure. The public benchmark uses compiled
 * subgraphs for the same reason.
 */
async function startPlainSubgraph(
  name: string,
  sdl: string,
  resolvers: GraphQLResolverMap<unknown>,
): Promise<RunningSubgraph> {
  const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers }]);
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const documentOf = (query: string): DocumentNode | readonly GraphQLError[] => {
    let document = documents.get(query);
    if (document === undefined) {
      try {
        const parsed = parse(query);
        const errors = validate(schema, parsed);
        document = errors.length > 0 ? errors : parsed;
      } catch (err) {
        document = [err instanceof GraphQLError ? err : new GraphQLError(String(err))];
      }
      if (documents.size >= MAX_DOCUMENTS) documents.clear();
      documents.set(query, document);
    }
    return document;
  };
  const answer = async (text: string): Promise<ExecutionResult> => {
    const { query, variables, operationName } = JSON.parse(text) as GraphQLBody;
    if (typeof query !== 'string') return { errors: [new GraphQLError('no query')] };
    const document = documentOf(query);
    if (!('kind' in document)) return { errors: document };
    return execute({
      schema,
      document,
      variableValues: variables as Record<string, unknown> | undefined,
      operationName: typeof operationName === 'string' ? operationName : undefined,
    });
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      answer(Buffer.concat(chunks).toString('utf8'))
        .catch((err: unknown) => ({ errors: [new GraphQLError(String(err))] }))
        .then((result) => {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(result));
        })
        .catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 60_000;
  const port = await listen(server, 0, '127.0.0.1');
  return {
    name,
    sdl,
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One of the four, by name (the bench runs each in its own process). */
export function startCommunitySubgraph(name: string): Promise<RunningSubgraph> {
  const spec = COMMUNITY_SUBGRAPHS.find((s) => s.name === name);
  if (!spec) throw new Error(`no community subgraph named ${name}`);
  return startPlainSubgraph(spec.name, spec.sdl, spec.resolvers);
}

/** A GraphQL request over HTTP, as a client would send it. */
export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export async function graphqlRequest<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** The data of a response that must have succeeded; fails the test on any error. */
export async function ok<T>(
  response: GraphQLResponse<T> | Promise<GraphQLResponse<T>>,
): Promise<T> {
  const result = await response;
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

/** The code of the first error, for tests that check it beside other details. */
export function errorCode(result: GraphQLResponse<unknown>): unknown {
  return result.errors?.[0]?.extensions?.code;
}

/** Asserts the first error's code and, for bad input, the argument it names. */
export function expectError(
  result: GraphQLResponse<unknown>,
  code: string,
  argumentName?: string,
): void {
  expect(result.errors?.[0]?.extensions).toMatchObject({
    code,
    ...(argumentName ? { argumentName } : {}),
  });
}

/** A Relay connection as the subgraphs page their lists. */
export interface Connection<T> {
  totalCount: number;
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

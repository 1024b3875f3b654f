import { join } from 'node:path';

/**
 * The subgraphs that make up the supergraph: name, the port it listens on by default (the URL
 * written into the composed supergraph) and its SDL. Compose, codegen and the runners read this.
 */
export const SUBGRAPHS = [
  {
    name: 'zones',
    port: 4001,
    schemaPath: join(__dirname, '..', 'subgraphs', 'zones', 'schema.graphql'),
  },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export function isSubgraphName(name: string): name is SubgraphName {
  return SUBGRAPHS.some((s) => s.name === name);
}

export function defaultSubgraphUrl(name: SubgraphName): string {
  const entry = SUBGRAPHS.find((s) => s.name === name);
  if (!entry) throw new Error(`unknown subgraph ${name}`);
  return `http://localhost:${entry.port}/graphql`;
}

import { join } from 'node:path';

/**
 * The subgraphs that make up the supergraph: name, the port it listens on by default (the URL
 * written into the composed supergraph) and its SDL. Compose, codegen and the runners read this.
 */
const sdl = (name: string): string => join(__dirname, '..', 'subgraphs', name, 'schema.graphql');

/** Default ports: zones 4001, vehicles 4002, trips 4003, microhubs 4004, od 4005, users 4006. */
export const SUBGRAPHS = [
  { name: 'zones', port: 4001, schemaPath: sdl('zones') },
  { name: 'vehicles', port: 4002, schemaPath: sdl('vehicles') },
  { name: 'trips', port: 4003, schemaPath: sdl('trips') },
  { name: 'users', port: 4006, schemaPath: sdl('users') },
  { name: 'microhubs', port: 4004, schemaPath: sdl('microhubs') },
  { name: 'od', port: 4005, schemaPath: sdl('od') },
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

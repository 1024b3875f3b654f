import { Kind, parse, type ConstDirectiveNode, type DefinitionNode } from 'graphql';

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

const GRAPH_ENUM = 'join__Graph';
const GRAPH_DIRECTIVE = 'join__graph';

/**
 * The subgraphs a composed supergraph routes to, read from its `join__Graph` enum
 * (`ZONES @join__graph(name: "zones", url: "...")`), with `overrides` replacing their URLs.
 */
export function listSubgraphs(
  supergraphSdl: string,
  overrides: Record<string, string> = {},
): SubgraphEndpoint[] {
  const graphEnum = parse(supergraphSdl).definitions.find(isGraphEnum);
  const values = graphEnum?.values ?? [];
  return values.flatMap((value) => {
    const directive = value.directives?.find((d) => d.name.value === GRAPH_DIRECTIVE);
    const name = directive && stringArgument(directive, 'name');
    if (!name) return [];
    const url = overrides[name] ?? (directive && stringArgument(directive, 'url'));
    return url ? [{ name, url }] : [];
  });
}

function isGraphEnum(
  definition: DefinitionNode,
): definition is Extract<DefinitionNode, { kind: Kind.ENUM_TYPE_DEFINITION }> {
  return definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === GRAPH_ENUM;
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const argument = directive.arguments?.find((a) => a.name.value === name);
  return argument?.value.kind === Kind.STRING ? argument.value.value : undefined;
}

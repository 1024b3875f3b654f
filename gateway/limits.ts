import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type ParseOptions, type ValidationRule } from 'graphql';
import { ErrorCode } from '../lib/errors';

/** The largest `first` any list takes (a page of zones, hubs, trips). */
const MAX_PAGE_SIZE = 500;

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxDirectives: number;
}

/**
 * Depth, alias, token, directive and cost limits, checked while the gateway parses and validates
 * an operation: a refused operation never reaches a subgraph. Each refusal names the limit, and
 * the value found where the library reports it (`Query depth limit of 12 exceeded, found 14.`).
 */
export function createQueryLimits(limits: QueryLimits): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
} {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    // Counted by graphql-js's own parser instead (parseOptions below): armor's token plugin throws
    // from a parsing hook whose errors Apollo Server 5 does not surface.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    // Armor's own message starts with "Syntax Error:" and does not say how cost is counted.
    costLimit: {
      maxCost: limits.maxCost,
      exposeLimits: true,
      propagateOnRejection: false,
      onReject: [
        (context, error) => {
          const found = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1];
          context?.reportError(costError(limits.maxCost, found));
        },
      ],
    },
    // Field suggestions stay on: they help third parties, and introspection is configurable anyway.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return { plugins, validationRules, parseOptions: { maxTokens: limits.maxTokens } };
}

function costError(maxCost: number, found: string | undefined): GraphQLError {
  const cost = found === undefined ? 'over' : `${Math.round(Number(found))}, over`;
  return new GraphQLError(
    `query too expensive: cost ${cost} the limit of ${maxCost} (LIMIT_MAX_COST). Every field costs ` +
      `1 (2 with a selection), times 1.5 per level, times a list's \`first\` (at most ` +
      `${MAX_PAGE_SIZE}); ask for fewer fields or a smaller \`first\`, and page with \`after\``,
    { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: maxCost } },
  );
}

import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { badUserInput } from '../lib/errors';

/** Arguments nest at most this deep (a MultiPolygon's coordinates are 4 levels). */
export const MAX_INPUT_DEPTH = 32;

/**
 * What no subgraph can take and every caller should hear about in words, checked once at the
 * gateway for every argument (literals and variables alike) before any subgraph is called:
 * NUL characters in strings (PostgreSQL refuses them), numbers that are not finite (`1e400`),
 * DateTime values that are not ISO-8601 instants, and values nested deeper than MAX_INPUT_DEPTH.
 * Each is BAD_USER_INPUT naming the argument and the path inside it.
 */
export function checkArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>>,
): GraphQLError | undefined {
  for (const { value, type, name } of argumentsOf(schema, document)) {
    const found = checkLiteral(value, type, name, variables, 0);
    if (found) return found;
  }
  for (const [name, value] of Object.entries(variables)) {
    const found = checkValue(value, undefined, `$${name}`, 0);
    if (found) return found;
  }
  return undefined;
}

interface DocumentArgument {
  value: ValueNode;
  type: GraphQLInputType | undefined;
  name: string;
}

/**
 * Every argument of a document with its type, in document order: found with one typed walk per
 * document and schema (Apollo hands the same parsed document to every request with that text), so
 * each request only checks the values.
 */
const documentArguments = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentArgument[]>>();

function argumentsOf(schema: GraphQLSchema, document: DocumentNode): DocumentArgument[] {
  let bySchema = documentArguments.get(schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    documentArguments.set(schema, bySchema);
  }
  let found = bySchema.get(document);
  if (!found) {
    const typeInfo = new TypeInfo(schema);
    const list: DocumentArgument[] = [];
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Argument(node) {
          list.push({
            value: node.value,
            type: typeInfo.getArgument()?.type,
            name: node.name.value,
          });
          return false;
        },
      }),
    );
    found = list;
    bySchema.set(document, found);
  }
  return found;
}

function checkLiteral(
  node: ValueNode,
  type: GraphQLInputType | undefined,
  path: string,
  variables: Readonly<Record<string, unknown>>,
  depth: number,
): GraphQLError | undefined {
  if (depth > MAX_INPUT_DEPTH) return tooDeep(path);
  const nullable = type && getNullableType(type);
  switch (node.kind) {
    case Kind.VARIABLE:
      return checkValue(variables[node.name.value], type, path, depth);
    case Kind.STRING:
      return checkString(node.value, nullable, path);
    case Kind.FLOAT:
    case Kind.INT:
      return Number.isFinite(Number(node.value))
        ? undefined
        : badUserInput(path, `${node.value} is not a finite number`);
    case Kind.LIST: {
      const item = nullable && isListType(nullable) ? nullable.ofType : undefined;
      for (const [i, value] of node.values.entries()) {
        const error = checkLiteral(value, item, `${path}[${i}]`, variables, depth + 1);
        if (error) return error;
      }
      return undefined;
    }
    case Kind.OBJECT: {
      const fields = nullable && isInputObjectType(nullable) ? nullable.getFields() : undefined;
      for (const field of node.fields) {
        const fieldType = fields?.[field.name.value]?.type;
        const error = checkLiteral(
          field.value,
          fieldType,
          `${path}.${field.name.value}`,
          variables,
          depth + 1,
        );
        if (error) return error;
      }
      return undefined;
    }
    case Kind.BOOLEAN:
    case Kind.ENUM:
    case Kind.NULL:
      return undefined;
  }
}

function checkValue(
  value: unknown,
  type: GraphQLInputType | undefined,
  path: string,
  depth: number,
): GraphQLError | undefined {
  if (depth > MAX_INPUT_DEPTH) return tooDeep(path);
  const nullable = type && getNullableType(type);
  if (typeof value === 'string') return checkString(value, nullable, path);
  if (value !== null && value !== undefined && isDateTime(nullable)) {
    return badUserInput(path, `${JSON.stringify(value)} is not an ISO-8601 date-time string`);
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : badUserInput(path, 'is not a finite number');
  }
  if (Array.isArray(value)) {
    const item = nullable && isListType(nullable) ? nullable.ofType : undefined;
    // A single value where a list is expected is coerced to a one-item list.
    const itemType = nullable && !isListType(nullable) ? nullable : item;
    for (const [i, inner] of value.entries()) {
      const error = checkValue(inner, itemType, `${path}[${i}]`, depth + 1);
      if (error) return error;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    const fields = nullable && isInputObjectType(nullable) ? nullable.getFields() : undefined;
    for (const [key, inner] of Object.entries(value)) {
      const error = checkValue(inner, fields?.[key]?.type, `${path}.${key}`, depth + 1);
      if (error) return error;
    }
  }
  return undefined;
}

function checkString(
  value: string,
  type: GraphQLInputType | undefined,
  path: string,
): GraphQLError | undefined {
  if (value.includes('\u0000')) return badUserInput(path, 'must not contain a NUL character');
  if (isDateTime(type) && !isInstant(value)) {
    return badUserInput(
      path,
      `${JSON.stringify(value.slice(0, 64))} is not an ISO-8601 date-time (like 2026-11-01T12:00:00Z)`,
    );
  }
  return undefined;
}

function isDateTime(type: GraphQLInputType | undefined): boolean {
  const named = type && getNamedType(type);
  return !!named && isScalarType(named) && named.name === 'DateTime';
}

/** What lib/graphql/scalars.ts DateTime accepts: a string `Date` can read, as a real instant. */
function isInstant(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(new Date(value).getTime());
}

function tooDeep(path: string): GraphQLError {
  const where = path
    .replace(/\[\d+\]/g, '')
    .split('.')
    .slice(0, 4)
    .join('.');
  return badUserInput(where, `is nested deeper than ${MAX_INPUT_DEPTH} levels`);
}

/** Runs `checkArguments` once the operation is known, against the gateway's API schema. */
export function inputGuardPlugin(): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation({ schema, document, request }) {
          const error = checkArguments(schema, document, request.variables ?? {});
          if (error) {
            error.extensions.http = { status: 400 };
            throw error;
          }
          return Promise.resolve();
        },
      }),
  };
}

import type { Knex } from 'knex';
import type { Db } from '../db';
import type { Scope } from './scope';

/**
 * Who may see the rows of a table. A row is visible when any clause matches: it is public, or its
 * municipality / operator / owning organisation is in the caller's scope. ADMIN sees everything.
 * Reference data everyone may read says so explicitly with `EVERYONE`.
 */
export type ScopeRule =
  | typeof EVERYONE
  | {
      /** Rows anyone may see, e.g. `(q) => q.whereNot('kind', 'CUSTOM')`. */
      public?: (query: Knex.QueryBuilder) => void;
      municipalityColumn?: string;
      operatorColumn?: string;
      organisationColumn?: string;
    };

export const EVERYONE = Object.freeze({ everyone: true as const });

/**
 * The only way subgraph code reads tables: every select starts from `from(table, rule)`, which has
 * the caller's scope applied already. There is no unscoped builder here, so a new query can't
 * forget the filter; writes go through `writer`, after the resolver has checked privileges.
 */
export interface ScopedDb {
  readonly scope: Scope;
  from(table: string, rule: ScopeRule): Knex.QueryBuilder;
  /** For writes (and reads inside a write transaction) after an authorization check. */
  readonly writer: Db;
}

export function applyScope(
  query: Knex.QueryBuilder,
  scope: Scope,
  rule: ScopeRule,
): Knex.QueryBuilder {
  if (scope.admin || 'everyone' in rule) return query;
  return query.where((visible) => {
    // Start from "nothing" so that a rule with no clause that applies to this scope shows nothing.
    visible.whereRaw('false');
    if (rule.public) visible.orWhere((q) => rule.public?.(q));
    if (rule.municipalityColumn && scope.municipalities.length > 0) {
      visible.orWhereIn(rule.municipalityColumn, scope.municipalities);
    }
    if (rule.operatorColumn && scope.operators.length > 0) {
      visible.orWhereIn(rule.operatorColumn, scope.operators);
    }
    if (rule.organisationColumn && scope.organisationId) {
      visible.orWhere(rule.organisationColumn, scope.organisationId);
    }
  });
}

export function createScopedDb(db: Db, scope: Scope): ScopedDb {
  return {
    scope,
    from: (table, rule) => applyScope(db(table), scope, rule),
    writer: db,
  };
}

import { forbidden } from '../errors';
/**
 * What a caller may see. The gateway resolves it once per request from the caller's credentials
 * (organisation, grants, privileges) and sends it to the subgraphs in a signed header; subgraphs
 * filter every read by it (scopedDb.ts) and check privileges before every write.
 */
export const ORGANISATION_TYPES = [
  'MUNICIPALITY',
  'OTHER_GOVERNMENT',
  'OPERATOR',
  'ADMIN',
  'OTHER_COMPANY',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const PRIVILEGES = ['ORGANISATION_ADMIN', 'MICROHUB_EDIT', 'DOWNLOAD_RAW_DATA'] as const;
export type Privilege = (typeof PRIVILEGES)[number];

export type Principal =
  | { type: 'ANONYMOUS' }
  | { type: 'USER'; userId: string; email: string }
  | { type: 'API_KEY'; apiKeyId: string }
  | { type: 'SERVICE'; name: string };

export interface Scope {
  principal: Principal;
  organisationId: string | null;
  organisationType: OrganisationType | null;
  /** Member of an ADMIN organisation: sees and may do everything. */
  admin: boolean;
  privileges: Privilege[];
  /** CBS municipality codes (GM0363) whose data the caller sees: owned plus granted. */
  municipalities: string[];
  /**
   * The municipalities the caller's organisation owns: where it may act (edit hubs, zones). A
   * data-access grant gives sight, never these rights.
   */
  ownMunicipalities: string[];
  /** Operator ids whose fleets the caller sees: owned plus granted. */
  operators: string[];
}

/** No credentials: public data only. */
export const PUBLIC_SCOPE: Scope = Object.freeze({
  principal: { type: 'ANONYMOUS' },
  organisationId: null,
  organisationType: null,
  admin: false,
  privileges: [],
  municipalities: [],
  ownMunicipalities: [],
  operators: [],
}) as Scope;

/** Internal calls between our own processes (e.g. the gateway resolving a caller's scope). */
export function serviceScope(name: string): Scope {
  return { ...PUBLIC_SCOPE, principal: { type: 'SERVICE', name }, admin: true };
}

/** The attributes of one row or object that decide who may see it. */
export interface Ownership {
  public?: boolean;
  municipality?: string | null;
  operator?: string | null;
  organisation?: string | null;
}

/** The in-memory twin of scopedDb's SQL filter, for data held outside the database. */
export function scopeAllows(scope: Scope, owner: Ownership): boolean {
  if (scope.admin || owner.public) return true;
  if (owner.municipality && scope.municipalities.includes(owner.municipality)) return true;
  if (owner.operator && scope.operators.includes(owner.operator)) return true;
  return !!owner.organisation && owner.organisation === scope.organisationId;
}

export function hasPrivilege(scope: Scope, privilege: Privilege): boolean {
  return scope.admin || scope.privileges.includes(privilege);
}

/** Platform-wide changes (organisations, operators, feeds) need an ADMIN organisation. */
export function requireAdmin(scope: Scope, action: string): void {
  if (!scope.admin) throw forbidden(`${action} needs an ADMIN organisation`);
}

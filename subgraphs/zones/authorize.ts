import { hasPrivilege, type Scope } from '../../lib/auth/scope';
import { forbidden } from '../../lib/errors';

/**
 * Importing zones needs ADMIN, or ORGANISATION_ADMIN of an organisation that owns municipalities
 * (each zone in the file must then lie in one of them: checked by the import itself).
 */
export function requireZoneImporter(scope: Scope): readonly string[] | undefined {
  if (scope.admin) return undefined;
  if (!hasPrivilege(scope, 'ORGANISATION_ADMIN') || scope.ownMunicipalities.length === 0) {
    throw forbidden(
      'importZones needs ADMIN, or ORGANISATION_ADMIN in an organisation that owns a municipality',
    );
  }
  return scope.ownMunicipalities;
}

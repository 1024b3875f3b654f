import { hasPrivilege, type Scope } from '../../lib/auth/scope';
import { forbidden } from '../../lib/errors';

/** Any hub change needs MICROHUB_EDIT (or ADMIN); checked before any input is looked up. */
export function requireMicrohubEditor(scope: Scope, action: string): void {
  if (!hasPrivilege(scope, 'MICROHUB_EDIT')) {
    throw forbidden(`${action} needs the MICROHUB_EDIT privilege`);
  }
}

/** MICROHUB_EDIT within the municipality of the hub (before and after the change), or ADMIN. */
export function requireMicrohubEdit(scope: Scope, municipalityCode: string, action: string): void {
  requireMicrohubEditor(scope, action);
  // Owned, not granted: a data-access grant lets an organisation see a municipality, not steer it.
  if (scope.admin || scope.ownMunicipalities.includes(municipalityCode)) return;
  throw forbidden(
    `${action} needs MICROHUB_EDIT in ${municipalityCode}; you may edit hubs in ${
      scope.ownMunicipalities.length > 0 ? scope.ownMunicipalities.join(', ') : 'no municipality'
    }`,
  );
}

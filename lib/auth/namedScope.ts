import { badUserInput, forbidden } from '../errors';
import { EVERYONE, type ScopedDb } from './scopedDb';

export interface NamedList {
  /** Where the list came from, as the error names it: `filter.municipalityCodes`. */
  argumentName: string;
  values: readonly string[] | undefined;
}

/**
 * Municipality codes and operator ids a caller names in a filter: an unknown one is
 * BAD_USER_INPUT, one whose data the caller cannot see at all is FORBIDDEN naming it, instead of
 * an answer of zeros that looks like a real count. A municipality is out of sight of a caller who
 * neither sees it nor any fleet (an operator may narrow its own fleet to any municipality); an
 * operator is out of sight of a caller who neither sees it nor any municipality.
 */
export async function checkNamedScope(
  db: ScopedDb,
  names: { municipalityCodes?: NamedList; operatorIds?: NamedList },
): Promise<void> {
  const { scope } = db;
  const { municipalityCodes, operatorIds } = names;
  if (municipalityCodes?.values && municipalityCodes.values.length > 0) {
    const codes = [...municipalityCodes.values];
    const known = await db
      .from('zones', EVERYONE)
      .where('kind', 'MUNICIPALITY')
      .whereIn('code', codes)
      .pluck<string[]>('code');
    const unknown = codes.find((code) => !known.includes(code));
    if (unknown !== undefined) {
      throw badUserInput(municipalityCodes.argumentName, `no municipality with code ${unknown}`);
    }
    const hidden = codes.find(
      (code) =>
        !scope.admin && !scope.municipalities.includes(code) && scope.operators.length === 0,
    );
    if (hidden !== undefined) {
      throw forbidden(
        `${municipalityCodes.argumentName}: ${hidden} is outside what you may see; ask its municipality for a data-access grant`,
      );
    }
  }
  if (operatorIds?.values && operatorIds.values.length > 0) {
    const ids = [...operatorIds.values];
    const known = await db.from('operators', EVERYONE).whereIn('id', ids).pluck<string[]>('id');
    const unknown = ids.find((id) => !known.includes(id));
    if (unknown !== undefined) {
      throw badUserInput(operatorIds.argumentName, `no operator with id ${unknown}`);
    }
    const hidden = ids.find(
      (id) => !scope.admin && !scope.operators.includes(id) && scope.municipalities.length === 0,
    );
    if (hidden !== undefined) {
      throw forbidden(
        `${operatorIds.argumentName}: operator ${hidden} is outside what you may see; ask it for a data-access grant`,
      );
    }
  }
}

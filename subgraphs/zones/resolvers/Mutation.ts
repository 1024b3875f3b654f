import { GraphQLError } from 'graphql';
import { recordAudit } from '../../../lib/audit';
import {
  importZoneFile,
  ZoneImportError,
  ZoneImportForbiddenError,
} from '../../../lib/domain/zoneImport';
import { badUserInput, ErrorCode, forbidden } from '../../../lib/errors';
import type { MutationResolvers } from '../__generated__/resolvers-types';
import { requireZoneImporter } from '../authorize';

const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_:.-]{0,99}$/;

function propertyName(argumentName: string, value: string | null | undefined) {
  if (value === null || value === undefined) return undefined;
  if (!PROPERTY_NAME.test(value)) {
    throw badUserInput(
      argumentName,
      `"${value}" is not a property name (letters, digits, _ : . -)`,
    );
  }
  return value;
}

export const Mutation: MutationResolvers = {
  async importZones(_parent, { input }, ctx) {
    const allowed = requireZoneImporter(ctx.scope);
    const bytes = Buffer.byteLength(input.geojson, 'utf8');
    if (bytes > ctx.maxImportBytes) {
      throw badUserInput('input.geojson', `is ${bytes} bytes; at most ${ctx.maxImportBytes}`);
    }
    const options = {
      kind: input.kind,
      codeProperty: propertyName('input.codeProperty', input.codeProperty),
      nameProperty: propertyName('input.nameProperty', input.nameProperty),
      allowedMunicipalities: allowed,
    };
    try {
      const result = await importZoneFile(
        ctx.db.writer,
        ctx.pubsub,
        input.geojson,
        options,
        (trx, value) =>
          recordAudit(trx, ctx.scope, {
            action: 'zones.import',
            targetType: 'Zone',
            details: { kind: input.kind, ...value },
          }),
      );
      ctx.logger.info({ kind: input.kind, ...result }, 'zones imported');
      return { ...result, municipalityCodes: result.municipalities };
    } catch (err) {
      if (err instanceof ZoneImportError) {
        throw new GraphQLError(`input.geojson: ${err.message}`, {
          extensions: {
            code: ErrorCode.BAD_USER_INPUT,
            argumentName: 'input.geojson',
            problems: err.problems,
          },
        });
      }
      if (err instanceof ZoneImportForbiddenError) throw forbidden(err.message);
      throw err;
    }
  },
};

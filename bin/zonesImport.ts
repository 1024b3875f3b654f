import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase, openPubSub } from '../lib/bootstrap';
import {
  IMPORTABLE_ZONE_KINDS,
  importZoneFile,
  type ImportableZoneKind,
} from '../lib/domain/zoneImport';
import { runMain } from '../lib/main';

const USAGE =
  'usage: npm run zones:import -- --kind DISTRICT|NEIGHBOURHOOD [--code-property statcode] [--name-property statnaam] file.geojson';

/**
 * `npm run zones:import -- --kind DISTRICT wijken.geojson`: imports districts or neighbourhoods
 * (lib/domain/zoneImport.ts). A bad file is refused with every feature index and reason and
 * changes nothing; a file larger than ZONES_IMPORT_MAX_BYTES is refused unread.
 */
runMain('zones:import', async ({ config, logger, lifecycle }) => {
  const { values, positionals } = parseArgs({
    options: {
      kind: { type: 'string' },
      'code-property': { type: 'string' },
      'name-property': { type: 'string' },
    },
    allowPositionals: true,
  });
  const file = positionals[0];
  const kind = values.kind?.toUpperCase();
  if (!file || positionals.length > 1) throw new Error(USAGE);
  if (!IMPORTABLE_ZONE_KINDS.includes(kind as ImportableZoneKind)) {
    throw new Error(`--kind must be one of ${IMPORTABLE_ZONE_KINDS.join(', ')}; ${USAGE}`);
  }
  const { size } = statSync(file);
  if (size > config.ZONES_IMPORT_MAX_BYTES) {
    throw new Error(
      `${file} is ${size} bytes; at most ${config.ZONES_IMPORT_MAX_BYTES} (ZONES_IMPORT_MAX_BYTES)`,
    );
  }
  const { db } = await openDatabase(config, logger, lifecycle, 'mobility:zones-import');
  const pubsub = openPubSub(config, logger, lifecycle);
  const result = await importZoneFile(db, pubsub, readFileSync(file, 'utf8'), {
    kind: kind as ImportableZoneKind,
    codeProperty: values['code-property'],
    nameProperty: values['name-property'],
  });
  process.stdout.write(
    `${file}: ${result.inserted} inserted, ${result.updated} updated, ${result.unchanged} unchanged, ${result.retired} retired (${result.municipalities.join(', ')})\n`,
  );
  await lifecycle.close();
});

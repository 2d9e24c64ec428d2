/**
 * Writes the postmortem archive's CSV export, to import it by hand:
 *
 *   pnpm --filter @ikb/api exec tsx bench/postmortems/write-export.ts /tmp/postmortems.csv
 *   pnpm cli import csv /tmp/postmortems.csv --mapping apps/api/bench/postmortems/postmortems.mapping.json
 *
 * (load.ts does the same, then adds the known errors through GraphQL.)
 */
import { resolve } from 'node:path';
import { writePostmortemExport } from './export-file';
import { POSTMORTEMS } from './index';

const out = process.argv[2];
if (!out) {
  console.error('usage: tsx bench/postmortems/write-export.ts <out.csv>');
  process.exit(2);
}
writePostmortemExport(resolve(process.env.INIT_CWD ?? process.cwd(), out));
console.log(`wrote ${POSTMORTEMS.length} postmortems to ${out}`);

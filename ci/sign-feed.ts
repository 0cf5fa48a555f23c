// Signs an update feed index for hearthd (runtime/src/update/feedIndex.ts reads it):
//   node --import tsx ci/sign-feed.ts --key signer.key.pem --cert signer.cert.pem index.json > feed.json
// The certificate must be issued by a CA in the devices' RAUC keyring (the one that signs bundles).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { signIndex } from '../runtime/src/update/signIndex.ts';

const { values, positionals } = parseArgs({ options: { key: { type: 'string' }, cert: { type: 'string' } }, allowPositionals: true });
if (!values.key || !values.cert || positionals.length !== 1) {
  process.stderr.write('Usage: sign-feed.ts --key KEY.pem --cert CERT.pem INDEX.json > FEED.json\n');
  process.exit(2);
}
const signed = signIndex(readFileSync(positionals[0]!), readFileSync(values.key, 'utf8'), readFileSync(values.cert, 'utf8'));
process.stdout.write(`${JSON.stringify(signed, null, 2)}\n`);

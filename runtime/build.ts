// Bundles hearthd's own code into one file for the device (DESIGN.md: esbuild, not pkg).
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** HEARTH_VERSION replaces package.json's version (a test bundle newer than the image, a release built from a tag). */
function baseVersion(): string {
  const version = process.env.HEARTH_VERSION ?? '';
  if (!/^(\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?)?$/.test(version)) throw new Error(`HEARTH_VERSION must be MAJOR.MINOR.PATCH with an optional -pre-release: ${version}`);
  return version;
}

function versionSuffix(): string {
  const suffix = process.env.HEARTH_VERSION_SUFFIX ?? '';
  if (!/^[0-9A-Za-z.-]*$/.test(suffix)) throw new Error(`HEARTH_VERSION_SUFFIX must be letters, digits, dots and hyphens: ${suffix}`);
  return suffix;
}
// Chunk names carry a hash of their content: the chunks of an earlier build would otherwise stay
// beside the new ones and go into the image.
rmSync(`${root}dist/hearthd`, { recursive: true, force: true });

await build({
  // The workers are files of their own: hearthd starts them as threads (auth/passphraseStrength.ts,
  // imports/importer.ts), and the flows process as a child process (flows/editor.ts).
  entryPoints: {
    hearth: `${root}runtime/bin/hearth.ts`,
    flowsProcess: `${root}runtime/src/flows/flowsProcess.ts`,
    passphraseWorker: `${root}runtime/src/auth/passphraseWorker.ts`,
    importWorker: `${root}runtime/src/imports/importWorker.ts`,
  },
  outdir: `${root}dist/hearthd`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  // Chunks shared by the entry points and the commands' lazy imports (runtime/bin/hearth.ts).
  splitting: true,
  sourcemap: true,
  minifyWhitespace: true,
  legalComments: 'linked',
  // Some dependencies are CommonJS and call require(); give the ES module bundle one.
  banner: { js: "import { createRequire as __hearthRequire } from 'node:module'; const require = __hearthRequire(import.meta.url);" },
  logLevel: 'warning',
  define: {
    // Several bundles of one commit, told apart (image/README.md, "Updates"): letters, digits, dots.
    HEARTH_BASE_VERSION: JSON.stringify(baseVersion()),
    HEARTH_VERSION_SUFFIX: JSON.stringify(versionSuffix()),
    // The update feed this build asks once the owner opts in (runtime/src/update/feedUrl.ts); none by default.
    HEARTH_BUILT_IN_FEED: JSON.stringify(process.env.HEARTH_UPDATE_FEED ?? ''),
  },
});

// Node-RED loads the Hearth node set from files, beside the bundle at the place flows/editor.ts
// expects it: the editor templates, the small files handing Node-RED's API to the bundled nodes,
// and the shipped flows (flows/, linked in as the node set's examples) copied in full.
const nodeSet = `${root}dist/hearthd/nodes/module`;
cpSync(`${root}runtime/src/flows/nodes/module`, nodeSet, { recursive: true, filter: (source) => !source.endsWith('/examples') });
cpSync(`${root}flows`, `${nodeSet}/examples`, { recursive: true });
process.stdout.write('built dist/hearthd/hearth.mjs and dist/hearthd/nodes/module\n');

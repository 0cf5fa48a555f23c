// Builds the web UI into setup-wizard/dist/, which is everything the HTTPS server serves:
//   dist/index.html, dist/trust.html, trust.fr.html (pages)
//   dist/assets/app.js + dist/assets/chunks/* (ESM bundle, code-split, minified, sourcemaps)
//   dist/assets/app.css, trust.css, favicon.svg
//
//   node --import tsx setup-wizard/build.ts          one build
//   node --import tsx setup-wizard/build.ts --watch  rebuild on change (development)
import { build, context, type BuildOptions, type Metafile } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const publicDir = join(root, 'public');
const dist = join(root, 'dist');
const assets = join(dist, 'assets');

/** Public files and where they land in dist/. */
const copies: Array<[from: string, to: string]> = [
  ['index.html', 'index.html'],
  ['trust.html', 'trust.html'],
  ['trust.fr.html', 'trust.fr.html'],
  ['app.css', 'assets/app.css'],
  ['trust.css', 'assets/trust.css'],
  ['favicon.svg', 'assets/favicon.svg'],
];

const options: BuildOptions = {
  absWorkingDir: root,
  entryPoints: { app: join(root, 'src', 'main.ts') },
  outdir: assets,
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  sourcemap: true,
  // Browsers a phone or laptop of the last few years ships; all support ES modules and top-level await.
  target: ['es2022', 'chrome109', 'firefox115', 'safari16'],
  platform: 'browser',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: '[name]-[hash]',
  legalComments: 'linked',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
};

async function copyPublic(): Promise<void> {
  for (const [from, to] of copies) {
    const target = join(dist, to);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(publicDir, from), target);
  }
}

function report(metafile: Metafile): void {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    const kib = (output.bytes / 1024).toFixed(1).padStart(8);
    console.log(`  ${kib} KiB  ${relative(process.cwd(), join(root, file))}`);
  }
}

async function main(): Promise<void> {
  await rm(dist, { recursive: true, force: true });
  await mkdir(assets, { recursive: true });

  if (process.argv.includes('--watch')) {
    const ctx = await context({
      ...options,
      plugins: [
        {
          name: 'copy-public',
          setup(pluginBuild) {
            pluginBuild.onEnd(async (result) => {
              await copyPublic();
              console.log(`[wizard] rebuilt (${result.errors.length} errors)`);
            });
          },
        },
      ],
    });
    await ctx.watch();
    console.log('[wizard] watching setup-wizard/src (public/ is copied on each rebuild)');
    return;
  }

  const result = await build(options);
  await copyPublic();
  console.log(`[wizard] built ${relative(process.cwd(), dist)}`);
  if (result.metafile) report(result.metafile);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

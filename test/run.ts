// Runs every test file in its own process (a daemon per file, no shared state) and ends with
// the one line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const groups = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];
let passed = 0;
let failed = 0;

function record(name: string, ok: number, bad: number): void {
  passed += ok;
  failed += bad;
  process.stdout.write(`${bad === 0 ? 'ok  ' : 'FAIL'} ${name}: ${ok} passed, ${bad} failed\n`);
}

const typecheck = spawnSync('tsc', ['-p', '.'], { cwd: root, stdio: 'inherit' });
record('typecheck', typecheck.status === 0 ? 1 : 0, typecheck.status === 0 ? 0 : 1);

for (const group of groups) {
  const dir = path.join(root, 'test', group);
  const files = readdirSync(dir).filter((name) => /\.(test|e2e)\.ts$/.test(name)).sort();
  for (const file of files) {
    const run = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', path.join(dir, file)], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
      timeout: 10 * 60 * 1000,
    });
    const output = `${run.stdout}${run.stderr}`;
    process.stdout.write(output);
    const total = Number(/Total:\s+(\d+)/.exec(output)?.[1] ?? NaN);
    const ok = Number(/Passed:\s+(\d+)/.exec(output)?.[1] ?? NaN);
    const skipped = Number(/Skipped:\s+(\d+)/.exec(output)?.[1] ?? 0);
    if (Number.isNaN(total) || Number.isNaN(ok)) {
      record(`${group}/${file}`, 0, 1);
    } else {
      // A file that crashed after its summary still fails once.
      record(`${group}/${file}`, ok, total - ok - skipped + (run.status === 0 ? 0 : total === ok ? 1 : 0));
    }
  }
}

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);

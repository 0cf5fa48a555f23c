// axe-core run in the page under test, for the violations that stop someone from using it: those
// axe rates serious or critical. The script goes in through the DevTools protocol (page.evaluate
// with its source), so the UI's strict Content-Security-Policy stays as it is.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repositoryRoot } from './daemon.ts';

const AXE_SOURCE = readFileSync(path.join(repositoryRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  targets: string[];
  html: string;
}

/** The serious and critical violations axe finds on the page as it is now; `exclude` leaves out markup we do not write. */
export async function seriousViolations(page: Page, exclude: string[] = []): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (excluded) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; helpUrl: string; nodes: Array<{ target: unknown[]; html: string }> }> }> } }).axe;
    const context = excluded.length > 0 ? { include: [document], exclude: excluded.map((selector) => [selector]) } : document;
    const result = await axe.run(context, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact!,
        help: violation.help,
        helpUrl: violation.helpUrl,
        targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
        html: violation.nodes[0]?.html.slice(0, 160) ?? '',
      }));
  }, exclude);
}

/** One line per violation: its id, impact, what it asks for and the first element, to say what to fix. */
export function describe(violations: Violation[]): string {
  return violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.targets.length} element(s), first ${violation.targets[0]} ${violation.html}`).join('\n');
}

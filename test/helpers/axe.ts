// axe-core run in the page under test, for what stops someone from using it: the violations axe
// rates serious or critical, and those it leaves "to review" for a rule that serious (an
// aria-label a screen reader would not say, say). The page's background is a gradient, over which
// axe cannot measure contrast: the contrast rule runs again with the background set to each colour
// of the gradient in turn, so text must be readable over both. The script goes in through the DevTools
// protocol (page.evaluate with its source), so the UI's strict Content-Security-Policy stays as it is.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repositoryRoot } from './daemon.ts';

const AXE_SOURCE = readFileSync(path.join(repositoryRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
  html: string;
  /** Where it was found: axe's own run, "to review", or the contrast over one end of the background. */
  pass: string;
  /** For contrast: each element's colours and ratio, against the ratio it needs. */
  contrast: string[];
}

interface AxeResult {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; html: string; any: Array<{ data?: { fgColor?: string; bgColor?: string; contrastRatio?: number; expectedContrastRatio?: string } | null }> }>;
}

type Axe = { run(context: unknown, options: unknown): Promise<{ violations: AxeResult[]; incomplete: AxeResult[] }> };

/** The serious and critical violations axe finds on the page as it is now; `exclude` leaves out markup we do not write. */
export async function seriousViolations(page: Page, exclude: string[] = []): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  // tsx names the functions declared below with a helper of its own, which the page lacks.
  await page.evaluate('globalThis.__name ??= (fn) => fn');
  return page.evaluate(async (excluded) => {
    const axe = (window as unknown as { axe: Axe }).axe;
    const context = excluded.length > 0 ? { include: [document], exclude: excluded.map((selector) => [selector]) } : document;
    const serious = (result: AxeResult) => result.impact === 'serious' || result.impact === 'critical';
    const found = (pass: string) => (result: AxeResult) => ({
      id: result.id,
      impact: result.impact ?? '',
      help: result.help,
      targets: result.nodes.map((node) => node.target.map(String).join(' ')),
      html: result.nodes[0]?.html.slice(0, 160) ?? '',
      pass,
      contrast: result.nodes
        .map((node) => node.any.find((check) => check.data?.contrastRatio)?.data)
        .filter((data) => data)
        .map((data) => `${data!.fgColor} on ${data!.bgColor}: ${data!.contrastRatio} (${data!.expectedContrastRatio})`),
    });
    const all = await axe.run(context, { resultTypes: ['violations', 'incomplete'] });
    const violations = [
      ...all.violations.filter(serious).map(found('axe')),
      // Contrast "to review" is what axe could not measure over the gradient: measured below.
      ...all.incomplete.filter((result) => serious(result) && result.id !== 'color-contrast').map(found('to review')),
    ];
    // The colours of the body's gradient, as the browser computed them.
    const ends = getComputedStyle(document.body).backgroundImage.match(/rgba?\([^)]*\)/g) ?? [];
    const body = document.body.style;
    const before = body.background;
    try {
      for (const end of new Set(ends)) {
        body.background = end;
        const contrast = await axe.run(context, { runOnly: ['color-contrast'], resultTypes: ['violations'] });
        violations.push(...contrast.violations.map(found(`background ${end}`)));
      }
    } finally {
      body.background = before;
    }
    return violations;
  }, exclude);
}

/** One line per violation: its id, impact, what it asks for and the first element, to say what to fix. */
export function describe(violations: Violation[]): string {
  return violations.map((violation) => `${violation.id} (${violation.impact}, ${violation.pass}): ${violation.help} — ${violation.targets.length} element(s), first ${violation.targets[0]} ${violation.html}${violation.contrast.length > 0 ? ` — ${violation.contrast[0]}` : ''}`).join('\n');
}

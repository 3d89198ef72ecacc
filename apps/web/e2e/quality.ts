import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './harness';

/**
 * Quality gates every browser test applies to every page it visits: axe-core finds no serious or
 * critical violation, and a full-page screenshot is saved at 360 px and 1440 px with no horizontal
 * overflow at either width.
 */
export const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 360, height: 780 },
] as const;

const AXE_SOURCE = readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}

/** Runs axe-core in the page; returns the serious and critical violations, readable in a failure. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const present = await page.evaluate(() => 'axe' in window);
  // The app's CSP (script-src 'self') refuses an inline <script> (page.addScriptTag), and the
  // tests keep the CSP on; evaluating through the DevTools protocol is not subject to it.
  if (!present) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document, {
      resultTypes: ['violations'],
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`)
          .join('\n'),
    );
}

/** Pages checked so far in this test file, for a summary in the test output. */
export const audited: { name: string; width: number; violations: number }[] = [];

/**
 * Checks the current page at both widths: screenshot `<name>-<width>.png`, no horizontal overflow,
 * no serious or critical axe violation. Leaves the viewport at the width it found.
 */
export async function auditPage(page: Page, name: string, ready?: () => Promise<void>): Promise<void> {
  const original = page.viewportSize();
  const problems: string[] = [];
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    // Let ResponsiveContainer re-measure and React re-render after the resize.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    if (ready) await ready();
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${size.width}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) problems.push(`${size.width} px: page is ${overflow} px wider than the viewport`);
    const violations = await seriousAxeViolations(page);
    audited.push({ name, width: size.width, violations: violations.length });
    problems.push(...violations.map((v) => `${size.width} px: ${v}`));
  }
  if (original) await page.setViewportSize(original);
  if (problems.length > 0) throw new Error(`Quality gate failed on "${name}":\n${problems.join('\n')}`);
}

/** axe-core's version, for the report. */
export function axeVersion(): string {
  return (
    JSON.parse(readFileSync(join(dirname(require.resolve('axe-core')), 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

/**
 * Measures, in the page as laid out, every cell of the table(s) matching `selector`: a cell whose
 * content is wider than the cell (scrollWidth > clientWidth), or any element inside it whose box
 * reaches outside the cell's box, is reported as "<row header> / <column n>: <what>". Empty when
 * nothing overflows. A visually hidden element (1 px, clipped) does not count.
 */
export async function overflowingCells(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const problems: string[] = [];
    const tables = Array.from(document.querySelectorAll(sel));
    if (tables.length === 0) return [`no table matches ${sel}`];
    // Inside a visually hidden block (a table head clipped away on a phone): not on screen, not measured.
    const hidden = (el: Element, table: Element) => {
      for (let e: Element | null = el; e && e !== table; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.clip !== 'auto' && style.clip !== '' && style.position === 'absolute') return true;
      }
      return false;
    };
    for (const table of tables) {
      for (const row of Array.from(table.querySelectorAll('tr'))) {
        if (hidden(row, table)) continue;
        const label = (row.querySelector('th')?.textContent ?? '').trim().slice(0, 40);
        Array.from(row.children).forEach((cell, index) => {
          const box = cell.getBoundingClientRect();
          if (box.width === 0 || box.height === 0 || getComputedStyle(cell).position === 'absolute') return;
          if (cell.scrollWidth > cell.clientWidth + 1) {
            problems.push(
              `${label} / column ${index + 1}: content ${cell.scrollWidth} px wide in ${cell.clientWidth} px`,
            );
          }
          for (const inner of Array.from(cell.querySelectorAll('*'))) {
            const r = inner.getBoundingClientRect();
            if (r.width <= 1 || r.height <= 1) continue;
            if (
              r.left < box.left - 1 ||
              r.right > box.right + 1 ||
              r.top < box.top - 1 ||
              r.bottom > box.bottom + 1
            ) {
              problems.push(
                `${label} / column ${index + 1}: <${inner.tagName.toLowerCase()}> "${(inner.textContent ?? '').trim().slice(0, 30)}" outside its cell`,
              );
              break;
            }
          }
        });
      }
    }
    return problems;
  }, selector);
}

import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from './server-process';

/** Debian's Chromium (CI installs the `chromium` package; .ci/run). */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Where the screenshots go: into docs/console/ (committed, linked from the README) only when
 * `npm run screenshots` asks for it, so that `npm test` leaves the work tree as it found it; else one
 * folder under the system's temporary directory, overwritten by every run, which still takes them.
 */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(PROJECT_ROOT, 'docs', 'console') : join(tmpdir(), 'tenant-platform-console-screenshots');

/**
 * The console as `npm run build` makes it (dist/console-app). Jest's global setup compiles only src/,
 * so the browser suite builds the console itself; scripts/build-console.js skips an up-to-date build.
 */
export function buildConsole(): void {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build-console.js')], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}

/** One Chromium on a fresh profile; each actor gets its own context (own cookies) in it. */
export class ConsoleBrowser {
  private constructor(
    private readonly first: BrowserContext,
    private readonly browser: Browser,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<ConsoleBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'tp-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
    const browser = context.browser();
    if (!browser) throw new Error('Chromium launched without a browser handle');
    return new ConsoleBrowser(context, browser, profile);
  }

  /** A new person at the console: a context of their own, and a page that fails the test on CSP violations. */
  async person(): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  async close(): Promise<void> {
    await this.first.close().catch(() => undefined);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** Collected across pages; the suite asserts both stay empty. */
export const cspViolations: string[] = [];
export const pageErrors: string[] = [];

/** axe-core on the page as it is: serious and critical violations, as readable lines. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Headless Chromium from Debian (`/usr/bin/chromium`, installed by scripts/dev-setup.sh) driven by
 * playwright-core, for the report and dashboard tests. Screenshots go to `test-artifacts/`
 * (git-ignored), where CI keeps them as files.
 */
import { mkdirSync } from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './cli';

/** Where the browser is. */
export const CHROMIUM = process.env.BATCHKIT_CHROMIUM ?? '/usr/bin/chromium';
/** Where screenshots go. */
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

/** Starts Chromium headless with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page that records console errors, page errors and every request it makes. */
export async function recordingPage(browser: Browser): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  return { page, errors, requests };
}

/** Saves a full-page screenshot under test-artifacts/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

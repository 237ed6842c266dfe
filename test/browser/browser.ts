import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Chromium from Debian, driven by playwright-core; installed by scripts/ensure-chromium.sh when missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    const r = spawnSync('bash', ['scripts/ensure-chromium.sh'], { stdio: 'inherit', timeout: 300_000 });
    if (r.status !== 0 || !existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: run scripts/ensure-chromium.sh (as root) to install Debian's chromium`,
      );
    }
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

export interface Opened {
  page: Page;
  errors: string[];
  /** Requests the page made to anything but its own file. */
  requests: string[];
}

/** Open a report file; collect console errors, page errors and any network request. */
export async function openReport(browser: Browser, file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(`file://${file}`, { waitUntil: 'load', timeout: 15_000 });
  return { page, errors, requests };
}

/** Every chart slot with its canvas and whether any pixel of it was drawn. */
export async function chartStates(page: Page): Promise<Array<{ id: string; drawn: boolean }>> {
  return page.$$eval('[data-chart]', (slots) =>
    slots.map((slot) => {
      const canvas = slot.querySelector('canvas');
      let drawn = false;
      if (canvas && canvas.width > 0 && canvas.height > 0) {
        const ctx = canvas.getContext('2d');
        const px = ctx?.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; px && i < px.length; i += 4) {
          if ((px[i] as number) > 0) {
            drawn = true;
            break;
          }
        }
      }
      return { id: slot.getAttribute('data-chart') ?? '', drawn };
    }),
  );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Renders the email in headless Chromium: layout at phone and desktop widths, images, and hostile
 * names staying text. Chromium comes from Debian (`apt-get install -y chromium`). Without it the
 * suite is skipped locally with a message, but fails in CI, where it must run.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RenderedEmail, renderReportEmail } from '../../src/email/render-report-email.ts';
import { inlineImagesAsDataUrls } from '../../src/email/write-email-files.ts';
import { buildReportData } from '../helpers/report-data.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const available = existsSync(CHROMIUM);
const runInBrowser = available || Boolean(process.env.CI);
if (!runInBrowser) {
  console.warn(
    `Skipping the Chromium email checks: ${CHROMIUM} not found (apt-get install -y chromium).`,
  );
}

const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];

interface Opened {
  page: Page;
  requests: string[];
  dialogs: string[];
}

describe.runIf(runInBrowser)('renderReportEmail in Chromium', () => {
  let browser: Browser;
  const pages: Page[] = [];
  const sample = renderReportEmail(buildReportData({ campaigns: 30, properties: 3 }));

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the email with charts as data URLs. Every network request is recorded and aborted. */
  async function open(email: RenderedEmail, width: number): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    pages.push(page);
    const requests: string[] = [];
    const dialogs: string[] = [];
    await page.route('**/*', async (route) => {
      requests.push(route.request().url());
      await route.abort();
    });
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.setContent(inlineImagesAsDataUrls(email.html, email.images), { waitUntil: 'load' });

    return { page, requests, dialogs };
  }

  async function cardTops(page: Page): Promise<number[]> {
    return page.$$eval('td[width="25%"]', (cells) =>
      cells.slice(0, 4).map((cell) => Math.round(cell.getBoundingClientRect().top)),
    );
  }

  it('does not overflow horizontally at 375 px', async () => {
    const { page } = await open(sample, 375);

    const scrollWidth = await page.$eval('html', (root) => root.scrollWidth);

    expect(scrollWidth).toBeLessThanOrEqual(375);
  });

  it('keeps every KPI card inside its cell at 375 px', async () => {
    const { page } = await open(sample, 375);

    const overflowing = await page.$$eval(
      'td[width="25%"]',
      (cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth).length,
    );

    expect(overflowing).toBe(0);
  });

  it.each([600, 375])('shows four KPI cards in one row at %i px', async (width) => {
    const { page } = await open(sample, width);

    const tops = await cardTops(page);

    expect(tops).toHaveLength(4);
    expect(new Set(tops).size).toBe(1);
  });

  it('draws the container 600 px wide on desktop', async () => {
    const { page } = await open(sample, 800);

    const width = await page.$eval(
      'table[width="600"]',
      (table) => table.getBoundingClientRect().width,
    );

    expect(width).toBe(600);
  });

  it('loads every chart image', async () => {
    const { page } = await open(sample, 600);

    const widths = await page.$$eval('img', (images) =>
      images.map((image) => (image as unknown as { naturalWidth: number }).naturalWidth),
    );

    expect(widths).toHaveLength(sample.images.length);
    expect(widths.every((width) => width > 0)).toBe(true);
  });

  it('makes no network request', async () => {
    const { requests } = await open(sample, 600);

    expect(requests).toEqual([]);
  });

  it('keeps long unbroken names inside 375 px', async () => {
    const report = buildReportData({ campaignNames: ['L'.repeat(3000)] });
    report.analysis.trendSummary.push(`${'M'.repeat(150)} [UP]: Clicks rose.`);
    const { page } = await open(renderReportEmail(report), 375);

    const scrollWidth = await page.$eval('html', (root) => root.scrollWidth);
    const tallestRow = await page.$$eval('table.d tr', (rows) =>
      Math.max(...rows.map((row) => row.getBoundingClientRect().height)),
    );

    expect(scrollWidth).toBeLessThanOrEqual(375);
    expect(tallestRow).toBeLessThan(200);
  });

  it('shows hostile campaign names as text', async () => {
    const email = renderReportEmail(buildReportData({ campaignNames: HOSTILE }));
    const { page, dialogs, requests } = await open(email, 600);

    const text = await page.$eval(
      'body',
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text after layout
      (body) => (body as unknown as { innerText: string }).innerText,
    );
    const scripts = await page.$$eval('script', (nodes) => nodes.length);
    const stray = await page.$$eval('img:not([src^="data:"])', (nodes) => nodes.length);

    for (const name of HOSTILE) expect(text).toContain(name);
    expect(scripts).toBe(0);
    expect(stray).toBe(0);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('saves desktop and phone screenshots', async () => {
    // Set ADREPORT_UPDATE_SCREENSHOTS=1 to refresh the images in docs/screenshots.
    const folder = process.env.ADREPORT_UPDATE_SCREENSHOTS
      ? join(import.meta.dirname, '../../docs/screenshots')
      : await mkdtemp(join(tmpdir(), 'adreport-screenshots-'));
    await mkdir(folder, { recursive: true });
    // The top of the email (header, KPI cards, alerts and the first tables) keeps the files small.
    const sizes = [
      { name: 'email-desktop.png', width: 800, height: 2000 },
      { name: 'email-phone.png', width: 375, height: 2400 },
    ];

    for (const { name, width, height } of sizes) {
      const { page } = await open(sample, width);
      const clip = { x: 0, y: 0, width, height };
      const png = await page.screenshot({ path: join(folder, name), fullPage: true, clip });
      expect(png.length).toBeGreaterThan(10_000);
    }
  });
});

/**
 * Saves the top of the demo report email as docs/screenshots/demo-report.png, the image at the
 * top of the README. Run `npm start` first, then `npx tsx scripts/capture-demo-screenshot.ts`.
 * It needs Debian's Chromium (`apt-get install chromium`) and blocks every request that is not a
 * local file, so the page shows what an email client with remote content off would show.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const DEMO_DIR = join(ROOT, 'out/demo');
const TARGET = join(ROOT, 'docs/screenshots/demo-report.png');
const VIEW = { width: 680, height: 1150 };

const html = (await readdir(DEMO_DIR))
  .filter((name) => name.endsWith('.html'))
  .sort()
  .at(-1);
if (!html) throw new Error(`No report in ${DEMO_DIR}: run \`npm start\` first`);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: VIEW });
  await page.route('**/*', (route) =>
    route.request().url().startsWith('file:') ? route.continue() : route.abort(),
  );
  await page.goto(pathToFileURL(join(DEMO_DIR, html)).href);
  await page.screenshot({ path: TARGET, clip: { x: 0, y: 0, ...VIEW } });
  console.log(`Wrote ${TARGET} from ${html}`);
} finally {
  await browser.close();
}

// The share page and the badge in headless Chromium (Debian's `chromium`, driven by
// playwright-core): it renders, shows the score and the issues, runs no script (the snippets are
// hostile on purpose), loads nothing from elsewhere, and logs no console error.
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../server/index.js';
import { BOOTSTRAP_KEY, CHROMIUM, pgliteSnapshot, warnSkip } from './helpers.js';

const HOSTILE = `import os
from openai import OpenAI
client = OpenAI()

def handle(user_input):
    prompt = f"You are a bot. {user_input}"  # </code></pre><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": prompt}])
    os.system(reply.choices[0].message.content)  # "></code></pre><script>window.__pwned = 1</script><svg onload=alert(1)>
`;

const available = existsSync(CHROMIUM);
if (!available) {
  const reason = `${CHROMIUM} is not installed (apt-get install -y chromium)`;
  warnSkip('browser tests', reason);
  describe('share page and badge in Chromium', () => it.skip(reason, () => {}));
}

describe.skipIf(!available)('share page and badge in Chromium', () => {
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let scan: { scan_id: string; share_url: string; badge_url: string; trust_score: number; risk_level: string; total_issues: number; issues: { code_snippet: string }[] };

  beforeAll(async () => {
    app = await build({ dataDir: 'memory://', pgliteSnapshot: await pgliteSnapshot(), bootstrapKey: BOOTSTRAP_KEY, onBootstrap: () => {}, logger: false });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    const res = await app.inject({ method: 'POST', url: '/api/v1/scan', headers: { 'x-agentcop-key': BOOTSTRAP_KEY, host: new URL(base).host }, payload: { code: HOSTILE, agent_name: '<b>bot</b>' } });
    scan = res.json();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the scan has issues whose snippets carry the hostile markup', () => {
    expect(scan.total_issues).toBeGreaterThan(0);
    expect(scan.issues.some((i) => i.code_snippet.includes('<script>') || i.code_snippet.includes('<svg'))).toBe(true);
  });

  it('renders the report: score, risk level, every issue; no script runs, nothing external, no console errors', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    let dialogs = 0;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const res = await page.goto(scan.share_url, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    await page.waitForLoadState('networkidle');

    expect((await page.textContent('#trust-score'))?.trim()).toBe(`${scan.trust_score}/100`);
    expect((await page.textContent('#risk-level'))?.trim()).toBe(scan.risk_level);
    expect(await page.locator('article.issue').count()).toBe(scan.total_issues);
    expect(await page.locator('section h2').first().textContent()).toMatch(/^LLM\d\d /);
    const text = await page.textContent('main');
    // every snippet is shown as text, markup and all, and none of it ran
    for (const i of scan.issues) expect(text).toContain(i.code_snippet);
    expect(text).toContain('<script>window.__pwned = 1</script>');
    expect(text).toContain('<b>bot</b>');
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main script, main img[onerror], main svg[onload]').count()).toBe(0);
    expect(dialogs).toBe(0);
    // the badge image on the page loaded from this server
    const badgeWidth = await page.locator('header img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
    expect(badgeWidth).toBeGreaterThan(0);
    expect(requests.every((u) => u.startsWith(base) || u.startsWith('data:'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the badge renders as an SVG image with the score', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    const res = await page.goto(scan.badge_url);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toContain('image/svg+xml');
    const label = await page.locator('svg').getAttribute('aria-label');
    expect(label).toBe(`agentcop: ${scan.trust_score}/100 ${scan.risk_level.toLowerCase()}`);
    const box = await page.locator('svg').boundingBox();
    expect(box!.width).toBeGreaterThan(50);
    // unknown id: grey badge, still an image
    const unknown = await page.goto(`${base}/api/v1/badge/scan_unknown`);
    expect(unknown?.status()).toBe(404);
    expect(await page.locator('svg').getAttribute('aria-label')).toBe('agentcop: unknown');
    expect(problems.filter((p) => !/404/.test(p))).toEqual([]);
    await page.close();
  });

  it('an unknown share id is a plain 404 page, still without console errors beyond the 404 itself', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${base}/scan/scan_unknown`);
    expect(res?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Scan not found');
    await page.close();
  });
});

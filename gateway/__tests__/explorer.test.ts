import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../lib/config';
import { eventually, useTestResources } from './helpers';
import { startLiveStack, type LiveStack } from './liveStack';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(PROJECT_ROOT, 'artifacts');

const { toStop, dir } = useTestResources();

function startStack(): Promise<LiveStack> {
  return startLiveStack(toStop, dir());
}

/** The src/href of every script and stylesheet the page loads. */
function referencedAssets(html: string): string[] {
  const found = [...html.matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="([^"]+)"/g)];
  return found.map((match) => match[1] ?? '').filter((ref) => !ref.startsWith('data:'));
}

describe('schema explorer over HTTP', () => {
  it.each(['/', '/graphql'])(
    'GET %s as a browser gets GraphiQL built from local files',
    async (path) => {
      const { url } = await startStack();
      const origin = new URL(url).origin;
      const response = await fetch(`${origin}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<div id="graphiql">');
      const assets = referencedAssets(html);
      expect(assets).toEqual(['/explorer/assets/explorer.css', '/explorer/assets/explorer.js']);
      expect(
        html.match(/https?:\/\/[^\s"'<>)]+/g)?.every((u) => u.startsWith(origin)) ?? true,
      ).toBe(true);

      const script = await fetch(`${origin}/explorer/assets/explorer.js`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(script.headers.get('content-encoding')).toBe('gzip');
      // Read to the end: an unread body keeps the connection busy past the gateway's stop.
      expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
      const etag = script.headers.get('etag') ?? '';
      const revalidated = await fetch(`${origin}/explorer/assets/explorer.js`, {
        headers: { 'if-none-match': etag },
      });
      expect(revalidated.status).toBe(304);
    },
  );

  it('serves every worker Monaco needs, and 404 for anything else', async () => {
    const { url } = await startStack();
    const origin = new URL(url).origin;
    for (const worker of ['editor', 'json', 'graphql']) {
      const response = await fetch(`${origin}/explorer/assets/${worker}.worker.js`, {
        headers: { 'accept-encoding': 'identity' },
      });
      expect(response.status).toBe(200);
      expect((await response.text()).length).toBeGreaterThan(10_000);
    }
    const missing = await fetch(`${origin}/explorer/assets/nope.js`);
    expect(missing.status).toBe(404);
    const css = await fetch(`${origin}/explorer/assets/explorer.css`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    const body = Buffer.from(await css.arrayBuffer());
    // fetch decodes gzip itself; either way the stylesheet is GraphiQL's.
    const text = body[0] === 0x1f ? gunzipSync(body).toString('utf8') : body.toString('utf8');
    expect(text).toContain('.graphiql-container');
  });
});

/** The text of a Monaco editor; Monaco draws spaces as no-break spaces. */
async function editorText(page: Page, selector: string): Promise<string> {
  return (await page.innerText(selector)).replaceAll('\u00a0', ' ');
}

/**
 * A machine without Chromium skips the browser test with the reason in its name; CI installs
 * Chromium (.ci/run), so there a missing browser fails the run instead of hiding the test.
 */
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) {
  throw new Error(`CI must run the explorer's browser test, but ${CHROMIUM} is not installed`);
}
const describeBrowser = hasChromium ? describe : describe.skip;

describeBrowser(
  `schema explorer in Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is not installed)`}`,
  () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });

    afterAll(async () => {
      await browser.close();
    });

    it('loads offline, runs a query, streams a subscription with a pasted token', async () => {
      const { url, bus, live } = await startStack();
      const origin = new URL(url).origin;
      const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
      toStop.push({ stop: () => context.close() });
      const requests: string[] = [];
      context.on('request', (request) => void requests.push(request.url()));
      const page = await context.newPage();
      page.on('websocket', (socket) => void requests.push(socket.url()));
      const problems: string[] = [];
      page.on('pageerror', (error) => void problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });

      // A query over HTTP, with fields from both subgraphs.
      const query = '{ thing(id: "1") { id name color } }';
      // The page runs under the gateway's Content-Security-Policy: every violation is reported
      // as a console error, and `problems` must stay empty.
      await page.addInitScript({
        content: `document.addEventListener('securitypolicyviolation', (e) =>
          console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
      });
      const loaded = await page.goto(`${origin}/?query=${encodeURIComponent(query)}`);
      expect(loaded?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
      await page.waitForSelector('.graphiql-query-editor .monaco-editor');
      await page.click('.graphiql-execute-button');
      await eventually(async () =>
        expect(await editorText(page, '.graphiql-response')).toContain('"color": "color of 1"'),
      );

      // Docs and the explorer plugin are there and know the schema.
      await page.click('[aria-label="Show Documentation Explorer"]');
      await page.waitForSelector('.graphiql-doc-explorer');
      await page.click('[aria-label="Show GraphiQL Explorer"]');
      await eventually(async () =>
        // Fields the query does not select come from the schema (introspection).
        expect(await page.innerText('.graphiql-plugin')).toMatch(/publishedAt[\s\S]*Subscription/),
      );

      // A subscription over graphql-ws, with a token pasted in the headers editor.
      const subscription = 'subscription { thingChanged { id name color } }';
      await page.goto(`${origin}/?query=${encodeURIComponent(subscription)}`);
      const headersEditor = '.monaco-editor[data-uri$="-headers.json"]';
      await page.click(headersEditor);
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type('{"authorization": "Bearer op-a"}');
      expect(await editorText(page, `${headersEditor} .view-lines`)).toBe(
        '{"authorization": "Bearer op-a"}',
      );
      await page.click('.graphiql-execute-button');
      await eventually(() => Promise.resolve(expect(live.active()).toBe(1)));
      // Private to operator op-a: it arrives only if the token reached connection_init.
      bus.publish({ id: '77', name: 'seventy-seven', operator: 'op-a', public: false, version: 1 });
      await eventually(async () =>
        expect(await editorText(page, '.graphiql-response')).toContain('"color": "color of 77"'),
      );
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'explorer.png') });

      const local = (address: string): boolean => {
        const { protocol, hostname } = new URL(address);
        if (protocol === 'data:' || protocol === 'blob:') return true;
        return hostname === '127.0.0.1' || hostname === 'localhost';
      };
      expect(requests.filter((address) => !local(address))).toEqual([]);
      expect(requests).toEqual(
        expect.arrayContaining([
          `${origin}/explorer/assets/graphql.worker.js`,
          `${origin.replace('http', 'ws')}/graphql`,
        ]),
      );
      expect(problems).toEqual([]);
    });
  },
);

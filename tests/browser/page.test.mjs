// tests/browser/page.test.mjs — end-to-end tests of the built page (build/web).
//
// playwright-core drives Debian's chromium (never a downloaded browser) with
// WebGL2 on SwiftShader. Each test serves build/web from a fresh 127.0.0.1
// port, fails on any page error or console error, and keeps screenshots in
// build/artifacts/ for a person to look at. Run: node --test tests/browser/
// Env: RAFTPLAY_WEB_DIR (default build/web), RAFTPLAY_ARTIFACTS (build/artifacts),
//      RAFTPLAY_UPDATE_SCREENSHOT=1 also writes docs/screenshot.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ARTIFACTS, ROOT, WEB_DIR, noErrors, useBrowser } from './harness.mjs';
import { serveFolder } from './serve.mjs';

const READY_TIMEOUT_MS = 60_000;
const FRAMES_MIN = 30;

// Each test serves the page itself (some under a sub-path).
const browser = useBrowser({ profile: 'chromium', serve: false });

// Opens a page that records every page error and console error.
async function openPage({ prefix = '/', hash = '', viewport, initScript } = {}) {
    const server = await serveFolder(WEB_DIR, prefix);
    const page = await browser.context().newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack || error}`));
    page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
    page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
    page.on('response', (response) => {
        if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    if (viewport) await page.setViewportSize(viewport);
    if (initScript) await page.addInitScript(initScript);
    await page.goto(server.url + (hash ? '#' + hash : ''));
    const close = async () => {
        await page.close();
        await server.close();
    };
    return { page, errors, server, close };
}

async function waitForFrames(page, count = FRAMES_MIN) {
    await page.waitForFunction((n) => window.raftplay && window.raftplay.frames() >= n, count, {
        timeout: READY_TIMEOUT_MS,
        polling: 100,
    });
}

// Standard deviation (0..1, all channels) and the number of distinct colours.
function imageStats(file) {
    const out = execFileSync('identify', ['-format', '%[fx:standard_deviation] %k', file], {
        encoding: 'utf8',
    });
    const [deviation, colours] = out.trim().split(/\s+/).map(Number);
    return { deviation, colours };
}

function assertNotBlank(file) {
    const { deviation, colours } = imageStats(file);
    assert.ok(colours > 16 && deviation > 0.01,
              `${file} looks blank or uniform: ${colours} colours, deviation ${deviation}`);
    return { deviation, colours };
}

describe('raftplay page', () => {
    test('loads from a sub-path, draws frames, exposes state, screenshot is not blank', async () => {
        const { page, errors, server, close } = await openPage({ prefix: '/some/sub/dir/' });
        try {
            assert.ok(await page.isVisible('#loading') || (await page.evaluate(() => !!window.raftplay)),
                      'a loading message is shown until the module is ready');
            await waitForFrames(page);
            assert.equal(await page.isVisible('#loading'), false, 'loading message hidden when ready');
            assert.equal(await page.isVisible('#error'), false, 'no error overlay');
            const state = await page.evaluate(() => window.raftplay.state());
            assert.equal(typeof state, 'object');
            assert.equal(typeof state.t_us, 'number', 'state has the simulated time t_us');
            // Every request stayed under the prefix: the page uses relative URLs only.
            for (const path of server.requests) assert.ok(path.startsWith('/some/sub/dir/'), path);
            await page.waitForTimeout(1500);  // Let the animation run a little.
            const file = join(ARTIFACTS, 'browser-page.png');
            await page.screenshot({ path: file });
            const stats = assertNotBlank(file);
            console.log(`# screenshot ${file}: ${stats.colours} colours, deviation ${stats.deviation.toFixed(3)}`);
            if (process.env.RAFTPLAY_UPDATE_SCREENSHOT === '1') {
                mkdirSync(join(ROOT, 'docs'), { recursive: true });
                copyFileSync(file, join(ROOT, 'docs/screenshot.png'));
            }
            noErrors(errors);
        } finally {
            await close();
        }
    });

    test('canvas fills the window in device pixels and follows resizes', async () => {
        const server = await serveFolder(WEB_DIR);
        // A persistent context fixes its scale factor; emulate a 2x screen through CDP.
        const page = await browser.context().newPage();
        const errors = [];
        page.on('pageerror', (error) => errors.push(`pageerror: ${error}`));
        page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
        try {
            const cdp = await browser.context().newCDPSession(page);
            const emulate = (width, height) => cdp.send('Emulation.setDeviceMetricsOverride', {
                width, height, deviceScaleFactor: 2, mobile: false,
            });
            await emulate(800, 600);
            await page.goto(server.url);
            await waitForFrames(page);
            const size = () => page.evaluate(() => {
                const c = document.getElementById('canvas');
                return { width: c.width, height: c.height, dpr: window.devicePixelRatio,
                         cssWidth: c.clientWidth, cssHeight: c.clientHeight };
            });
            let s = await size();
            assert.equal(s.dpr, 2);
            assert.deepEqual([s.cssWidth, s.cssHeight], [800, 600], 'canvas fills the window');
            assert.deepEqual([s.width, s.height], [1600, 1200], 'backing store in device pixels');
            await emulate(1000, 700);
            await page.waitForFunction(() => document.getElementById('canvas').width === 2000,
                                       null, { timeout: 10_000 });
            s = await size();
            assert.deepEqual([s.cssWidth, s.cssHeight, s.width, s.height], [1000, 700, 2000, 1400]);
            const frames = await page.evaluate(() => window.raftplay.frames());
            await waitForFrames(page, frames + 10);
            // page.screenshot() would restore playwright's own metrics; CDP keeps the 2x ones.
            const file = join(ARTIFACTS, 'browser-hidpi.png');
            const shot = await cdp.send('Page.captureScreenshot', { format: 'png' });
            writeFileSync(file, Buffer.from(shot.data, 'base64'));
            assert.match(execFileSync('identify', ['-format', '%wx%h', file], { encoding: 'utf8' }),
                         /^2000x1400$/, 'the screenshot has device pixels');
            assertNotBlank(file);
            noErrors(errors);
        } finally {
            await page.close();
            await server.close();
        }
    });

    test('explains itself when WebGL2 is missing', async () => {
        const { page, errors, close } = await openPage({
            initScript: () => {
                const original = HTMLCanvasElement.prototype.getContext;
                HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
                    return kind === 'webgl2' ? null : original.call(this, kind, ...rest);
                };
            },
        });
        try {
            await page.waitForSelector('#error', { state: 'visible', timeout: 10_000 });
            const text = await page.textContent('#error');
            assert.match(text, /WebGL2/);
            assert.equal(await page.isVisible('#loading'), false);
            await page.screenshot({ path: join(ARTIFACTS, 'browser-no-webgl2.png') });
            noErrors(errors);
        } finally {
            await close();
        }
    });

    test('a malformed or hostile share fragment leaves the page usable', async () => {
        const hostile = encodeURIComponent('<img src=x onerror=alert(1)>') + '%%%zz' + 'A'.repeat(5000);
        const { page, errors, close } = await openPage({ hash: hostile });
        try {
            await waitForFrames(page);
            const state = await page.evaluate(() => window.raftplay.state());
            assert.equal(typeof state.t_us, 'number');
            const file = join(ARTIFACTS, 'browser-bad-fragment.png');
            await page.screenshot({ path: file });
            assertNotBlank(file);
            noErrors(errors);
        } finally {
            await close();
        }
    });

    test('a hidden tab pauses the app', async () => {
        const { page, errors, close } = await openPage();
        try {
            await waitForFrames(page);
            await page.evaluate(() => {
                Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
                document.dispatchEvent(new Event('visibilitychange'));
            });
            const frames = await page.evaluate(() => window.raftplay.frames());
            await waitForFrames(page, frames + 2);
            const state = await page.evaluate(() => window.raftplay.state());
            assert.equal(state.playing, false, 'state.playing is false while hidden');
            noErrors(errors);
        } finally {
            await close();
        }
    });
});

// tests/browser/harness.mjs — what the browser tests share: where the page and
// the artifacts are, how Chromium starts (TOOLCHAIN.md's flags: WebGL2 on
// SwiftShader), and the page helpers every test writes against the app's
// window.raftplay (open a fragment, wait for frames, wait on state(), find a
// widget's spot). New tests import these; the older test files still carry
// their own copies.
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIR = resolve(ROOT, process.env.RAFTPLAY_WEB_DIR || 'build/web');
export const ARTIFACTS = resolve(ROOT, process.env.RAFTPLAY_ARTIFACTS || 'build/artifacts');
export const CHROMIUM = process.env.RAFTPLAY_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];
export const TIMEOUT_MS = 90_000;

// Helpers over a browser context and a served page; both are read when a
// helper runs (tests create them in before()).
export function pageHelpers(getContext, getUrl) {
    const state = (page) => page.evaluate(() => window.raftplay.state());

    async function open(hash) {
        const page = await getContext().newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack || e}`));
        page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
        await page.goto(getUrl() + '#' + hash);
        await page.waitForFunction(() => window.raftplay && window.raftplay.frames() >= 5, null,
                                   { timeout: TIMEOUT_MS, polling: 50 });
        return { page, errors };
    }

    async function frames(page, n = 2) {
        const f0 = await page.evaluate(() => window.raftplay.frames());
        await page.waitForFunction((want) => window.raftplay.frames() >= want, f0 + n,
                                   { timeout: TIMEOUT_MS, polling: 10 });
    }

    async function until(page, predicate, what) {
        try {
            await page.waitForFunction(`(${predicate})(window.raftplay.state())`, null,
                                       { timeout: TIMEOUT_MS, polling: 50 });
        } catch (e) {
            const s = await state(page);
            delete s.ui;
            throw new Error(`timed out waiting for ${what}; state: ${JSON.stringify(s).slice(0, 1500)}`);
        }
        return state(page);
    }

    async function spot(page, name) {
        await frames(page, 1);
        const rect = (await state(page)).ui[name];
        assert.ok(rect, `widget ${name} is not on screen`);
        return rect;
    }

    return { state, open, frames, until, spot };
}

export const centre = (r) => [r[0] + r[2] / 2, r[1] + r[3] / 2];

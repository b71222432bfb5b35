// tests/browser/harness.mjs — what the browser tests share: where the page and
// the artifacts are, how Chromium starts (TOOLCHAIN.md's flags: WebGL2 on
// SwiftShader) and is torn down (useBrowser: one persistent context and one
// server per test file), and the page helpers every test writes against the
// app's window.raftplay (open a fragment, wait for frames, wait on state(),
// find a widget's spot, click it, press keys, check a screenshot is not blank).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serveFolder } from './serve.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIR = resolve(ROOT, process.env.RAFTPLAY_WEB_DIR || 'build/web');
export const ARTIFACTS = resolve(ROOT, process.env.RAFTPLAY_ARTIFACTS || 'build/artifacts');
export const CLI = resolve(ROOT, process.env.RAFTPLAY_CLI || 'build/native/raftplay');
export const CHROMIUM = process.env.RAFTPLAY_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];
export const TIMEOUT_MS = 90_000;

// Registers the file's before/after hooks: a persistent Chromium context in a
// fresh profile (raftplay-<profile>-*, removed after) with the given viewport,
// touch and downloads, and (unless serve is false) WEB_DIR served on a free
// port. Returns getters, read when a test runs: context() and url().
export function useBrowser({ profile, viewport = { width: 1280, height: 800 }, hasTouch = false,
                             acceptDownloads = false, serve = true }) {
    let context;
    let profileDir;
    let server;

    before(async () => {
        assert.ok(existsSync(join(WEB_DIR, 'index.html')), `no page in ${WEB_DIR}: build the wasm preset`);
        mkdirSync(ARTIFACTS, { recursive: true });
        profileDir = mkdtempSync(join(tmpdir(), `raftplay-${profile}-`));
        context = await chromium.launchPersistentContext(profileDir, {
            executablePath: CHROMIUM,
            headless: true,
            args: CHROMIUM_FLAGS,
            viewport,
            ...(hasTouch ? { hasTouch } : {}),
            ...(acceptDownloads ? { acceptDownloads } : {}),
        });
        if (serve) server = await serveFolder(WEB_DIR);
    });

    after(async () => {
        await context?.close();
        await server?.close();
        if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    });

    return { context: () => context, url: () => server.url };
}

// `raftplay replay ARG` run natively: its JSON report, or null (with a note)
// when the CLI is not built.
export function replayNatively(arg) {
    if (!existsSync(CLI)) {
        console.log(`# ${CLI} missing: native replay not checked`);
        return null;
    }
    const replay = spawnSync(CLI, ['replay', arg], { encoding: 'utf8' });
    assert.equal(replay.status, 0, `raftplay replay failed: ${replay.stdout} ${replay.stderr}`);
    return JSON.parse(replay.stdout);
}

export const centre = (r) => [r[0] + r[2] / 2, r[1] + r[3] / 2];

export function noErrors(errors) {
    assert.deepEqual(errors, [], 'the page reported errors');
}

// Helpers over a browser from useBrowser(). The polling intervals (ms) are
// the file's own: how often frames() and until() look at the page.
export function pageHelpers(browser, { framePolling = 10, untilPolling = 50 } = {}) {
    const state = (page) => page.evaluate(() => window.raftplay.state());

    // Opens the page (optionally at a share fragment), recording every page
    // error and console error, and waits for its first frames.
    async function open(hash = '') {
        const page = await browser.context().newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack || e}`));
        page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
        await page.goto(browser.url() + (hash ? '#' + hash : ''));
        await page.waitForFunction(() => window.raftplay && window.raftplay.frames() >= 5, null,
                                   { timeout: TIMEOUT_MS, polling: 50 });
        return { page, errors };
    }

    async function frames(page, n = 2) {
        const f0 = await page.evaluate(() => window.raftplay.frames());
        await page.waitForFunction((want) => window.raftplay.frames() >= want, f0 + n,
                                   { timeout: TIMEOUT_MS, polling: framePolling });
    }

    // Waits until state() satisfies `predicate` (a function source run in the page).
    async function until(page, predicate, what, timeout = TIMEOUT_MS) {
        try {
            await page.waitForFunction(`(${predicate})(window.raftplay.state())`, null,
                                       { timeout, polling: untilPolling });
        } catch (e) {
            const s = await state(page);
            delete s.ui;
            throw new Error(`timed out waiting for ${what}; state: ${JSON.stringify(s).slice(0, 1500)}`);
        }
        return state(page);
    }

    // A named widget's rectangle (state().ui[name]) drawn this frame.
    async function spot(page, name) {
        await frames(page, 1);
        const rect = (await state(page)).ui[name];
        assert.ok(rect, `widget ${name} is not on screen`);
        return rect;
    }

    // A real click with no pause between move, press and release (0 ms).
    async function click(page, name) {
        const [x, y] = centre(await spot(page, name));
        await page.mouse.click(x, y);
        await frames(page, 3);
    }

    // A real click with a frame between move, press and release.
    async function clickStepwise(page, name) {
        const [x, y] = centre(await spot(page, name));
        await page.mouse.move(x, y);
        await frames(page, 1);
        await page.mouse.down();
        await frames(page, 1);
        await page.mouse.up();
        await frames(page, 2);
    }

    async function key(page, k, times = 1) {
        for (let i = 0; i < times; i++) {
            await page.keyboard.press(k);
            await frames(page, 2);
        }
    }

    // Pauses through the play key if playing; returns the settled state.
    async function pause(page) {
        if ((await state(page)).playing) await key(page, 'Space');
        await frames(page, 2);
        const s = await state(page);
        assert.equal(s.playing, false, 'paused');
        return s;
    }

    // Saves a screenshot to ARTIFACTS/name and fails if it looks blank.
    async function shot(page, name) {
        await frames(page, 3);
        const file = join(ARTIFACTS, name);
        await page.screenshot({ path: file });
        const out = execFileSync('identify', ['-format', '%[fx:standard_deviation] %k', file], { encoding: 'utf8' });
        const [deviation, colours] = out.trim().split(/\s+/).map(Number);
        assert.ok(colours > 16 && deviation > 0.01, `${file} looks blank`);
        console.log(`# screenshot ${file}`);
    }

    return { state, open, frames, until, spot, click, clickStepwise, key, pause, shot };
}

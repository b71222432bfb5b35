// tests/browser/archive.test.mjs — binary run archives (.rpa) through the page:
// Export archive downloads one (captured from the real download), Import...
// opens it back through the file input at the moment it ended, with the same
// digest at the same moments; a truncated one is a named error in the banner
// and the run shown stays. A screenshot of the error lands in
// build/artifacts/ for a person to review. Fails on a page or console error.
// Env: RAFTPLAY_WEB_DIR (default build/web), RAFTPLAY_ARTIFACTS
// (build/artifacts), RAFTPLAY_CLI (build/native/raftplay, for replay).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serveFolder } from './serve.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WEB_DIR = resolve(ROOT, process.env.RAFTPLAY_WEB_DIR || 'build/web');
const ARTIFACTS = resolve(ROOT, process.env.RAFTPLAY_ARTIFACTS || 'build/artifacts');
const CLI = resolve(ROOT, process.env.RAFTPLAY_CLI || 'build/native/raftplay');
const CHROMIUM = process.env.RAFTPLAY_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];
const TIMEOUT_MS = 90_000;

let context;
let profileDir;
let server;

before(async () => {
    assert.ok(existsSync(join(WEB_DIR, 'index.html')), `no page in ${WEB_DIR}: build the wasm preset`);
    mkdirSync(ARTIFACTS, { recursive: true });
    profileDir = mkdtempSync(join(tmpdir(), 'raftplay-archive-'));
    context = await chromium.launchPersistentContext(profileDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_FLAGS,
        viewport: { width: 1280, height: 800 },
        acceptDownloads: true,
    });
    server = await serveFolder(WEB_DIR);
});

after(async () => {
    await context?.close();
    await server?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

// ---- helpers ------------------------------------------------------------------------

async function open(hash = '') {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack || e}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
    await page.goto(server.url + (hash ? '#' + hash : ''));
    await page.waitForFunction(() => window.raftplay && window.raftplay.frames() >= 5, null,
                               { timeout: TIMEOUT_MS, polling: 50 });
    return { page, errors };
}

const state = (page) => page.evaluate(() => window.raftplay.state());

async function frames(page, n = 2) {
    const f0 = await page.evaluate(() => window.raftplay.frames());
    await page.waitForFunction((want) => window.raftplay.frames() >= want, f0 + n,
                               { timeout: TIMEOUT_MS, polling: 20 });
}

async function until(page, predicate, what, timeout = TIMEOUT_MS) {
    try {
        await page.waitForFunction(`(${predicate})(window.raftplay.state())`, null, { timeout, polling: 100 });
    } catch (e) {
        const s = await state(page);
        delete s.ui;
        throw new Error(`timed out waiting for ${what}; state: ${JSON.stringify(s).slice(0, 1500)}`);
    }
    return state(page);
}

async function click(page, name) {
    await frames(page, 1);
    const rect = (await state(page)).ui[name];
    assert.ok(rect, `widget ${name} is not on screen`);
    await page.mouse.move(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2);
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

async function pause(page) {
    if ((await state(page)).playing) await key(page, 'Space');
    await frames(page, 2);
    const s = await state(page);
    assert.equal(s.playing, false, 'paused');
    return s;
}

// Import... opens the page's file picker (its hidden file input); the test
// picks the file in it.
async function importFile(page, path) {
    await click(page, 'tab.scenario');
    const chooser = page.waitForEvent('filechooser', { timeout: 20_000 });
    await click(page, 'scn.import');
    await (await chooser).setFiles(path);
}

async function shot(page, name) {
    await frames(page, 3);
    const file = join(ARTIFACTS, name);
    await page.screenshot({ path: file });
    const out = execFileSync('identify', ['-format', '%[fx:standard_deviation] %k', file], { encoding: 'utf8' });
    const [deviation, colours] = out.trim().split(/\s+/).map(Number);
    assert.ok(colours > 16 && deviation > 0.01, `${file} looks blank`);
    console.log(`# screenshot ${file}`);
}

function noErrors(errors) {
    assert.deepEqual(errors, [], 'the page reported errors');
}

// The moments a few steps back from the cursor: [{t_us, digest}].
async function stepsBack(page, n) {
    const out = [];
    for (let i = 0; i < n; i++) {
        await key(page, 'ArrowLeft');
        const s = await until(page, (s) => !s.busy, 'the step back');
        out.push({ t_us: s.t_us, digest: s.digest });
    }
    return out;
}

// ---- tests ---------------------------------------------------------------------------

describe('raftplay run archives', () => {
    test('an exported archive imports back at the same moment with the same digests; a truncated one is a named error', async () => {
        const { page, errors } = await open();
        let original;
        let earlier;
        const archive = join(ARTIFACTS, 'browser-export.rpa');
        try {
            await key(page, '+', 4);  // 1x
            await until(page, (s) => s.leader >= 0, 'a leader');
            await click(page, 'tab.control');
            await click(page, 'ctl.put');
            const follower = (await state(page)).nodes.find((n) => n.role === 'follower').id;
            await click(page, `ctl.kill.${follower}`);
            await until(page, `(s) => s.inputs >= 2 && !s.nodes[${follower}].alive`, 'the actions');
            await frames(page, 10);
            original = await pause(page);

            await click(page, 'tab.scenario');
            const download = page.waitForEvent('download', { timeout: 20_000 });
            await click(page, 'scn.export_archive');
            await (await download).saveAs(archive);
            const bytes = readFileSync(archive);
            assert.equal(bytes.subarray(0, 12).toString('latin1'), 'RAFTPLAY-RPA', 'the archive magic');
            assert.ok(bytes.length > 1000, `an archive of ${bytes.length} bytes`);
            assert.ok(Buffer.from(await page.evaluate(() => Array.from(window.raftplay.runArchive())))
                .equals(bytes), 'runArchive() gives the downloaded bytes');
            const afterExport = await state(page);
            assert.equal(afterExport.t_us, original.t_us, 'exporting leaves the cursor');
            assert.equal(afterExport.digest, original.digest);
            earlier = await stepsBack(page, 3);
            noErrors(errors);
        } finally {
            await page.close();
        }
        console.log(`# archive ${readFileSync(archive).length} bytes at t=${original.t_us} us`);

        // Another page (the default run) opens the archive at its end.
        const copy = await open();
        try {
            await importFile(copy.page, archive);
            const s = await until(copy.page, `(s) => !s.busy && s.t_us === ${original.t_us}`, 'the archive opened');
            assert.equal(s.error, null, 'the archive opens without an error');
            assert.equal(s.digest, original.digest, 'same digest at the same moment');
            assert.equal(s.playing, false, 'an archive opens paused');
            assert.equal(s.inputs, original.inputs, 'the input log came along');
            const back = await stepsBack(copy.page, 3);
            assert.deepEqual(back, earlier, 'the same moments step by step back');
            await shot(copy.page, 'browser-archive-opened.png');

            // The same bytes through window.raftplay: opening takes no re-simulation.
            const opened = await copy.page.evaluate(() => {
                const bytes = window.raftplay.runArchive();
                const t0 = performance.now();
                const ok = window.raftplay.import(bytes, 'again.rpa');
                return { ok, ms: performance.now() - t0, bytes: bytes.length, s: window.raftplay.state() };
            });
            assert.equal(opened.ok, true);
            assert.equal(opened.s.t_us, original.t_us);
            assert.equal(opened.s.digest, original.digest);
            console.log(`# import of ${opened.bytes} bytes took ${opened.ms.toFixed(1)} ms in the page`);

            // A truncated archive: a named error, the run shown stays.
            const cut = join(ARTIFACTS, 'browser-export-cut.rpa');
            const whole = readFileSync(archive);
            writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
            const before = await state(copy.page);
            await importFile(copy.page, cut);
            const e = await until(copy.page, (s) => s.error !== null, 'the error banner');
            assert.match(e.error, /^browser-export-cut\.rpa: truncated at byte \d+/, e.error);
            assert.equal(e.t_us, before.t_us, 'the run stays');
            assert.equal(e.digest, before.digest);
            await shot(copy.page, 'browser-archive-truncated.png');
            noErrors(copy.errors);
        } finally {
            await copy.page.close();
        }

        if (!existsSync(CLI)) {
            console.log(`# ${CLI} missing: native replay not checked`);
            return;
        }
        const replay = spawnSync(CLI, ['replay', archive], { encoding: 'utf8' });
        assert.equal(replay.status, 0, `raftplay replay failed: ${replay.stdout} ${replay.stderr}`);
        assert.equal(JSON.parse(replay.stdout).digest, original.digest, 'the native replay agrees');
    });
});

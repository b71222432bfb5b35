// tests/browser/archive.test.mjs — binary run archives (.rpa) through the page:
// Export archive downloads one (captured from the real download), Import...
// opens it back through the file input at the moment it ended, with the same
// digest at the same moments; a truncated one is a named error in the banner
// and the run shown stays. A screenshot of the error lands in
// build/artifacts/ for a person to review. Fails on a page or console error.
// Env: RAFTPLAY_WEB_DIR (default build/web), RAFTPLAY_ARTIFACTS
// (build/artifacts), RAFTPLAY_CLI (build/native/raftplay, for replay).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ARTIFACTS, noErrors, pageHelpers, replayNatively, useBrowser } from './harness.mjs';

const browser = useBrowser({ profile: 'archive', acceptDownloads: true });

// ---- helpers ------------------------------------------------------------------------

const { state, open, frames, until, clickStepwise: click, key, pause, shot } =
    pageHelpers(browser, { framePolling: 20, untilPolling: 100 });

// Import... opens the page's file picker (its hidden file input); the test
// picks the file in it.
async function importFile(page, path) {
    await click(page, 'tab.scenario');
    const chooser = page.waitForEvent('filechooser', { timeout: 20_000 });
    await click(page, 'scn.import');
    await (await chooser).setFiles(path);
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

        const report = replayNatively(archive);
        if (!report) return;
        assert.equal(report.digest, original.digest, 'the native replay agrees');
    });
});

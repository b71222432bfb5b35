// tests/browser/flow.test.mjs — the page never loses work and never hits a
// wall (issue 16, items 6-9 and 11), with real clicks and keys on the built
// page (build/web): an action after scrubbing lands at the cursor in the same
// frame and its link replays it; Back undoes a kill and Forward redoes it; a
// truncated link keeps its scenario and seed, explains itself and keeps the
// address; playback goes on past the scenario's script; the speed survives a
// reload through the link; 0 ms clicks count, Esc closes popups and the top
// bar does not move; Back undoes a new seed and a switch of scenario; a bug
// hunt from the top-bar picker opens at its own seed. Screenshots land in
// build/artifacts/ for review.
// Env: RAFTPLAY_WEB_DIR (default build/web), RAFTPLAY_ARTIFACTS
// (build/artifacts), RAFTPLAY_CLI (build/native/raftplay, for replay).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';

import { CLI, TIMEOUT_MS, centre, noErrors, pageHelpers, useBrowser } from './harness.mjs';

const browser = useBrowser({ profile: 'flow' });

// ---- helpers ------------------------------------------------------------------------

// click: a real click with no pause between move, press and release (0 ms).
const { state, open, frames, until, spot, click, key, shot } = pageHelpers(browser);

// Opens a link paused at its cursor and waits until it stands there.
async function openAt(hash, t_us) {
    const opened = await open(hash);
    await until(opened.page, `(s) => !s.busy && s.t_us === ${t_us}`, `the cursor at ${t_us}`);
    return opened;
}

// ---- tests ---------------------------------------------------------------------------

describe('raftplay page flow', () => {
    test('an action after scrubbing lands at the cursor in the same frame; its link replays it', async () => {
        const { page, errors } = await openAt('v=1&s=leader-failure&seed=3&t=6000000', 6_000_000);
        let link;
        let after;
        try {
            // Scrub back with the mouse: a click on the timeline at about 2.3 s.
            const bar = await spot(page, 'timeline');
            const x = bar[0] + 10 + (bar[2] - 20) * (2_345_678 / 12_000_000);
            await page.mouse.click(x, bar[1] + bar[3] / 2);
            const scrubbed = await until(page, (s) => !s.busy && s.t_us < 3_000_000, 'the scrub');
            assert.equal(scrubbed.playing, false, 'scrubbing pauses');
            const victim = scrubbed.nodes.find((n) => n.alive).id;
            await click(page, 'tab.control');
            // Press and release the kill button, then look at the very next frame.
            const [kx, ky] = centre(await spot(page, `ctl.kill.${victim}`));
            await page.mouse.move(kx, ky);
            await frames(page, 1);
            await page.mouse.down();
            await frames(page, 1);
            await page.mouse.up();
            await frames(page, 1);
            after = await state(page);
            assert.equal(after.nodes[victim].alive, false, 'the kill shows in the next frame');
            assert.equal(after.t_us, scrubbed.t_us, 'the cursor did not move');
            assert.equal(after.forked, true, 'acting in the past forks');
            assert.equal(after.inputs, 1);
            await shot(page, 'flow-act-after-scrub.png');
            await page.waitForFunction((f) => location.hash === '#' + f, after.fragment, { timeout: 5000 });
            link = after.fragment;
            noErrors(errors);
        } finally {
            await page.close();
        }
        const copy = await openAt(link, after.t_us);
        try {
            const s = await state(copy.page);
            assert.equal(s.digest, after.digest, 'the link replays to the same digest');
            assert.equal(s.nodes.filter((n) => !n.alive).length, 1);
            assert.equal(s.error, null);
            noErrors(copy.errors);
        } finally {
            await copy.page.close();
        }
        if (existsSync(CLI)) {
            const out = JSON.parse(execFileSync(CLI, ['replay', '#' + link], { encoding: 'utf8' }));
            assert.equal(out.digest, after.digest, 'raftplay replay agrees');
        }
    });

    test('Back undoes a kill and Forward redoes it (and Ctrl+Z does the same)', async () => {
        const { page, errors } = await openAt('v=1&s=leader-failure&seed=5&t=2000000', 2_000_000);
        try {
            const before = await state(page);
            const length0 = await page.evaluate(() => history.length);
            await click(page, 'tab.control');
            await click(page, 'ctl.kill.1');
            const killed = await until(page, (s) => !s.nodes[1].alive && s.inputs === 1, 'the kill');
            await page.waitForFunction((n) => history.length === n + 1, length0, { timeout: 5000 });
            await page.evaluate(() => history.back());
            const undone = await until(page, (s) => !s.busy && s.nodes[1].alive && s.inputs === 0, 'Back');
            assert.equal(undone.t_us, before.t_us, 'Back returns to the moment before the kill');
            assert.equal(undone.digest, before.digest);
            await page.waitForFunction((f) => location.hash === '#' + f, before.fragment, { timeout: 5000 });
            await page.evaluate(() => history.forward());
            const redone = await until(page, (s) => !s.busy && !s.nodes[1].alive && s.inputs === 1, 'Forward');
            assert.equal(redone.digest, killed.digest, 'Forward brings the kill back exactly');
            await page.keyboard.press('Control+z');
            await until(page, (s) => !s.busy && s.nodes[1].alive && s.inputs === 0, 'Ctrl+Z');
            await shot(page, 'flow-back-undoes-kill.png');
            noErrors(errors);
        } finally {
            await page.close();
        }
    });

    test('Back undoes a new seed and a switch of scenario', async () => {
        const { page, errors } = await openAt('v=1&s=leader-failure&seed=5&t=2000000', 2_000_000);
        try {
            const before = await state(page);
            await click(page, 'top.new_seed');
            const reseeded = await until(page, (s) => !s.busy && s.seed !== 5, 'the new seed');
            assert.equal(reseeded.scenario, 'leader-failure');
            await page.evaluate(() => history.back());
            let back = await until(page, (s) => !s.busy && s.seed === 5 && s.t_us === 2_000_000, 'Back to seed 5');
            assert.equal(back.digest, before.digest, 'Back restores the run exactly');
            await click(page, 'top.scenario');
            await click(page, 'top.scenario.figure-8');
            const switched = await until(page, (s) => !s.busy && s.scenario === 'figure-8', 'the switch');
            assert.equal(switched.seed, 5, 'a scenario opens at the current seed');
            await page.evaluate(() => history.back());
            back = await until(page, (s) => !s.busy && s.scenario === 'leader-failure', 'Back to leader-failure');
            assert.equal(back.seed, 5);
            assert.equal(back.t_us, 2_000_000);
            assert.equal(back.digest, before.digest, 'Back restores the run before the switch exactly');
            noErrors(errors);
        } finally {
            await page.close();
        }
    });

    test('a bug hunt from the top-bar picker is in its own group and opens at its own seed', async () => {
        const { page, errors } = await openAt('v=1&s=leader-failure&seed=5&t=1000000', 1_000_000);
        try {
            await click(page, 'top.scenario');
            const ui = (await state(page)).ui;
            const rows = Object.entries(ui).filter(([n]) => n.startsWith('top.scenario.'));
            const hunts = rows.filter(([n]) => n.startsWith('top.scenario.bug-hunt-'));
            const plain = rows.filter(([n]) => !n.startsWith('top.scenario.bug-hunt-'));
            assert.ok(hunts.length >= 3 && plain.length >= 10, `the picker lists both (${rows.length})`);
            const lastPlain = Math.max(...plain.map(([, r]) => r[1]));
            assert.ok(hunts.every(([, r]) => r[1] > lastPlain), 'the bug hunts come after every scenario');
            await shot(page, 'flow-picker-groups.png');
            await click(page, 'top.scenario.bug-hunt-commit-old-term');
            const s = await until(page, (s) => s.scenario === 'bug-hunt-commit-old-term', 'the bug hunt');
            assert.equal(s.seed, 34, 'at the seed where its broken rule shows, not the current one');
            noErrors(errors);
        } finally {
            await page.close();
        }
    });

    test('a truncated link keeps its scenario and seed, says what it left out, keeps the address', async () => {
        const source = await openAt('v=1&s=figure-8&seed=7&t=1500000', 1_500_000);
        let full;
        try {
            await click(source.page, 'tab.control');
            await click(source.page, 'ctl.kill.2');  // n2 is up in figure-8
            full = (await until(source.page, (s) => s.inputs === 1, 'the kill')).fragment;
        } finally {
            await source.page.close();
        }
        const truncated = full.slice(0, full.indexOf('&in=') + 8);
        const { page, errors } = await open(truncated);
        try {
            const s = await state(page);
            assert.equal(s.scenario, 'figure-8', 'the scenario is kept');
            assert.equal(s.seed, 7, 'the seed is kept');
            assert.equal(s.link_partial, true);
            assert.match(s.error, /left out: .*the actions \(in\)/, 'the banner says what was left out');
            assert.ok(s.ui['banner.error'], 'the explanation is on screen');
            await shot(page, 'flow-truncated-link.png');
            await frames(page, 30);
            assert.equal(await page.evaluate(() => location.hash), '#' + truncated,
                         'the address stays as typed');
            // The next action is a new entry with an exact link.
            await click(page, 'banner.dismiss');
            assert.equal((await state(page)).error, null, 'Dismiss closes the explanation');
            await click(page, 'tab.control');
            const victim = (await state(page)).nodes.find((n) => n.alive).id;  // figure-8 starts with n0 down
            await click(page, `ctl.kill.${victim}`);
            await until(page, (s) => s.inputs === 1 && !s.link_partial, 'an action');
            // It plays on, so the entry follows the cursor: its link has the kill.
            await page.waitForFunction(() => location.hash.startsWith('#v=1&s=figure-8&seed=7&t=') &&
                                           location.hash.includes('&in='), null, { timeout: 5000 });
            noErrors(errors);
        } finally {
            await page.close();
        }
    });

    test('playback goes on past the scenario script, and an action there happens', async () => {
        const { page, errors } = await openAt('v=1&s=leader-failure&seed=2&t=11500000&speed=1', 11_500_000);
        try {
            let s = await state(page);
            assert.equal(s.speed, 1, 'the link set the speed');
            await key(page, 'Space');
            s = await until(page, (s) => s.t_us > s.duration_us + 300_000, 'time past the script');
            assert.equal(s.playing, true, 'still playing past the script');
            assert.ok(s.end_us > s.duration_us);
            await key(page, 'Space');
            await click(page, 'tab.control');
            const t = (await state(page)).t_us;
            const victim = s.nodes.find((n) => n.alive).id;
            await click(page, `ctl.kill.${victim}`);
            s = await until(page, `(s) => !s.nodes[${victim}].alive`, 'the kill past the script');
            assert.equal(s.t_us, t, 'the kill happened at the cursor');
            assert.ok(s.t_us > s.duration_us);
            await shot(page, 'flow-past-the-script.png');
            noErrors(errors);
        } finally {
            await page.close();
        }
    });

    test('the speed survives a reload through the link', async () => {
        const { page, errors } = await open('v=1&s=default&seed=4');
        try {
            await key(page, '+', 4);  // 1/20x to 1x
            const s = await until(page, (s) => Math.abs(s.speed - 1) < 1e-6, 'speed 1x');
            await page.waitForFunction(() => location.hash.includes('&speed=1'), null, { timeout: 5000 });
            assert.ok(s.fragment.includes('&speed=1'));
            await page.reload();
            await page.waitForFunction(() => window.raftplay && window.raftplay.frames() >= 5, null,
                                       { timeout: TIMEOUT_MS, polling: 50 });
            assert.ok(Math.abs((await state(page)).speed - 1) < 1e-6, 'the reloaded page plays at 1x');
            noErrors(errors);
        } finally {
            await page.close();
        }
    });

    // 9 nodes under stress in software WebGL draw ~12 frames/s: the simulated
    // clock must still follow the wall clock at 1x (the simulation's budget is
    // a share of the wall time that passed, not of a 7 ms frame).
    test('playback at 1x keeps time when frames are slow', async () => {
        const stress = JSON.stringify({
            name: 'perf-9-stress', cluster: { nodes: 9 }, workload: { clients: 8, rate_per_s: 400 },
            duration_ms: 120000, timeline: [{ at_ms: 300, do: 'stress', node: 'leader', count: 20000 }],
        });
        const b64 = Buffer.from(stress).toString('base64url');
        const { page, errors } = await open('v=1&sc=' + b64 + '&seed=1&speed=1');
        try {
            await until(page, (s) => s.leader >= 0 && s.t_us > 1_000_000, 'a leader under stress');
            const sample = () => page.evaluate(() => [window.raftplay.state().t_us, performance.now(),
                                                       window.raftplay.frames()]);
            const [t0, w0, f0] = await sample();
            await page.waitForTimeout(6000);
            const [t1, w1, f1] = await sample();
            const ratio = (t1 - t0) / 1000 / (w1 - w0);
            const fps = (f1 - f0) / ((w1 - w0) / 1000);
            const s = await state(page);
            console.log(`# 9 nodes, stress, 1x: simulated/wall ${ratio.toFixed(3)} at ${fps.toFixed(1)} ` +
                        `frames/s (frame p50 ${s.frame_total_ms.p50.toFixed(1)} ms); behind: ${s.budget_hit}`);
            assert.ok(ratio > 0.9, `the simulated clock follows the wall clock (${ratio.toFixed(3)}x)`);
            noErrors(errors);
        } finally {
            await page.close();
        }
    });

    test('0 ms clicks count, Esc closes a popup, the top bar stays put', async () => {
        const { page, errors } = await open('v=1&s=leader-failure&seed=1&speed=1');
        try {
            const names = ['top.play', 'top.speed', 'top.scenario', 'top.new_seed', 'top.copy_link',
                           'top.lamp', 'top.help'];
            const at = async () => {
                const ui = (await state(page)).ui;
                return names.map((n) => ui[n] && [ui[n][0], ui[n][1]]);
            };
            const early = await at();
            await click(page, 'top.play');  // pause, with a 0 ms click
            let s = await state(page);
            assert.equal(s.playing, false, 'a 0 ms click on play pauses');
            await click(page, 'top.play');
            assert.equal((await state(page)).playing, true, 'and plays again');
            await until(page, (s) => s.t_us > 10_500_000, 'a later, wider time label');
            await click(page, 'tab.control');
            await click(page, 'ctl.kill.0');
            await key(page, 'ArrowLeft', 3);  // then fork in the past
            await click(page, 'ctl.kill.1');
            s = await until(page, (s) => s.forked, 'an action in the past');
            assert.deepEqual(await at(), early, 'no top-bar button moved');
            // A popup (the scenario list), closed by Esc; then the page takes clicks again.
            await click(page, 'top.scenario');
            assert.equal((await state(page)).view.popup_open, true, 'the scenario list is open');
            await shot(page, 'flow-scenario-popup.png');
            await key(page, 'Escape');
            assert.equal((await state(page)).view.popup_open, false, 'Esc closed the scenario list');
            const before = (await state(page)).playing;
            await click(page, 'top.play');
            assert.equal((await state(page)).playing, !before, 'after Esc a click reaches the page');
            if ((await state(page)).playing) await key(page, 'Space');
            const shown = (await state(page)).fragment;
            await click(page, 'top.copy_link');
            const copied = await page.evaluate(() => window.raftplay.copiedLink());
            assert.ok(copied && copied.endsWith('#' + shown), `Copy link copies the exact link: ${copied}`);
            await shot(page, 'flow-top-bar.png');
            noErrors(errors);
        } finally {
            await page.close();
        }
    });
});

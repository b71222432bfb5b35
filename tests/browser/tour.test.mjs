// tests/browser/tour.test.mjs — guided tours (issue 16 items 2 and 4) with
// real clicks on the built page (build/web): the default scenario's tour is
// run to its end by following its tasks (kill the leader, restart it) with
// the control panel's buttons; its chapter survives in the link; a bug hunt
// opened from the picker stops at its violation. Screenshots of the tour
// panel land in build/artifacts/ for review.
// Env: RAFTPLAY_WEB_DIR (default build/web), RAFTPLAY_ARTIFACTS (build/artifacts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { pageHelpers, useBrowser } from './harness.mjs';

const browser = useBrowser({ profile: 'tour' });

// ---- helpers ------------------------------------------------------------------------

const { state, open, until, click, shot } = pageHelpers(browser);

// Clicks Next until the tour shows chapter `n` (1-based).
async function nextTo(page, n) {
    for (let s = await state(page); s.tour.chapter < n; s = await state(page)) {
        const before = s.tour.chapter;
        await click(page, 'tour.next');
        // At least: playback may carry the tour on into the chapter after
        // before the next poll (the restart task's chapter plays on).
        await until(page, `(s) => !s.busy && s.tour.chapter >= ${before + 1}`, `chapter ${before + 1}`);
    }
}

// ---- tests ---------------------------------------------------------------------------

describe('guided tours', () => {
    test('the default tour runs to its end by following its tasks with real clicks', async () => {
        const { page, errors } = await open();
        try {
            let s = await state(page);
            assert.equal(s.tour.has_tour, true);
            assert.equal(s.tour.active, false, 'the bare page offers the tour');
            await click(page, 'tour.start');
            s = await until(page, (s) => s.tour.active && s.tour.chapter === 1, 'the tour starts');
            assert.equal(s.tour.count, 7);
            assert.ok(Math.abs(s.speed - 0.05) < 1e-3, `chapter 1 plays at 1/20x, got ${s.speed}`);
            await shot(page, 'tour-chapter-1.png');
            await nextTo(page, 3);
            s = await until(page, (s) => s.tour.waiting && !s.playing, 'the kill task waits');
            await shot(page, 'tour-task-waiting.png');
            const leader = s.nodes.find((n) => n.role === 'leader').id;
            await click(page, 'tab.control');
            await click(page, `ctl.kill.${leader}`);
            s = await until(page, (s) => !s.tour.waiting && s.playing, 'the kill does the task');
            assert.equal(s.nodes[leader].alive, false);
            s = await until(page, (s) => s.tour.chapter === 4, 'the tour plays on into chapter 4');
            await nextTo(page, 5);
            s = await until(page, (s) => s.tour.waiting, 'the restart task waits');
            await click(page, `ctl.restart.${leader}`);
            s = await until(page, (s) => !s.tour.waiting, 'the restart does the task');
            assert.equal(s.nodes[leader].alive, true);
            await nextTo(page, 7);
            s = await state(page);
            assert.equal(s.tour.chapter, s.tour.count, 'at the last chapter');
            assert.equal(s.inputs, 2, 'the two tasks are in the input log');
            assert.match(s.fragment, /&tour=7$/);
            await shot(page, 'tour-last-chapter.png');
            assert.deepEqual(errors, []);
            // The link opens the same chapter at the same moment.
            const copy = await open(s.fragment);
            try {
                const c = await until(copy.page, `(c) => !c.busy && c.t_us === ${s.t_us}`, 'the link');
                assert.equal(c.tour.active, true);
                assert.equal(c.tour.chapter, 7);
                assert.equal(c.digest, s.digest);
            } finally {
                await copy.page.close();
            }
        } finally {
            await page.close();
        }
    });

    test('Do it for me does the task; a bug hunt from the picker stops at its violation', async () => {
        const { page, errors } = await open('v=1&s=default&seed=2&tour=3');
        try {
            let s = await until(page, (s) => !s.busy && s.tour.waiting, 'the task at chapter 3');
            await click(page, 'tour.do_task');
            s = await until(page, (s) => !s.tour.waiting && s.inputs === 1, 'done for me');
            assert.equal(s.nodes.filter((n) => !n.alive).length, 1);
            await click(page, 'tab.scenario');
            await click(page, 'scn.builtin.bug-hunt-commit-old-term');
            s = await until(page, (s) => s.scenario === 'bug-hunt-commit-old-term' && s.tour.active,
                            'the bug hunt opens with its tour');
            assert.equal(s.seed, 34, 'at the seed where the broken rule shows');
            s = await until(page, (s) => s.tour.chapter === s.tour.count && !s.playing,
                            'the tour stops at the guilty event');
            assert.ok(s.checks.ok === false, 'a violation is shown');
            await shot(page, 'tour-bug-hunt-caught.png');
            assert.deepEqual(errors, []);
        } finally {
            await page.close();
        }
    });
});

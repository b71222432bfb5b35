// tests/browser/narration.test.mjs — the page explains what it shows: the
// caption of a scripted election (leader-failure, seed 1) matches the
// expectation the unit test checks natively (tests/data/narration/), clicking
// a narrated event goes there, the all-logs view shows Figure 7's terms, and
// a request sent through a follower is shown as forwarded to the leader.
// Screenshots land in build/artifacts/ for a person to review.
// Env: RAFTPLAY_WEB_DIR (default build/web), RAFTPLAY_ARTIFACTS (build/artifacts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ROOT, pageHelpers, useBrowser } from './harness.mjs';

// "t_us<TAB>caption" per line, written by tests/unit/narration_test.cpp.
const CAPTIONS = readFileSync(join(ROOT, 'tests/data/narration/election-captions.txt'), 'utf8')
    .split('\n').filter((l) => l).map((l) => {
        const tab = l.indexOf('\t');
        return { t: Number(l.slice(0, tab)), caption: l.slice(tab + 1) };
    });
// "   237.423 ms  sentence" per line: the narrated events of the same run.
const EVENTS = readFileSync(join(ROOT, 'tests/data/narration/election.txt'), 'utf8')
    .split('\n').filter((l) => l).map((l) => {
        const m = /^\s*([\d.]+) ms {2}(.*)$/.exec(l);
        return { t: Math.round(Number(m[1]) * 1000), text: m[2] };
    });

const browser = useBrowser({ profile: 'narration' });

// ---- helpers ------------------------------------------------------------------------

const { state, open, frames, until, clickStepwise: click, key, shot } =
    pageHelpers(browser, { framePolling: 20, untilPolling: 100 });

// Opens a built-in paused at t (a share link's cursor) and waits until it is there.
async function openAt(name, t) {
    const opened = await open(`v=1&s=${name}&seed=1&t=${t}`);
    await until(opened.page, `(s) => s.t_us === ${t} && !s.busy && !s.playing`, `t = ${t}`);
    return opened;
}

// ---- tests ---------------------------------------------------------------------------

describe('raftplay narration and logs', () => {
    test('the caption of a scripted election matches the expectation', async () => {
        for (const { t, caption } of CAPTIONS.filter((c, i) => i % 3 === 0 || c.t === 237423)) {
            const { page, errors } = await openAt('leader-failure', t);
            try {
                const s = await state(page);
                assert.equal(s.caption, caption, `caption at t = ${t}`);
                assert.ok(s.ui.caption, 'the caption line is drawn');
                if (t === 237423) await shot(page, 'browser-caption.png');
                assert.deepEqual(errors, []);
            } finally {
                await page.close();
            }
        }
    });

    test('clicking a narrated event goes there', async () => {
        const { page, errors } = await openAt('leader-failure', 3216114);
        try {
            await key(page, 'n');
            let s = await state(page);
            assert.ok(s.ui['tab.narration'], 'the narration tab is there');
            const rows = Object.keys(s.ui).filter((k) => k.startsWith('narr.row.'))
                .map((k) => Number(k.slice('narr.row.'.length))).sort((a, b) => a - b);
            assert.ok(rows.length >= 5, `narrated rows are drawn: ${rows}`);
            await shot(page, 'browser-narration-list.png');
            const before = s.t_us;
            await click(page, `narr.row.${rows[1]}`);
            s = await until(page, `(s) => s.t_us !== ${before} && !s.busy`, 'the seek');
            assert.equal(s.caption_t_us, s.t_us, 'the cursor is at the event clicked');
            const event = EVENTS.find((e) => e.t === s.t_us);
            assert.ok(event, `a narrated event at ${s.t_us}`);
            assert.ok(s.caption.includes(event.text), `caption "${s.caption}" tells "${event.text}"`);
            assert.deepEqual(errors, []);
        } finally {
            await page.close();
        }
    });

    test('the all-logs view shows the terms of Figure 7', async () => {
        const { page, errors } = await openAt('figure-7', 1000);
        try {
            await key(page, 'g');
            let s = await state(page);
            assert.ok(s.ui['logs.view'], 'the logs view is open');
            const want = {
                0: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6],
                2: [1, 1, 1, 4],
                4: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
                6: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
            };
            for (const [node, terms] of Object.entries(want)) {
                terms.forEach((term, i) => {
                    const name = `logs.e.${node}.${i + 1}.t${term}`;
                    assert.ok(s.ui[name], `${name} is drawn`);
                });
                assert.ok(!s.ui[`logs.e.${node}.${terms.length + 1}.t${terms.at(-1)}`]);
            }
            await shot(page, 'browser-logs-figure7.png');
            assert.deepEqual(errors, []);
        } finally {
            await page.close();
        }
        // After the election the leader (n0, term 8) overwrites the conflicting suffixes.
        const later = await openAt('figure-7', 9000);
        try {
            await key(later.page, 'g');
            const s = await state(later.page);
            assert.equal(s.leader, 0, 'n0 leads');
            await shot(later.page, 'browser-logs-figure7-conflicts.png');
            assert.deepEqual(later.errors, []);
        } finally {
            await later.page.close();
        }
    });

    test('the all-logs view of Figure 8', async () => {
        const { page, errors } = await openAt('figure-8', 40000);
        try {
            await key(page, 'g');
            const s = await state(page);
            assert.ok(s.ui['logs.view'], 'the logs view is open');
            await shot(page, 'browser-logs-figure8.png');
            assert.deepEqual(errors, []);
        } finally {
            await page.close();
        }
    });

    test('a request through a follower is shown forwarded to the leader', async () => {
        const { page, errors } = await openAt('default', 2000000);
        try {
            let s = await state(page);
            const follower = s.nodes.find((n) => n.alive && n.role === 'follower').id;
            await click(page, `node.${follower}`);
            await click(page, 'node.put');
            s = await state(page);
            assert.equal(s.inputs, 1, 'the put is in the input log');
            await click(page, 'tab.control');
            await key(page, 'Space');
            await until(page, '(s) => s.t_us > 2300000', 'the put to complete');
            await key(page, 'Space');
            s = await state(page);
            assert.ok(s.ui['ctl.request.0'], 'the request row is drawn');
            await shot(page, 'browser-request-forwarded.png');
            assert.deepEqual(errors, []);
        } finally {
            await page.close();
        }
    });

    test('a STRESS shows its progress', async () => {
        const { page, errors } = await openAt('default', 2000000);
        try {
            await click(page, 'ctl.stress');
            let s = await state(page);
            assert.equal(s.inputs, 1, 'the stress is in the input log');
            for (let i = 0; i < 4; i++) await key(page, '+');
            await key(page, 'Space');
            s = await until(page, '(s) => s.t_us > 2300000', 'the stress to run');
            await key(page, 'Space');
            s = await state(page);
            assert.ok(s.ui['ctl.stress_progress.0'], 'the progress bar is drawn');
            await shot(page, 'browser-stress-progress.png');
            assert.deepEqual(errors, []);
        } finally {
            await page.close();
        }
    });

    test('pausing the background workload quiets the cluster until every hash agrees', async () => {
        const { page, errors } = await openAt('default', 2000000);
        try {
            await click(page, 'tab.control');
            await click(page, 'ctl.workload');
            let s = await state(page);
            assert.equal(s.inputs, 1, 'the pause is in the input log');
            for (let i = 0; i < 4; i++) await key(page, '+');
            await key(page, 'Space');
            s = await until(page, '(s) => s.t_us > 2600000', 'time to pass');
            await key(page, 'Space');
            s = await state(page);
            const hashes = new Set(s.nodes.filter((n) => n.alive).map((n) => n.kv_hash));
            assert.equal(hashes.size, 1, `one hash on a quiet cluster: ${[...hashes]}`);
            assert.ok(s.caption, 'a caption');
            await shot(page, 'browser-workload-paused.png');
            // The link replays the pause.
            const copy = await open(s.fragment);
            try {
                const c = await until(copy.page, `(s) => s.t_us === ${s.t_us} && !s.busy`, 'the copy');
                assert.equal(c.digest, s.digest, 'the link reproduces the paused run');
            } finally {
                await copy.page.close();
            }
            assert.deepEqual(errors, []);
        } finally {
            await page.close();
        }
    });
});

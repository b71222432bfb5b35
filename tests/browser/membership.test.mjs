// tests/browser/membership.test.mjs — membership changes and leadership
// transfer in the page (thesis ch. 4, §3.10), with the real mouse: in
// membership-grow the spares wait outside the ring; Add server boots one and
// the ring and the leader's configuration grow (an input-log entry the link
// carries, narrated in the caption); Promote is greyed without a learner and
// a click on it does nothing; selecting the new server and pressing Transfer
// leadership hands leadership to it. Screenshots land in build/artifacts/
// (membership-*.png) for a person to review.
// Env: RAFTPLAY_WEB_DIR (default build/web), RAFTPLAY_ARTIFACTS (build/artifacts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ARTIFACTS, centre, pageHelpers, useBrowser } from './harness.mjs';

const browser = useBrowser({ profile: 'membership' });

const { state, open, frames, until, spot } = pageHelpers(browser);

async function click(page, name) {
    const [x, y] = centre(await spot(page, name));
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.up();
    await frames(page, 3);
}

const members = (s) => s.nodes.filter((n) => !n.spare).map((n) => n.id);
const leaderConf = (s) => (s.leader >= 0 ? s.nodes[s.leader].conf : '');

describe('membership in the page', () => {
    test('add a server, then hand it leadership', async () => {
        // At 1 s (before the script's first add_node at 2 s), paused there.
        const { page, errors } = await open('v=1&s=membership-grow&seed=1&t=1000000');
        try {
            let s = await until(page, (s) => s.t_us === 1000000 && !s.busy && s.leader >= 0,
                                'the run at 1 s with a leader');
            assert.deepEqual(members(s), [0, 1, 2], 'three voters on the ring');
            assert.equal(leaderConf(s), '0,1,2');
            assert.ok(s.ui['spare.3'] && s.ui['spare.4'], 'the spares are drawn apart');
            assert.ok(!s.ui['node.3'], 'a spare is not on the ring');
            await page.screenshot({ path: join(ARTIFACTS, 'membership-spares.png') });

            await click(page, 'tab.control');
            // No learner: Promote is greyed, and clicking it acts on nothing.
            const inputs = (await state(page)).inputs;
            await click(page, 'ctl.promote');
            assert.equal((await state(page)).inputs, inputs, 'a greyed Promote adds no input');

            await click(page, 'ctl.add_server');
            // (until() runs the predicate in the page: the count goes in as text.)
            s = await until(page, `(s) => s.inputs === ${inputs + 1} && !s.busy`,
                            'the add_server input');
            assert.equal(s.t_us, 1000000, 'the action is stamped at the cursor');
            assert.deepEqual(members(s), [0, 1, 2, 3], 'n3 booted: the ring grew');
            assert.equal(leaderConf(s), '0,1,2,3', "the leader's configuration has n3");
            assert.ok(s.ui['node.3'] && !s.ui['spare.3'], 'n3 is drawn on the ring');
            assert.match(s.caption, /appends configuration entry \d+ to add n3 as a voter/);
            assert.match(s.fragment, /in=/, 'the link carries the action');
            await page.screenshot({ path: join(ARTIFACTS, 'membership-added.png') });

            // Let n3 catch up and the change commit, then hand it leadership.
            await page.keyboard.press('Space');
            s = await until(page, (s) => s.t_us >= 1300000, 'playback to 1.3 s');
            await page.keyboard.press('Space');
            await until(page, (s) => !s.playing, 'paused');
            await click(page, 'node.3');
            await click(page, 'tab.control');
            await click(page, 'ctl.transfer');
            s = await until(page, (s) => s.transfer_to === 3 || s.leader === 3,
                            'the transfer to n3 under way');
            await page.screenshot({ path: join(ARTIFACTS, 'membership-transfer.png') });
            await page.keyboard.press('Space');
            s = await until(page, (s) => s.leader === 3 && s.transfer_to === -1,
                            'n3 leads after the transfer');
            await page.keyboard.press('Space');
            assert.equal(s.nodes[3].conf, '0,1,2,3');
            await frames(page, 4);
            await page.screenshot({ path: join(ARTIFACTS, 'membership-transferred.png') });
            assert.deepEqual(errors, []);
        } finally {
            await page.close();
        }
    });
});

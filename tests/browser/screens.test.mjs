// tests/browser/screens.test.mjs — small screens and touch (issue 16, item 10),
// with real input on the built page (build/web) in a touch-capable browser: at
// 390x844 (a phone) the page uses its narrow layout and every panel and
// layout widget lies inside the window; the panels' drawer opens with a tap
// and takes a tap (a kill); a touch drag on the timeline scrubs. At 1366x768
// and 1024x768 the wide layout fits the window too. Screenshots of each size
// land in build/artifacts/ for review.
// Env: RAFTPLAY_WEB_DIR (default build/web), RAFTPLAY_ARTIFACTS (build/artifacts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { centre, pageHelpers, useBrowser } from './harness.mjs';

const PHONE = { width: 390, height: 844 };

const browser = useBrowser({ profile: 'screens', viewport: PHONE, hasTouch: true });

// ---- helpers ------------------------------------------------------------------------

const { state, open, frames, until, spot, shot } = pageHelpers(browser);

// A finger's tap (touchstart and touchend; SDL turns them into a click).
async function tap(page, name) {
    const [x, y] = centre(await spot(page, name));
    await page.touchscreen.tap(x, y);
    await frames(page, 4);
}

// A finger's drag through the given points, one frame per move (CDP touch
// events, as a phone sends them).
async function touchDrag(page, points) {
    const cdp = await page.context().newCDPSession(page);
    const at = ([x, y]) => [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(points[0]) });
    await frames(page, 3);
    for (const p of points.slice(1)) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(p) });
        await frames(page, 3);
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await frames(page, 3);
    await cdp.detach();
}

// Widgets whose rectangle may legitimately leave the window: rows of a
// scrolled list, message dots in flight at the cluster's edge.
const SCROLLED = /^(narr\.row\.|scn\.builtin\.|msgdot\.|req\.|log\.)/;

// Every named widget (and panel) drawn this frame lies inside the window:
// wholly inside horizontally; vertically too, except below the top of a
// scrolling panel body (the drawer's or the side panel's), where the rest
// is reached by scrolling.
async function assertInside(page, size, what) {
    await frames(page, 2);
    const ui = (await state(page)).ui;
    const scrollTop = ui.drawer ? ui.drawer[1] : ui.panel ? ui.panel[1] : Infinity;
    const outside = [];
    for (const [name, [x, y, w, h]] of Object.entries(ui)) {
        if (SCROLLED.test(name)) continue;
        const across = x < -0.5 || x + w > size.width + 0.5;
        const down = y < -0.5 || (y + h > size.height + 0.5 && !(y > scrollTop + 40 && name !== 'drawer' && name !== 'panel'));
        if (across || down) outside.push(`${name} [${x}, ${y}, ${w}, ${h}]`);
    }
    assert.deepEqual(outside, [], `${what}: widgets outside the ${size.width}x${size.height} window`);
    return ui;
}

// Rectangles that must not overlap (the top bar's widgets).
function assertDisjoint(ui, names, what) {
    const rects = names.filter((n) => ui[n]).map((n) => [n, ui[n]]);
    for (let i = 0; i < rects.length; i++) {
        for (let j = i + 1; j < rects.length; j++) {
            const [a, [ax, ay, aw, ah]] = rects[i], [b, [bx, by, bw, bh]] = rects[j];
            const overlap = ax < bx + bw - 0.5 && bx < ax + aw - 0.5 && ay < by + bh - 0.5 && by < ay + ah - 0.5;
            assert.ok(!overlap, `${what}: ${a} overlaps ${b}`);
        }
    }
}

const TOP = ['top.play', 'top.prev_marker', 'top.step_back', 'top.step_forward', 'top.next_marker',
             'top.speed', 'top.time', 'top.status', 'top.scenario', 'top.new_seed', 'top.copy_link',
             'top.lamp', 'top.help', 'top.panels', 'top.more'];


// ---- tests ---------------------------------------------------------------------------

describe('raftplay on small screens and touch', { timeout: 240_000 }, () => {
    test('a phone (390x844): narrow layout inside the window, the drawer by touch, a touch drag scrubs', async () => {
        // Paused at 2 s (a leader, nobody crashed yet): the kill button is live.
        const { page, errors } = await open('v=1&s=leader-failure&seed=3&t=2000000');
        try {
            let s = await until(page, (s) => !s.busy && s.t_us === 2_000_000 && s.leader >= 0, 'a leader at 2 s');
            assert.equal(s.view.layout, 'narrow');
            let ui = await assertInside(page, PHONE, 'narrow layout');
            for (const name of ['top.panels', 'top.more', 'top.scenario', 'top.speed', 'timeline', 'cluster', 'caption'])
                assert.ok(ui[name], `${name} is on screen`);
            assert.ok(!ui.panel, 'no side panel beside the cluster');
            assertDisjoint(ui, TOP, 'narrow top bar');
            assert.ok(ui['top.play'][3] >= 28, `touch-sized buttons (${ui['top.play'][3]} px high)`);
            await shot(page, 'screens-390x844.png');

            // The drawer: a tap opens it over the cluster, a tap in it kills a node.
            await tap(page, 'top.panels');
            s = await until(page, (s) => s.view.drawer_open, 'the drawer open');
            await tap(page, 'tab.control');
            ui = await assertInside(page, PHONE, 'the drawer');
            assert.ok(ui.drawer && ui['drawer.close'] && ui['ctl.kill.0'], 'the drawer shows the Control tab');
            const victim = s.leader === 0 ? 1 : 0;
            await tap(page, `ctl.kill.${victim}`);
            s = await until(page, `(s) => !s.nodes[${victim}].alive && s.inputs === 1`, 'the kill by touch');
            await shot(page, 'screens-390x844-drawer.png');
            await tap(page, 'drawer.close');
            s = await until(page, (s) => !s.view.drawer_open, 'the drawer closed');

            // The overflow menu holds Copy link.
            await tap(page, 'top.more');
            s = await until(page, (s) => s.view.popup_open, 'the ... menu open');
            await assertInside(page, PHONE, 'the ... menu');
            await shot(page, 'screens-390x844-more.png');
            await tap(page, 'top.copy_link');
            const copied = await page.evaluate(() => window.raftplay.copiedLink());
            assert.ok(copied && copied.includes('s=leader-failure') && copied.includes('seed=3'),
                      `Copy link from the ... menu copies this run's link: ${copied}`);
            s = await until(page, (s) => !s.view.popup_open, 'the menu closed by its item');

            // A touch drag on the timeline scrubs (and pauses).
            await tap(page, 'top.play');
            await until(page, (s) => s.playing, 'playing (by a tap)');
            const tl = await spot(page, 'timeline');
            const y = tl[1] + tl[3] / 2, x = (f) => tl[0] + 10 + (tl[2] - 20) * f;
            const t0 = (await state(page)).t_us;
            await touchDrag(page, [[x(0.2), y], [x(0.25), y], [x(0.3), y]]);
            const at30 = await until(page, (s) => !s.busy, 'the scrub done');
            await touchDrag(page, [[x(0.3), y], [x(0.5), y], [x(0.7), y]]);
            const at70 = await until(page, (s) => !s.busy, 'the second scrub done');
            console.log(`# touch scrub: t ${t0} -> ${at30.t_us} (30%) -> ${at70.t_us} (70%)`);
            assert.equal(at70.playing, false, 'scrubbing pauses');
            assert.notEqual(at30.t_us, t0, 'the first drag moved the cursor');
            const ratio = at70.t_us / at30.t_us;
            assert.ok(ratio > 2.0 && ratio < 2.7, `the cursor followed the finger (70%/30% = ${ratio.toFixed(2)})`);
            await shot(page, 'screens-390x844-scrubbed.png');
            await tap(page, 'tab.charts');
            await assertInside(page, PHONE, 'the charts');
            await shot(page, 'screens-390x844-charts.png');

            // The help fits the phone's width (it scrolls) and Esc closes it.
            await tap(page, 'top.help');
            s = await until(page, (s) => s.view.help_open, 'the help open');
            await shot(page, 'screens-390x844-help.png');
            await page.keyboard.press('Escape');
            s = await until(page, (s) => !s.view.help_open, 'the help closed by Esc');
            assert.deepEqual(errors, []);
        } finally {
            await page.close();
        }
    });

    test('1366x768 and 1024x768: the wide layout fits the window', async () => {
        const { page, errors } = await open('v=1&s=partition-minority&seed=2&speed=1');
        try {
            for (const size of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }]) {
                await page.setViewportSize(size);
                const s = await until(page, (s) => s.view.layout === 'wide' && s.leader >= 0, 'the wide layout');
                await frames(page, 4);
                const ui = await assertInside(page, size, `${size.width}x${size.height}`);
                assert.ok(ui.panel && ui.cluster && ui.timeline && ui['top.help'], 'side panel, cluster, timeline');
                assertDisjoint(ui, TOP, `${size.width}x${size.height} top bar`);
                assert.ok(ui.panel[0] >= ui.cluster[0] + ui.cluster[2] - 0.5, 'the panel is beside the cluster');
                await shot(page, `screens-${size.width}x${size.height}.png`);
                assert.ok(s.view.drawer_open === false);
            }
            assert.deepEqual(errors, []);
        } finally {
            await page.close();
        }
    });
});

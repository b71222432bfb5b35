// tests/browser/snap.mjs — a quick look at the page for people working on it
// (not a test): serves the built page, opens it (optionally with a share
// fragment), runs a few optional steps, waits, saves a screenshot and prints
// the app's state.
//
//   node tests/browser/snap.mjs [--web build/web] [--hash FRAGMENT] [--wait-ms 3000]
//        [--out build/artifacts/snap.png] [--eval 'JS run in the page before the wait']
//        [--click NAME]...   (a widget named in state().ui, e.g. node.0, node.kill)
//        [--key KEY]...      (a key press, e.g. Space, ArrowRight)
//   Env SNAP_W, SNAP_H: the viewport (default 1280x800; 390x844 for a phone).
import { mkdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serveFolder } from './serve.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];

const args = { web: 'build/web', hash: '', waitMs: 3000, out: 'build/artifacts/snap.png', steps: [] };
for (let i = 2; i < process.argv.length; i++) {
    const a = process.argv[i], v = process.argv[i + 1];
    if (a === '--web') { args.web = v; i++; }
    else if (a === '--hash') { args.hash = v; i++; }
    else if (a === '--wait-ms') { args.waitMs = Number(v); i++; }
    else if (a === '--out') { args.out = v; i++; }
    else if (a === '--eval') { args.steps.push({ eval: v }); i++; }
    else if (a === '--click') { args.steps.push({ click: v }); i++; }
    else if (a === '--key') { args.steps.push({ key: v }); i++; }
    else if (a === '--sleep') { args.steps.push({ sleep: Number(v) }); i++; }
    else { console.error(`snap: unknown argument ${a}`); process.exit(2); }
}

const server = await serveFolder(resolve(ROOT, args.web));
const profile = mkdtempSync(join(tmpdir(), 'raftplay-snap-'));
const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: FLAGS,
    viewport: { width: Number(process.env.SNAP_W || 1280), height: Number(process.env.SNAP_H || 800) },
});
try {
    const page = await context.newPage();
    page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[pageerror] ${e}`));
    await page.goto(server.url + (args.hash ? '#' + args.hash : ''));
    await page.waitForFunction(() => window.raftplay && window.raftplay.frames() > 10, null, { timeout: 60000 });
    for (const step of args.steps) {
        if (step.eval) await page.evaluate(step.eval);
        if (step.sleep) await page.waitForTimeout(step.sleep);
        if (step.key) await page.keyboard.press(step.key);
        if (step.click) {
            const rect = (await page.evaluate(() => window.raftplay.state().ui))[step.click];
            if (!rect) throw new Error(`no widget ${step.click} on screen`);
            await page.mouse.click(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2);
            await page.waitForTimeout(200);
        }
    }
    await page.waitForTimeout(args.waitMs);
    mkdirSync(dirname(resolve(ROOT, args.out)), { recursive: true });
    await page.screenshot({ path: resolve(ROOT, args.out) });
    const state = await page.evaluate(() => window.raftplay.state());
    delete state.ui;
    console.log(JSON.stringify(state, null, 1));
} finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
}

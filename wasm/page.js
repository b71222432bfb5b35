// wasm/page.js — boots the raftplay module and connects it to the page.
//
// Owns only page concerns: checking WebGL2, the loading and error overlays,
// passing the share fragment (location.hash without '#') to main(), keeping
// the address bar an exact link of what is shown, the browser history (every
// action, fork and change of run is an entry: Back undoes it, Forward redoes
// it), the clipboard (Copy link), and telling the app when the tab is hidden.
// Every URL is relative so build/web/ works on any static host.
// window.raftplay is defined once the module is ready:
//   raftplay.state()    -> the app's JSON state, parsed
//   raftplay.fragment() -> the current share fragment
//   raftplay.frames()   -> frames drawn so far
//   raftplay.import(data, name) -> load a run archive, run file or scenario file: data is
//                          a string or the file's bytes (Uint8Array / ArrayBuffer);
//                          false: rejected, the error shown, the run kept
//   raftplay.runFile()  -> the run file (JSON text) of what is shown
//   raftplay.runArchive() -> the binary run archive (.rpa, a Uint8Array) of what was simulated
//   raftplay.resetFrameStats() -> restart the frame-time percentiles in state()
//   raftplay.copiedLink() -> the last link Copy link put on the clipboard
// Run files and run archives are downloaded when the app asks (Export run
// file, Export archive), and files are imported through a file picker
// (Import...) or by dropping them on the page; files go to the module as
// bytes, and the session tells an archive from JSON by its magic.
'use strict';

(function () {
    const loading = document.getElementById('loading');
    const loadingText = document.getElementById('loading-text');
    const canvas = document.getElementById('canvas');

    function showError(title, text, detail) {
        loading.style.display = 'none';
        document.getElementById('error-title').textContent = title;
        document.getElementById('error-text').textContent = text;
        document.getElementById('error-detail').textContent = detail || '';
        document.getElementById('error').style.display = 'flex';
    }

    function hasWebGL2() {
        try {
            return !!document.createElement('canvas').getContext('webgl2');
        } catch (e) {
            return false;
        }
    }

    if (!hasWebGL2()) {
        showError('raftplay needs WebGL2',
                  'This browser does not offer WebGL2, or it is turned off (for example when ' +
                  'hardware acceleration is disabled or the graphics driver is blocklisted). ' +
                  'Please try a current Firefox, Chrome, Edge or Safari.');
        return;
    }

    // The fragment is read at startup; later ones (Back, Forward, a link
    // pasted into the address bar) are loaded into the running app.
    const startFragment = location.hash.replace(/^#/, '');
    let ownFragment = startFragment;  // what the address bar shows
    let seenGeneration = 0;           // the app's history steps turned into entries so far
    let keepAddress = false;          // a link read only in part stays as typed until the next step
    let lastReplace = 0;
    let copiedLink = null;

    const urlOf = (fragment) => location.pathname + location.search + (fragment ? '#' + fragment : '');
    const hashNow = () => location.hash.replace(/^#/, '');

    // A new history step: the entry being left gets the exact link of the
    // moment before the step, and the step is a new entry. Between steps the
    // entry follows the cursor (at most once a second, without new entries).
    function syncHistory(module) {
        const generation = module.raftplay_history_generation();
        if (generation !== seenGeneration) {
            seenGeneration = generation;
            if (!keepAddress) history.replaceState(null, '', urlOf(module.raftplay_fragment_before()));
            keepAddress = false;
            ownFragment = module.raftplay_fragment();
            history.pushState(null, '', urlOf(ownFragment));
            lastReplace = performance.now();
            return;
        }
        if (keepAddress || performance.now() - lastReplace < 1000) return;
        const fragment = module.raftplay_fragment();
        lastReplace = performance.now();
        if (fragment === ownFragment) return;
        ownFragment = fragment;
        history.replaceState(null, '', urlOf(fragment));
    }

    // Back, Forward, or a link typed into the address bar: show that entry.
    function loadAddress(module) {
        const fragment = hashNow();
        if (fragment === ownFragment) return;
        ownFragment = fragment;
        module.raftplay_load_fragment(fragment);
        seenGeneration = module.raftplay_history_generation();
        keepAddress = module.raftplay_link_partial();
        lastReplace = performance.now();
    }

    function copyLink(fragment) {
        const url = location.origin + location.pathname + location.search + '#' + fragment;
        copiedLink = url;
        const fallback = () => {
            const area = document.createElement('textarea');
            area.value = url;
            document.body.appendChild(area);
            area.select();
            try { document.execCommand('copy'); } catch (e) { /* the link stays in copiedLink */ }
            area.remove();
            canvas.focus();
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
            navigator.clipboard.writeText(url).catch(fallback);
        } else {
            fallback();
        }
    }

    // bytes: a Uint8Array copied out of the module's heap.
    function download(name, bytes, mime) {
        const link = document.createElement('a');
        const type = mime || 'application/octet-stream';
        link.href = URL.createObjectURL(new Blob([bytes], { type: type }));
        link.download = name;
        document.body.appendChild(link);
        link.click();
        setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    }

    function importFile(module, file) {
        if (!file) return;
        file.arrayBuffer().then((buffer) => module.raftplay_import(new Uint8Array(buffer), file.name),
                                (error) => console.warn('raftplay: cannot read ' + file.name + ': ' + error));
    }

    // A hidden file input for Import...; the app asks for it right after a click.
    const picker = document.createElement('input');
    picker.type = 'file';
    picker.accept = '.json,.rpa,application/json,application/octet-stream';
    picker.style.display = 'none';
    document.body.appendChild(picker);

    function onReady(module) {
        window.raftplay = {
            state: () => JSON.parse(module.raftplay_state()),
            fragment: () => module.raftplay_fragment(),
            frames: () => module.raftplay_frames(),
            import: (data, name) => module.raftplay_import(
                data instanceof Uint8Array ? data
                    : data instanceof ArrayBuffer ? new Uint8Array(data) : String(data),
                String(name || 'import.json')),
            runFile: () => module.raftplay_run_file(),
            runArchive: () => module.raftplay_run_archive().slice(),
            resetFrameStats: () => module.raftplay_reset_frame_stats(),
            copiedLink: () => copiedLink,
        };
        picker.addEventListener('change', () => {
            importFile(module, picker.files[0]);
            picker.value = '';
        });
        window.addEventListener('dragover', (e) => e.preventDefault());
        window.addEventListener('drop', (e) => {
            e.preventDefault();
            importFile(module, e.dataTransfer && e.dataTransfer.files[0]);
        });
        loading.style.display = 'none';
        canvas.focus();
        document.addEventListener('visibilitychange', () => {
            module.raftplay_set_visible(document.visibilityState === 'visible');
        });
        module.raftplay_set_visible(document.visibilityState === 'visible');
        seenGeneration = module.raftplay_history_generation();
        keepAddress = module.raftplay_link_partial();
        setInterval(() => syncHistory(module), 100);
        window.addEventListener('popstate', () => loadAddress(module));
        window.addEventListener('hashchange', () => loadAddress(module));
    }

    const config = {
        canvas: canvas,
        arguments: [startFragment],
        print: (text) => console.log(text),
        // stderr carries diagnostics, not necessarily failures.
        printErr: (text) => console.warn(text),
        setStatus: (text) => { if (text) loadingText.textContent = text; },
        locateFile: (path) => path,  // Beside raftplay.js, relative to the page.
        raftplayFatal: (what) => showError('raftplay could not start', what),
        raftplayDownload: download,
        raftplayOpenFile: () => picker.click(),
        raftplayCopyLink: copyLink,
        raftplayHistoryGo: (step) => history.go(step),
        onAbort: (what) => showError('raftplay stopped', 'The program hit an internal error.',
                                     String(what)),
    };

    const script = document.createElement('script');
    script.src = 'raftplay.js';
    script.onerror = () => showError('raftplay could not load',
                                     'raftplay.js is missing next to index.html.');
    script.onload = () => {
        loadingText.textContent = 'Starting raftplay…';
        createRaftplay(config).then(onReady, (error) => {
            showError('raftplay could not start', 'The WebAssembly module failed to load.',
                      String(error && error.stack || error));
        });
    };
    document.body.appendChild(script);
})();

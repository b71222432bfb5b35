// wasm/page.js — boots the raftplay module and connects it to the page.
//
// Owns only page concerns: checking WebGL2, the loading and error overlays,
// passing the share fragment (location.hash without '#') to main(), mirroring
// the app's fragment back into the address bar, and telling the app when the
// tab is hidden. Every URL is relative so build/web/ works on any static host.
// window.raftplay is defined once the module is ready:
//   raftplay.state()    -> the app's JSON state, parsed
//   raftplay.fragment() -> the current share fragment
//   raftplay.frames()   -> frames drawn so far
//   raftplay.import(text, name) -> load a run file or scenario file (false: rejected, error shown)
//   raftplay.runFile()  -> the run file (JSON text) of what is shown
//   raftplay.resetFrameStats() -> restart the frame-time percentiles in state()
// Run files are downloaded when the app asks (Export), and files are imported
// through a file picker (Import...) or by dropping them on the page.
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

    // The fragment is read once, at startup; a new link pasted into the
    // address bar reloads the page so that it starts from that link.
    const startFragment = location.hash.replace(/^#/, '');
    let ownFragment = startFragment;

    function syncHash(module) {
        const fragment = module.raftplay_fragment();
        if (fragment === ownFragment) return;
        ownFragment = fragment;
        const url = location.pathname + location.search + (fragment ? '#' + fragment : '');
        history.replaceState(history.state, '', url);  // No history entry per update.
    }

    function download(name, text) {
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        link.download = name;
        document.body.appendChild(link);
        link.click();
        setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    }

    function importFile(module, file) {
        if (!file) return;
        file.text().then((text) => module.raftplay_import(text, file.name),
                         (error) => console.warn('raftplay: cannot read ' + file.name + ': ' + error));
    }

    // A hidden file input for Import...; the app asks for it right after a click.
    const picker = document.createElement('input');
    picker.type = 'file';
    picker.accept = '.json,application/json';
    picker.style.display = 'none';
    document.body.appendChild(picker);

    function onReady(module) {
        window.raftplay = {
            state: () => JSON.parse(module.raftplay_state()),
            fragment: () => module.raftplay_fragment(),
            frames: () => module.raftplay_frames(),
            import: (text, name) => module.raftplay_import(String(text), String(name || 'import.json')),
            runFile: () => module.raftplay_run_file(),
            resetFrameStats: () => module.raftplay_reset_frame_stats(),
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
        setInterval(() => syncHash(module), 1000);
        window.addEventListener('hashchange', () => {
            if (location.hash.replace(/^#/, '') !== ownFragment) location.reload();
        });
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

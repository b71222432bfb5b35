// tests/browser/serve.mjs — a tiny static file server for the browser tests.
//
// Serves a folder (build/web) on 127.0.0.1 at a free port, optionally under a
// path prefix so tests prove the page only uses relative URLs. Read-only, no
// directory listings, never serves outside the folder.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.wasm': 'application/wasm',
    '.json': 'application/json',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
};

// Starts serving `root` below `prefix` (e.g. '/' or '/some/sub/dir/').
// Resolves to { url, close(), requests } where url ends with the prefix.
export async function serveFolder(root, prefix = '/') {
    const base = resolve(root);
    const requests = [];
    const server = createServer(async (request, response) => {
        const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
        requests.push(path);
        if (!path.startsWith(prefix)) return send(response, 404, 'not found');
        let file = normalize(join(base, path.slice(prefix.length) || 'index.html'));
        if (file !== base && !file.startsWith(base + sep)) return send(response, 403, 'forbidden');
        try {
            if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
            const body = await readFile(file);
            response.writeHead(200, {
                'Content-Type': MIME[extname(file)] || 'application/octet-stream',
                'Cache-Control': 'no-store',
            });
            response.end(body);
        } catch {
            send(response, 404, 'not found');
        }
    });
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address();
    return {
        url: `http://127.0.0.1:${port}${prefix}`,
        requests,
        // Browsers keep connections alive; close them or close() waits forever.
        close: () => new Promise((ok) => {
            server.close(ok);
            server.closeAllConnections();
        }),
    };
}

function send(response, status, text) {
    response.writeHead(status, { 'Content-Type': 'text/plain' });
    response.end(text);
}

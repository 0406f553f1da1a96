// `daxcheck explore <model>`: a local page (bound to 127.0.0.1 only) for
// walking a design by hand. Each request is answered from one ExploreSession.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Command } from 'commander';
import { compile } from '../checker/compile.js';
import { UsageError } from '../checker/errors.js';
import { collectConst } from './constants.js';
import { loadDesignFiles } from './design-file.js';
import { explorePage } from './explore-page.js';
import { ExploreSession } from './explore-session.js';
import { collectFile, designToRun, modelWithDesigns } from './registry.js';

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try { return text ? JSON.parse(text) as Record<string, unknown> : {}; } catch { throw new UsageError('the request body is not JSON'); }
}

function reply(res: ServerResponse, status: number, type: string, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra });
  res.end(text);
}

export function handler(session: ExploreSession) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const json = (v: unknown, status = 200) => reply(res, status, 'application/json', JSON.stringify(v));
    try {
      const route = `${req.method} ${new URL(req.url ?? '/', 'http://localhost').pathname}`;
      if (route === 'GET /') return reply(res, 200, 'text/html; charset=utf-8', explorePage);
      if (route === 'GET /api/state') return json(session.view());
      if (route === 'GET /api/trace.itf.json') {
        return reply(res, 200, 'application/json', session.itf(), { 'content-disposition': 'attachment; filename="explored.itf.json"' });
      }
      if (req.method === 'POST') {
        const b = await body(req);
        if (route === 'POST /api/start') session.start(Number(b.init));
        else if (route === 'POST /api/take') session.take(Number(b.instance));
        else if (route === 'POST /api/back') session.back();
        else if (route === 'POST /api/jump') session.jump(Number(b.step));
        else return json({ error: `no route ${route}` }, 404);
        return json(session.view());
      }
      return json({ error: `no route ${route}` }, 404);
    } catch (e) {
      if (e instanceof UsageError) return json({ error: e.message }, 400);
      return json({ error: e instanceof Error ? e.message : String(e) }, 500);
    }
  };
}

export function registerExplore(program: Command): void {
  program.command('explore <model>')
    .description('walk a design by hand in a local page: enabled actions in kernel words, diffs, back, jump, save as ITF')
    .option('--design <D>', 'the design to explore (default: the model\'s own, or the design file\'s)')
    .option('--design-file <FILE>', 'load designs from a TypeScript or JavaScript file (repeatable)', collectFile)
    .option('--model-file <FILE>', 'load a whole model from a TypeScript or JavaScript file (repeatable); name it as the model', collectFile)
    .option('--const <NAME=VALUE>', 'set a constant (repeatable)', collectConst)
    .option('--port <N>', 'the port on 127.0.0.1 (default 7878; 0: any free port)', '7878')
    .action(async (name: string, o: { design?: string; designFile?: string[]; modelFile?: string[]; const?: Record<string, string>; port: string }) => {
      if (!/^\d+$/.test(o.port) || Number(o.port) > 65535) throw new UsageError(`--port takes a port number 0..65535, got '${o.port}'`);
      const { model, added } = modelWithDesigns(name, await loadDesignFiles(o.designFile, o.modelFile));
      const cm = compile(model, designToRun(o.design, added), o.const ?? {});
      const server = createServer(handler(new ExploreSession(model, cm)));
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new UsageError(`--port ${o.port}: the port is in use; choose another`) : e));
        server.listen(Number(o.port), '127.0.0.1', () => resolve());
      });
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : Number(o.port);
      process.stdout.write(`Explorer for model ${cm.model}, design ${cm.design}: http://127.0.0.1:${port}/ (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => { server.close(() => resolve()); server.closeAllConnections(); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

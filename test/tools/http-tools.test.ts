import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedToolDeclaration, TemplateText } from '../../src/spec/resolved.js';
import { createHttpGetTool, createHttpTool, literalOrigin } from '../../src/tools/index.js';
import { LIMITS } from './helpers.js';

let server: Server;
let port = 0;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(`${request.method} ${request.headers.host} ${request.url}`);
    if (request.url === '/redirect-out') {
      response.writeHead(302, { location: `http://localhost:${port}/secret` });
      response.end();
    } else if (request.url === '/redirect-in') {
      response.writeHead(302, { location: '/hello' });
      response.end();
    } else if (request.url?.startsWith('/loop')) {
      response.writeHead(302, { location: `/loop${Number(request.url.slice(5) || 0) + 1}` });
      response.end();
    } else if (request.url === '/huge') {
      response.end('z'.repeat(200_000));
    } else {
      response.end(`you asked for ${request.url}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('http.get', () => {
  const tool = () => createHttpGetTool({ allowHosts: ['127.0.0.1'], limits: LIMITS });

  it('fetches from an allowed host, following redirects that stay on allowed hosts', async () => {
    expect(await tool().run({ url: `http://127.0.0.1:${port}/hello` }, {})).toMatchObject({ isError: false, content: 'HTTP 200\nyou asked for /hello', detail: { status: 200 } });
    expect((await tool().run({ url: `http://127.0.0.1:${port}/redirect-in` }, {})).content).toBe('HTTP 200\nyou asked for /hello');
  });

  it('refuses hosts off the list, redirects leading off it, and other schemes; caps the body', async () => {
    const before = seen.length;
    expect(await tool().run({ url: `http://localhost:${port}/secret` }, {})).toMatchObject({ isError: true, content: expect.stringContaining('host "localhost" is not allowed') });
    expect(await tool().run({ url: 'file:///etc/passwd' }, {})).toMatchObject({ isError: true, content: expect.stringContaining('only http and https') });
    expect(await tool().run({ url: `http://127.0.0.1:${port}/redirect-out` }, {})).toMatchObject({ isError: true, content: expect.stringContaining('host "localhost" is not allowed') });
    // Only the redirecting request reached the server; /secret never did.
    expect(seen.slice(before)).toEqual([`GET 127.0.0.1:${port} /redirect-out`]);
    const huge = await tool().run({ url: `http://127.0.0.1:${port}/huge` }, {});
    expect(Buffer.byteLength(huge.content)).toBeLessThanOrEqual(LIMITS.maxOutputBytes);
    expect(huge.content).toMatch(/bytes cut/);
    expect(await tool().run({ url: `http://user:pw@127.0.0.1:${port}/hello` }, {})).toMatchObject({ isError: true, content: expect.stringContaining('user name or password') });
    const looping = await tool().run({ url: `http://127.0.0.1:${port}/loop` }, {});
    expect(looping).toMatchObject({ isError: true, content: 'more than 5 redirects' });
    expect(createHttpGetTool({ allowHosts: ['Example.COM'], limits: LIMITS }).parameters).toMatchObject({ properties: { url: { format: 'uri' } } });
  });
});

describe('declared http tools', () => {
  const origin = { file: 'sop.yaml', line: 1, column: 1, pointer: '', lineOffset: 0 };
  const template = (text: string): TemplateText => ({ text, origin });
  const render = (part: TemplateText, vars: Record<string, unknown>): string =>
    part.text.replace(/\{\{\s*args\.(\w+)\s*\}\}/g, (_match, name: string) => String((vars['args'] as Record<string, unknown>)[name]));
  const declaration = (url: string): ResolvedToolDeclaration => ({
    name: 'item',
    description: 'Fetch an item',
    parameters: { type: 'object' },
    command: undefined,
    http: { method: 'GET', url: template(url), headers: {}, body: undefined, timeoutSeconds: undefined },
    pointer: '/tools/item',
  });

  it('arguments choose the path, never the server', async () => {
    const tool = createHttpTool(declaration(`http://127.0.0.1:${port}{{ args.path }}`), render, { limits: LIMITS });
    expect((await tool.run({ path: '/items/7' }, {})).content).toBe('HTTP 200\nyou asked for /items/7');
    const before = seen.length;
    for (const path of [`@localhost:${port}/secret`, `.evil.example/`, `:1/`, `/../../x@localhost`]) {
      const escaped = await tool.run({ path }, {});
      if (path.startsWith('/')) {
        // A path-only value stays on the server whatever it contains.
        expect(escaped.content, path).toMatch(/^HTTP 200/);
        continue;
      }
      expect(escaped, path).toMatchObject({ isError: true });
      expect(escaped.content, path).toMatch(new RegExp(`must stay on http://127\\.0\\.0\\.1:${port}|not a URL`));
    }
    expect(seen.slice(before).every((line) => line.startsWith(`GET 127.0.0.1:${port} /`))).toBe(true);
  });

  it('literalOrigin reads the origin a URL template starts with', () => {
    expect(literalOrigin('https://api.github.com/repos/{{ args.repo }}')).toBe('https://api.github.com');
    expect(literalOrigin('{{ args.url }}')).toBeUndefined();
    expect(literalOrigin('https://{{ args.host }}/x')).toBeUndefined();
  });
});

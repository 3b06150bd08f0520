import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import { noteSop, project, run } from './providers-helpers.js';

/** An Ollama host behind a proxy that answers every chat with this error. */
async function failingHost(status: number, type: string, body: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': type });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe('an Ollama host whose proxy answers an error that is not Ollama\'s JSON', () => {
  it.for([
    { what: "a proxy's HTML 502", status: 502, type: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1>nginx</body></html>', said: 'Ollama at HOST failed (502): 502 Bad Gateway' },
    { what: 'an OpenAI-style error object', status: 404, type: 'application/json', body: JSON.stringify({ error: { message: 'no route for /api/chat', type: 'not_found' } }), said: "Ollama at HOST answered 404 for model 'llama3.2': no route for /api/chat" },
  ])('$what: `sop run --json` prints only its JSON envelope on stdout, and the error names what the server said', async ({ status, type, body, said }, context) => {
    const host = await failingHost(status, type, body);
    context.onTestFinished(() => void host.server.close());
    const cwd = project('providers:\n  ollama: { max_retries: 0 }\n');
    writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'ollama:llama3.2', '--json'], { OLLAMA_HOST: host.url });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(10);
    // The SDK printed "Getting text from response" on stdout before the envelope.
    const envelope = JSON.parse(result.stdout);
    expect(envelope).toMatchObject({ ok: false, exitCode: 10 });
    expect(result.stderr).toContain(said.replace('HOST', host.url));
    expect(result.stderr).not.toContain('[object Object]');
  });
});

import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { PUBLIC_SCOPE, type Scope } from '../../lib/auth/scope';
import { testGatewayOptions } from '../../test/gateway';
import { createGateway } from '../server';
import {
  loadTrustedDocuments,
  type TrustedDocuments,
  type TrustedDocumentsRequiredFor,
} from '../trustedDocuments';
import { compose, startThings, THINGS_SDL, useTestResources } from './helpers';
import { operatorScope } from './liveStack';

/**
 * Trusted documents (TRUSTED_DOCUMENTS): operations sent by id run the list's text; callers who
 * must use the list (API keys and anonymous callers by default) are refused any other text with a
 * clear error, while signed-in users keep sending text; a list whose ids are not the SHA-256 of
 * their bodies is refused at start.
 */
const { toStop, dir } = useTestResources();

const HELLO = 'query Hello { hello }';
const THING = 'query Thing($id: ID!) { thing(id: $id) { id name } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const API_KEY_SCOPE: Scope = { ...PUBLIC_SCOPE, principal: { type: 'API_KEY', apiKeyId: 'k1' } };
const USER_SCOPE = operatorScope('op-a', 'user-a');

/** `x-api-key: k1` is a third party's key, `Bearer user` a signed-in user, nothing: anonymous. */
function authenticate(headers: IncomingHttpHeaders): Promise<Scope> {
  if (headers['x-api-key'] === 'k1') return Promise.resolve(API_KEY_SCOPE);
  if (headers.authorization === 'Bearer user') return Promise.resolve(USER_SCOPE);
  return Promise.resolve(PUBLIC_SCOPE);
}

async function writeJson(name: string, value: unknown): Promise<string> {
  const path = join(dir(), name);
  await writeFile(path, JSON.stringify(value));
  return path;
}

/** Apollo's manifest format holding HELLO and THING. */
async function manifest(): Promise<TrustedDocuments> {
  return loadTrustedDocuments(
    await writeJson('manifest.json', {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [HELLO, THING].map((body) => ({ id: sha256(body), body, type: 'query' })),
    }),
  );
}

async function startGateway(requiredFor: TrustedDocumentsRequiredFor) {
  const things = await startThings();
  toStop.push(things.server);
  const supergraphPath = join(dir(), `supergraph-${requiredFor}.graphql`);
  await writeFile(supergraphPath, compose([{ name: 'things', sdl: THINGS_SDL, url: things.url }]));
  const gateway = createGateway(
    testGatewayOptions({
      supergraphPath,
      authenticate,
      trustedDocuments: { documents: await manifest(), requiredFor },
    }),
  );
  toStop.push(gateway);
  const { url } = await gateway.start(0, '127.0.0.1');
  return url;
}

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

describe('trusted documents', () => {
  it('runs an operation sent by id, as documentId or as a persisted-query hash', async () => {
    const url = await startGateway('third-parties');
    const byDocumentId = await post(
      url,
      { documentId: `sha256:${sha256(THING)}`, variables: { id: '7' } },
      { 'x-api-key': 'k1' },
    );
    expect(byDocumentId).toEqual({
      status: 200,
      body: { data: { thing: { id: '7', name: 'thing 7' } } },
    });
    const byHash = await post(url, {
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(HELLO) } },
    });
    expect(byHash).toEqual({ status: 200, body: { data: { hello: 'world' } } });
  });

  it('refuses an unknown id with an error naming it', async () => {
    const url = await startGateway('third-parties');
    const unknown = sha256('query Other { hello }');
    const answer = await post(url, { documentId: `sha256:${unknown}` }, { 'x-api-key': 'k1' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.message).toBe(
      `unknown trusted document "sha256:${unknown}": this gateway runs only the operations in its trusted-documents list (TRUSTED_DOCUMENTS); send the id of one of them`,
    );
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('refuses free text from API-key and anonymous callers, not from signed-in users', async () => {
    const url = await startGateway('third-parties');
    const callers: Record<string, string>[] = [{ 'x-api-key': 'k1' }, {}];
    for (const headers of callers) {
      const refused = await post(url, { query: '{ hello }' }, headers);
      expect(refused.status).toBe(403);
      expect(refused.body.data).toBeUndefined();
      expect(refused.body.errors?.[0]).toMatchObject({
        message: expect.stringContaining(
          'this gateway runs only trusted documents for API-key and anonymous callers',
        ) as string,
        extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' },
      });
      // The list's exact text is a trusted document, whether sent by id or in full.
      const listed = await post(url, { query: HELLO }, headers);
      expect(listed.body).toEqual({ data: { hello: 'world' } });
    }
    const user = await post(url, { query: '{ hello }' }, { authorization: 'Bearer user' });
    expect(user.body).toEqual({ data: { hello: 'world' } });
  });

  it('holds signed-in users to the list too with everyone, and no one with none', async () => {
    const everyone = await startGateway('everyone');
    const refused = await post(everyone, { query: '{ hello }' }, { authorization: 'Bearer user' });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.message).toMatch(/only trusted documents for every caller/);
    const none = await startGateway('none');
    const free = await post(none, { query: '{ hello }' }, { 'x-api-key': 'k1' });
    expect(free.body).toEqual({ data: { hello: 'world' } });
    const byId = await post(none, { documentId: sha256(HELLO) }, { 'x-api-key': 'k1' });
    expect(byId.body).toEqual({ data: { hello: 'world' } });
  });

  it('reads a plain id -> text map, and refuses a list whose id is not its SHA-256', async () => {
    const plain = loadTrustedDocuments(await writeJson('plain.json', { [sha256(HELLO)]: HELLO }));
    expect(plain.text(`sha256:${sha256(HELLO)}`)).toBe(HELLO);
    expect(plain.isTrusted(HELLO)).toBe(true);
    expect(plain.isTrusted('{ hello }')).toBe(false);
    const forged = await writeJson('forged.json', { [sha256(HELLO)]: '{ boom }' });
    expect(() => loadTrustedDocuments(forged)).toThrow(
      `TRUSTED_DOCUMENTS ${forged}, entry 1: id "${sha256(HELLO)}" is not the SHA-256 of its body (${sha256('{ boom }')})`,
    );
    const notHex = await writeJson('nothex.json', { hello: HELLO });
    expect(() => loadTrustedDocuments(notHex)).toThrow(
      `TRUSTED_DOCUMENTS ${notHex}, entry 1: id "hello" is not a SHA-256 in hex`,
    );
  });
});

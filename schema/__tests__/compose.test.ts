import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  assertProductionReady,
  CONFIG_VARIABLES,
  loadConfig,
  PROCESS_NEEDS,
} from '../../lib/config';
import type { SubgraphSdl } from '../compose';
import { SUPERGRAPH_HEADER, SUPERGRAPH_PATH, composeSupergraph, loadSubgraphs } from '../compose';
import { SUBGRAPHS } from '../subgraphs';

const ROOT = join(__dirname, '..', '..');

function readSupergraphFile(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8').replace(/\r\n/g, '\n');
}

function thing(subgraph: string, nameType: string): SubgraphSdl {
  return {
    name: subgraph,
    url: `http://localhost:0/${subgraph}`,
    sourceName: `${subgraph}.graphql`,
    sdl: [
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])',
      `type Query { ${subgraph}Thing: Thing }`,
      `type Thing @key(fields: "id") { id: ID! name: ${nameType} }`,
    ].join('\n'),
  };
}

describe('composeSupergraph', () => {
  it('composes the real subgraphs into exactly the checked-in schema/supergraph.graphql (else run npm run compose)', () => {
    const result = composeSupergraph(loadSubgraphs());
    if ('errors' in result) throw new Error(`composition failed:\n${result.errors.join('\n')}`);
    expect(result.supergraphSdl).toBe(readSupergraphFile());
  });

  it('writes a file the gateway loads, header comment included', async () => {
    const supergraphSdl = readSupergraphFile();
    expect(supergraphSdl.split('\n')[0]).toBe(SUPERGRAPH_HEADER);
    expect(SUPERGRAPH_HEADER).toMatch(/^# .*npm run compose/);
    const gateway = new ApolloGateway({ supergraphSdl });
    try {
      const { schema } = await gateway.load();
      expect(schema.getQueryType()).toBeDefined();
      expect(schema.getType('Zone')).toBeDefined();
    } finally {
      await gateway.stop();
    }
  });

  it('reports a non-shareable field defined differently in two subgraphs as coded error lines', () => {
    const result = composeSupergraph([thing('left', 'String'), thing('right', 'Int')]);
    if (!('errors' in result)) throw new Error('composition of the broken pair succeeded');
    const codes = result.errors.map((line) => /^([A-Z_]+): /.exec(line)?.[1]);
    expect(codes).toEqual(expect.arrayContaining(['FIELD_TYPE_MISMATCH', 'INVALID_FIELD_SHARING']));
    for (const line of result.errors) expect(line).not.toContain('\n');
    const mismatch = result.errors.find((line) => line.startsWith('FIELD_TYPE_MISMATCH: '));
    expect(mismatch).toContain('"Thing.name"');
    expect(mismatch).toContain('subgraph "left" at left.graphql:3:');
    expect(mismatch).toContain('subgraph "right" at right.graphql:3:');
  });

  it('reports an SDL syntax error with the subgraph and file location', () => {
    const broken = { ...thing('left', 'String'), sdl: 'type Query {' };
    const result = composeSupergraph([broken, thing('right', 'String')]);
    if (!('errors' in result)) throw new Error('composition of a syntax error succeeded');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^GRAPHQL_PARSE_FAILED: subgraph "left": Syntax Error: .* \(left\.graphql:1:13\)$/,
    );
  });
});

const envValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const composeFile = z.object({
  services: z.record(
    z.string(),
    z.object({
      image: z.string().optional(),
      build: z.unknown().optional(),
      command: z.union([z.string(), z.array(z.string())]).optional(),
      environment: z.union([z.record(z.string(), envValue), z.array(z.string())]).optional(),
      depends_on: z
        .union([
          z.array(z.string()),
          z.record(z.string(), z.object({ condition: z.string().optional() })),
        ])
        .optional(),
      healthcheck: z.object({ test: z.union([z.string(), z.array(z.string())]) }).optional(),
      ports: z.array(z.union([z.string(), z.number()])).optional(),
    }),
  ),
});
type Service = z.infer<typeof composeFile>['services'][string];

const packageJson = z
  .object({ scripts: z.record(z.string(), z.string()) })
  .parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));

const compose = composeFile.parse(
  parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }),
);
const services = Object.entries(compose.services);
/** Services built from this repository: they run our processes and read lib/config.ts. */
const appServices = services.filter(([, service]) => service.build !== undefined);

/** What an operator must give compose (`${VAR:?message}`), as an operator would. */
const REQUIRED_BY_COMPOSE: Record<string, string> = {
  SCOPE_SECRET: 'an-operators-own-secret-of-32-characters-or-more',
  JWT_JWKS_URL: 'https://id.example.org/.well-known/jwks.json',
};

/** `${VAR:-default}`, `${VAR}` and `${VAR:?message}` as docker compose reads them. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g,
    (_match, name: string, kind?: string, text?: string) => {
      if (kind !== '?') return text ?? '';
      const given = REQUIRED_BY_COMPOSE[name];
      if (!given) throw new Error(`${name} is required by compose but not by this test`);
      return given;
    },
  );
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((entry): [string, string] => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
      })
    : Object.entries(env).map(([key, value]): [string, string] => [
        key,
        value === null ? '' : String(value),
      ]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value)]));
}

function dependenciesOf(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on ?? [];
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition]));
}

interface NodeRun {
  file: string;
  args: string[];
}

/**
 * `node [options] --import tsx <file> args` or `sh -c '<that> && <that>'` as the files it runs. Services run
 * node directly, not `npm run`: npm's shell does not pass SIGTERM on to the process.
 */
function processesOf(service: Service): NodeRun[] {
  const command = service.command ?? [];
  const argv = typeof command === 'string' ? command.trim().split(/\s+/) : command;
  const lines =
    argv[0] === 'sh' && argv[1] === '-c' && argv.length === 3
      ? (argv[2] ?? '').split('&&').map((part) => part.trim().split(/\s+/))
      : [argv];
  return lines.map((words) => {
    // Node's own options (--max-semi-space-size=64) may come before `--import tsx`.
    const [node, ...rest] = words;
    const at = rest.indexOf('--import');
    const [loader, file, ...args] = at < 0 ? [] : rest.slice(at + 1);
    const nodeOptions = rest.slice(0, Math.max(at, 0));
    if (
      node !== 'node' ||
      loader !== 'tsx' ||
      file === undefined ||
      !nodeOptions.every((o) => o.startsWith('--'))
    ) {
      throw new Error(`"${words.join(' ')}" is not node [node options] --import tsx <file>`);
    }
    return { file, args };
  });
}

function healthcheckPort(service: Service): number | undefined {
  const test = service.healthcheck?.test;
  const text = Array.isArray(test) ? test.join(' ') : (test ?? '');
  const match = /http:\/\/127\.0\.0\.1:(\d+)\/health/.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The port a service's process listens on, as bin/gateway.ts and bin/subgraph.ts choose it. */
function listeningPort(service: Service): number | undefined {
  const config = loadConfig(environmentOf(service));
  const [run] = processesOf(service);
  if (run?.file === 'bin/gateway.ts') return config.PORT;
  if (run?.file === 'bin/subgraph.ts') {
    return config.SUBGRAPH_PORT ?? SUBGRAPHS.find((s) => s.name === run.args[0])?.port;
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  it('gives every service an image or a build', () => {
    const missing = services.filter(([, s]) => s.image === undefined && s.build === undefined);
    expect(missing.map(([name]) => name)).toEqual([]);
    expect(appServices.map(([name]) => name)).toEqual(
      expect.arrayContaining(['migrate', 'gateway', 'zones', 'jobs']),
    );
  });

  it.each(appServices)(
    '%s runs files that exist and that an npm script runs too',
    (_name, service) => {
      const runs = processesOf(service);
      expect(runs.length).toBeGreaterThan(0);
      const scriptFiles = Object.values(packageJson.scripts).map(
        (body) => /tsx (\S+)/.exec(body)?.[1],
      );
      const problems = runs.flatMap(({ file }) => [
        ...(existsSync(join(ROOT, file)) ? [] : [`${file} does not exist`]),
        ...(scriptFiles.includes(file) ? [] : [`no npm script runs ${file}`]),
      ]);
      expect(problems).toEqual([]);
    },
  );

  it('points every depends_on at a defined service, app services after a healthy store and migrate', () => {
    const problems = services.flatMap(([name, service]) => {
      const deps = dependenciesOf(service);
      const undefinedTargets = Object.keys(deps)
        .filter((target) => !(target in compose.services))
        .map((target) => `${name} depends on undefined service ${target}`);
      if (service.build === undefined) return undefinedTargets;
      const required: Record<string, string> = {
        postgres: 'service_healthy',
        redis: 'service_healthy',
      };
      if (name !== 'migrate') required.migrate = 'service_completed_successfully';
      const missingConditions = Object.entries(required)
        .filter(([target, condition]) => deps[target] !== condition)
        .map(([target, condition]) => `${name} must depend on ${target} with ${condition}`);
      return [...undefinedTargets, ...missingConditions];
    });
    expect(problems).toEqual([]);
  });

  it.each(appServices)(
    '%s sets only variables lib/config.ts reads, with valid values',
    (_name, service) => {
      const env = environmentOf(service);
      const unknown = Object.keys(env).filter((key) => !CONFIG_VARIABLES.includes(key));
      expect(unknown).toEqual([]);
      const config = loadConfig(env);
      expect(config.NODE_ENV).toBe('production');
      expect(config.HOST).toBe('0.0.0.0');
      expect(config.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(config.REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
      // What each process needs in production is set (or demanded from the operator by compose).
      for (const { file } of processesOf(service)) {
        const name = /^bin\/(\w+)\.ts$/.exec(file)?.[1] ?? '';
        const needs =
          name in PROCESS_NEEDS ? PROCESS_NEEDS[name as keyof typeof PROCESS_NEEDS] : {};
        expect(() => assertProductionReady(config, needs)).not.toThrow();
      }
    },
  );

  it('health-checks the gateway and every subgraph service on the port it listens on', () => {
    const servers = appServices.filter(([, service]) =>
      processesOf(service).some((r) => r.file === 'bin/gateway.ts' || r.file === 'bin/subgraph.ts'),
    );
    expect(servers.length).toBeGreaterThan(0);
    for (const [name, service] of servers) {
      expect({ service: name, port: healthcheckPort(service) }).toEqual({
        service: name,
        port: listeningPort(service),
      });
    }
  });

  it('runs every subgraph of schema/subgraphs.ts and routes the gateway to it', () => {
    const subgraphServices = new Map(
      appServices.flatMap(([name, service]) => {
        const run = processesOf(service)[0];
        return run?.file === 'bin/subgraph.ts' ? [[run.args[0], { name, service }] as const] : [];
      }),
    );
    const gateways = appServices.filter(([, s]) => processesOf(s)[0]?.file === 'bin/gateway.ts');
    expect(gateways).toHaveLength(1);
    const [, gateway] = gateways[0] ?? [];
    if (!gateway) throw new Error('no gateway service');
    // Clients reach the gateway replicas through the load balancer's published port 4000.
    expect(environmentOf(gateway).PORT).toBe('4000');
    const [, balancer] = services.find(([name]) => name === 'lb') ?? [];
    expect(balancer?.ports).toEqual(
      expect.arrayContaining([expect.stringMatching(/^'?4000:4000/)]),
    );
    const urls = loadConfig(environmentOf(gateway)).SUBGRAPH_URLS;
    for (const { name } of SUBGRAPHS) {
      const runner = subgraphServices.get(name);
      const expectedUrl = runner
        ? `http://${runner.name}:${listeningPort(runner.service)}/graphql`
        : 'a service running it';
      expect({ subgraph: name, url: urls[name] }).toEqual({ subgraph: name, url: expectedUrl });
    }
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { IContainer, IEnvVar } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES, loadConfig, PROJECT_ROOT } from '../../lib/config';
import { SUBGRAPHS } from '../../schema/subgraphs';

/**
 * The deployment files, checked without a cluster or a Docker engine: every Kubernetes document is
 * built and validated against the API schema (kubernetes-models), and both the manifests and
 * docker-compose.yml are held to what the processes really read (lib/config.ts) and serve.
 */
const K8S_DIR = join(PROJECT_ROOT, 'deploy', 'k8s');
const SECRET_KEYS = ['DATABASE_URL', 'REDIS_URL', 'SCOPE_SECRET', 'JWT_SECRET'];

interface Manifest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  [key: string]: unknown;
}

type Validated =
  | Namespace
  | ConfigMap
  | Secret
  | Service
  | Deployment
  | Job
  | HorizontalPodAutoscaler
  | PodDisruptionBudget;

function build(doc: Manifest): Validated {
  const key = `${doc.apiVersion}/${doc.kind}`;
  switch (key) {
    case 'v1/Namespace':
      return new Namespace(doc);
    case 'v1/ConfigMap':
      return new ConfigMap(doc);
    case 'v1/Secret':
      return new Secret(doc);
    case 'v1/Service':
      return new Service(doc);
    case 'apps/v1/Deployment':
      return new Deployment(doc);
    case 'batch/v1/Job':
      return new Job(doc);
    case 'autoscaling/v2/HorizontalPodAutoscaler':
      return new HorizontalPodAutoscaler(doc);
    case 'policy/v1/PodDisruptionBudget':
      return new PodDisruptionBudget(doc);
    default:
      throw new Error(`no model for ${key}: add it to this test`);
  }
}

function readDocuments(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]?.message}`);
    return d.toJS() as Manifest;
  });
}

const kustomization = parse(readFileSync(join(K8S_DIR, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  namespace: string;
};
const applied = kustomization.resources.flatMap((file) =>
  readDocuments(file).map((doc) => ({ file, doc, model: build(doc) })),
);
const secretExample = readDocuments('secret.example.yaml').map((doc) => build(doc));

const ofKind = <T extends Validated>(type: new (...args: never[]) => T): T[] =>
  applied.map((a) => a.model).filter((m): m is T => m instanceof type);
const deployments = ofKind(Deployment);
const deployment = (name: string): Deployment => {
  const found = deployments.find((d) => d.metadata?.name === name);
  if (!found) throw new Error(`no Deployment ${name}`);
  return found;
};
const onlyContainer = (d: Deployment | Job): IContainer => {
  const containers = d.spec?.template.spec?.containers ?? [];
  expect(containers).toHaveLength(1);
  return containers[0]!;
};
const configMap = ofKind(ConfigMap).find((c) => c.metadata?.name === 'mobility-config');

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('are every one a valid Kubernetes object, and kustomization.yaml lists every file', () => {
    for (const { file, model } of applied) {
      expect(() => model.validate()).not.toThrow();
      expect(model.metadata?.namespace ?? kustomization.namespace).toBe(kustomization.namespace);
      expect(file).toMatch(/\.yaml$/);
    }
    for (const model of secretExample) expect(() => model.validate()).not.toThrow();
    const files = readdirSync(K8S_DIR).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
    );
    expect([...kustomization.resources, 'secret.example.yaml'].sort()).toEqual(files.sort());
  });

  it('run the gateway, each subgraph and the jobs, with /ready and /health probes where they serve HTTP', () => {
    const names = deployments.map((d) => d.metadata?.name).sort();
    expect(names).toEqual(['gateway', 'jobs', ...SUBGRAPHS.map((s) => s.name)].sort());
    for (const { name, port } of [{ name: 'gateway', port: 4000 }, ...SUBGRAPHS]) {
      const container = onlyContainer(deployment(name));
      expect(container.ports?.map((p) => p.containerPort)).toEqual([port]);
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/ready', port });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health', port });
      const command = container.command?.join(' ') ?? '';
      expect(command).toBe(
        name === 'gateway'
          ? 'node --import tsx bin/gateway.ts'
          : `node --import tsx bin/subgraph.ts ${name}`,
      );
      const service = ofKind(Service).find((s) => s.metadata?.name === name);
      expect(service?.spec?.ports?.map((p) => p.port)).toEqual([port]);
      expect(service?.spec?.selector).toEqual(deployment(name).spec?.selector.matchLabels);
    }
    expect(onlyContainer(deployment('jobs')).command).toContain('bin/jobs.ts');
    expect(deployment('gateway').spec?.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment('jobs').spec?.replicas).toBeGreaterThanOrEqual(2);
  });

  it('run migrations and the seed as a Job, and autoscale the gateway and the jobs', () => {
    const [migrate] = ofKind(Job);
    expect(onlyContainer(migrate!).command?.join(' ')).toBe(
      'sh -c node --import tsx bin/migrate.ts && node --import tsx bin/seed.ts',
    );
    const scaled = ofKind(HorizontalPodAutoscaler).map((h) => ({
      target: h.spec?.scaleTargetRef,
      min: h.spec?.minReplicas ?? 1,
      max: h.spec?.maxReplicas ?? 0,
    }));
    expect(scaled.map((s) => s.target?.name).sort()).toEqual(['gateway', 'jobs']);
    for (const s of scaled) {
      expect(s.target?.kind).toBe('Deployment');
      expect(s.min).toBeGreaterThanOrEqual(2);
      expect(s.max).toBeGreaterThan(s.min);
    }
  });

  it('take secrets only from the Secret, and name only settings lib/config.ts reads', () => {
    const secretKeys = Object.keys((secretExample[0] as Secret).stringData ?? {});
    expect(secretKeys.sort()).toEqual(['DATABASE_URL', 'REDIS_URL', 'SCOPE_SECRET']);
    const configKeys = Object.keys(configMap?.data ?? {});
    for (const key of [...secretKeys, ...configKeys]) expect(CONFIG_VARIABLES).toContain(key);
    for (const key of SECRET_KEYS) expect(configKeys).not.toContain(key);
    // The ConfigMap's values are ones the config accepts.
    expect(() =>
      loadConfig({
        ...configMap?.data,
        SCOPE_SECRET: 'x'.repeat(40),
        DATABASE_URL: 'postgres://h/d',
      }),
    ).not.toThrow();

    const workloads: (Deployment | Job)[] = [...deployments, ...ofKind(Job)];
    for (const workload of workloads) {
      const container = onlyContainer(workload);
      expect(container.envFrom).toEqual([
        { configMapRef: { name: 'mobility-config' } },
        { secretRef: { name: 'mobility-secrets' } },
      ]);
      for (const env of container.env ?? ([] as IEnvVar[])) {
        expect(CONFIG_VARIABLES).toContain(env.name);
        expect(SECRET_KEYS).not.toContain(env.name);
      }
      const pod = workload.spec?.template.spec;
      expect(pod?.securityContext?.runAsNonRoot).toBe(true);
    }
  });

  it('route the gateway to every subgraph by its Service', () => {
    const { SUBGRAPH_URLS } = loadConfig({ SUBGRAPH_URLS: configMap?.data?.SUBGRAPH_URLS ?? '' });
    expect(Object.keys(SUBGRAPH_URLS).sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
    for (const { name, port } of SUBGRAPHS) {
      expect(SUBGRAPH_URLS[name]).toBe(`http://${name}:${port}/graphql`);
    }
  });
});

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as { services: Record<string, ComposeService> };
  const services = compose.services;
  const appServices = Object.entries(services).filter(([, s]) =>
    s.command?.some((part) => part.includes('bin/')),
  );

  it('runs two gateway replicas and two job runners behind one load balancer', () => {
    expect(services.gateway?.deploy?.replicas).toBe(2);
    expect(services.jobs?.deploy?.replicas).toBe(2);
    // Replicas cannot share a published port: only the load balancer publishes 4000.
    expect(services.gateway?.ports).toBeUndefined();
    expect(services.lb?.ports).toEqual(['4000:4000']);
    expect(services.lb?.depends_on?.gateway?.condition).toBe('service_healthy');
    expect(services.gateway?.environment?.TRUST_PROXY).toBe('true');

    const mount = services.lb?.volumes?.[0]?.split(':') ?? [];
    const nginxConf = readFileSync(join(PROJECT_ROOT, mount[0] ?? ''), 'utf8');
    expect(mount[1]).toBe('/etc/nginx/nginx.conf');
    expect(nginxConf).toMatch(/server gateway:4000 resolve/);
    // WebSocket upgrade is passed on, and subscriptions are not cut by a read timeout.
    expect(nginxConf).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginxConf).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(nginxConf).toMatch(/proxy_read_timeout 1h;/);
  });

  it('health-checks every long-running process on the port it listens on', () => {
    for (const [name, service] of appServices) {
      if (name === 'migrate' || name === 'jobs') continue;
      const port =
        name === 'gateway'
          ? '4000'
          : String(SUBGRAPHS.find((s) => s.name === name)?.port ?? 'unknown');
      expect(service.environment?.SUBGRAPH_PORT ?? service.environment?.PORT).toBe(port);
      expect(service.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/health`);
    }
    expect(services.lb?.healthcheck?.test.join(' ')).toContain('/health');
  });

  it('sets only variables lib/config.ts reads, and routes to each subgraph service', () => {
    for (const [, service] of appServices) {
      for (const key of Object.keys(service.environment ?? {})) {
        expect(CONFIG_VARIABLES).toContain(key);
      }
      for (const part of service.command ?? []) {
        const script = /bin\/\w+\.ts/.exec(part)?.[0];
        if (script) expect(existsSync(join(PROJECT_ROOT, script))).toBe(true);
      }
    }
    const urls = services.gateway?.environment?.SUBGRAPH_URLS ?? '';
    const { SUBGRAPH_URLS } = loadConfig({ SUBGRAPH_URLS: urls });
    for (const { name, port } of SUBGRAPHS) {
      expect(SUBGRAPH_URLS[name]).toBe(`http://${name}:${port}/graphql`);
      expect(services[name]?.command?.slice(-2)).toEqual(['bin/subgraph.ts', name]);
    }
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listen, publicUrl } from '../lib/http';
import { HOUR } from '../lib/units';
import { DocumentStore, type DocumentParts } from './documents';
import type { Fleet } from './fleet';
import {
  gbfsDiscovery,
  gbfsSystemInformation,
  gbfsVehicleList,
  gbfsVehicleStatus,
  gbfsVehicleTypes,
  type GbfsVersion,
} from './gbfsFeeds';
import {
  MDS_CONTENT_TYPE,
  mdsError,
  mdsStatusList,
  mdsTrips,
  mdsVehicles,
  mdsVehicleStatus,
} from './mdsFeeds';
import type { SimOperator } from './model';

const JSON_TYPE = 'application/json; charset=utf-8';
const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/;
const END_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/;

interface Reply {
  status: number;
  contentType: string;
  body: string | Buffer;
  /** For a body from the DocumentStore: keeps its bytes until the response is done. */
  hold?: () => () => void;
}

const json = (body: string | Buffer, status = 200): Reply => ({
  status,
  contentType: JSON_TYPE,
  body,
});
const mds = (body: string | Buffer, status = 200): Reply => ({
  status,
  contentType: MDS_CONTENT_TYPE,
  body,
});
const notFound = (what: string): Reply =>
  json(JSON.stringify({ error: 'not_found', error_description: what }), 404);

/** The devices list (MDS `/vehicles`), serialized once per change of the fleet's size. */
class DeviceLists {
  private readonly entries = new Map<string, { size: number; body: Buffer }>();

  get(key: string, size: number, build: () => string): Buffer {
    const entry = this.entries.get(key);
    if (entry && entry.size === size) return entry.body;
    const body = Buffer.from(build());
    this.entries.set(key, { size, body });
    return body;
  }
}

export interface SimulatorServer {
  start(port: number, host?: string): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  /** The URL given by `start`, or undefined before it. */
  readonly url: string | undefined;
}

export function createSimulatorServer(fleet: Fleet, startMs: number): SimulatorServer {
  const operators = new Map(fleet.operators.map((o) => [o.id, o]));
  const devices = new DeviceLists();
  const documents = new DocumentStore();
  /** Bodies of frozen operators' vehicle lists, as they were when first asked for frozen. */
  const frozen = new Map<string, Buffer>();
  /**
   * A vehicle list: assembled once per simulation step (a change of the operator's vehicles or
   * of the clock), or as it was when the operator froze.
   */
  const list = (
    operator: SimOperator,
    key: string,
    contentType: string,
    build: () => DocumentParts,
  ): Reply => {
    const document = documents.get(key, `${operator.version}:${fleet.nowMs}`, build);
    if (!operator.faults.frozen) {
      frozen.delete(key);
      return { status: 200, contentType, body: document.body, hold: document.hold };
    }
    let body = frozen.get(key);
    if (!body) {
      body = Buffer.from(document.body);
      frozen.set(key, body);
    }
    return { status: 200, contentType, body };
  };
  let url: string | undefined;

  /** gbfs.json links use the host the client asked for, so they work behind any name. */
  const baseUrlOf = (req: IncomingMessage): string => {
    const host = req.headers.host;
    return host && HOST_HEADER.test(host) ? `http://${host}` : (url ?? '');
  };

  const gbfs = (
    operator: SimOperator,
    version: GbfsVersion,
    file: string,
    req: IncomingMessage,
  ): Reply => {
    const statusFile = version === '2.3' ? 'free_bike_status' : 'vehicle_status';
    switch (file) {
      case 'gbfs':
        return json(gbfsDiscovery(operator, version, baseUrlOf(req), startMs));
      case 'system_information':
        return json(gbfsSystemInformation(operator, version, startMs));
      case 'vehicle_types':
        return json(gbfsVehicleTypes(operator, version, startMs));
      case statusFile:
        return list(operator, `${operator.id}:gbfs${version}`, JSON_TYPE, () =>
          gbfsVehicleStatus(version, gbfsVehicleList(operator, version), fleet.nowMs),
        );
      default:
        return notFound(`GBFS ${version} has no ${file}.json here`);
    }
  };

  const trips = (operator: SimOperator, query: URLSearchParams): Reply => {
    const endTime = query.get('end_time') ?? '';
    const match = END_TIME.exec(endTime);
    const hourStartMs = match ? Date.parse(`${endTime}:00:00Z`) : NaN;
    if (!match || Number.isNaN(hourStartMs)) {
      return mds(
        mdsError('bad_param', 'end_time must be an hour as YYYY-MM-DDTHH (UTC)', [
          `end_time=${endTime}`,
        ]),
        400,
      );
    }
    const operating = hourStartMs + HOUR > startMs && fleet.trips.retains(hourStartMs, fleet.nowMs);
    if (hourStartMs + HOUR > fleet.nowMs || !operating) {
      return mds(
        mdsError('not_found', 'hour is not in the past or has no operations', [endTime]),
        404,
      );
    }
    return mds(mdsTrips(operator, fleet.trips.endedIn(operator.id, hourStartMs)));
  };

  const route = (req: IncomingMessage): Reply => {
    const requestUrl = new URL(req.url ?? '/', 'http://simulator.invalid');
    const parts = requestUrl.pathname.split('/').filter((p) => p !== '');
    if (parts.length === 0) return json(JSON.stringify(index(baseUrlOf(req))));
    const operator = operators.get(parts[0] ?? '');
    if (!operator) return notFound(`no operator "${parts[0]}"`);
    const rest = parts.slice(1).join('/');
    const gbfsMatch = /^gbfs\/(2\.3|3\.0)\/([a-z_]+)\.json$/.exec(rest);
    if (gbfsMatch) return gbfs(operator, gbfsMatch[1] as GbfsVersion, gbfsMatch[2] ?? '', req);
    switch (rest) {
      case 'mds/vehicles':
        return mds(
          devices.get(`${operator.id}:mds-vehicles`, operator.vehicles.length, () =>
            mdsVehicles(operator, startMs),
          ),
        );
      case 'mds/vehicles/status':
        return list(operator, `${operator.id}:mds-status`, MDS_CONTENT_TYPE, () =>
          mdsVehicleStatus(mdsStatusList(operator), fleet.nowMs),
        );
      case 'mds/trips':
        return trips(operator, requestUrl.searchParams);
      default:
        return notFound(`nothing at /${parts.join('/')}`);
    }
  };

  const index = (base: string) => ({
    operators: fleet.operators.map((o) => ({
      id: o.id,
      name: o.name,
      formFactor: o.formFactor,
      vehicles: o.vehicles.length,
      rotatingIds: o.rotatingIds,
      feeds: feedUrls(base, o.id),
    })),
    simulatedTime: new Date(fleet.nowMs).toISOString(),
  });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const reply: Reply =
      req.method === 'GET' || req.method === 'HEAD'
        ? route(req)
        : json(JSON.stringify({ error: 'method_not_allowed' }), 405);
    res.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': Buffer.byteLength(reply.body),
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    if (reply.hold) res.once('close', reply.hold());
    res.end(reply.body);
  };

  const server = createServer(handle);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let stopping: Promise<void> | undefined;

  return {
    get url() {
      return url;
    },
    async start(port, host) {
      const bound = await listen(server, port, host);
      url = publicUrl(host, bound, '');
      return { url, port: bound };
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopping;
    },
  };
}

export interface FeedUrls {
  gbfs23: string;
  gbfs30: string;
  mds: string;
}

export function feedUrls(baseUrl: string, operatorId: string): FeedUrls {
  return {
    gbfs23: `${baseUrl}/${operatorId}/gbfs/2.3/gbfs.json`,
    gbfs30: `${baseUrl}/${operatorId}/gbfs/3.0/gbfs.json`,
    mds: `${baseUrl}/${operatorId}/mds`,
  };
}

import { Reachability } from './reachability';

/**
 * The connections in netpol-analyzer's `list` text format: one line per allowed connection, `SRC => DST : CONNECTIONS`,
 * sorted by source then destination (e.g. `shop/web[Deployment] => shop/db[StatefulSet] : TCP 5432`). Empty when no
 * connection is allowed.
 */
export function connlistText(reachability: Reachability): string {
  return reachability.connections.map((c) => `${c.source.name} => ${c.destination.name} : ${c.connections.toString()}\n`).join('');
}

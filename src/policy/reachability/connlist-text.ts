import { Reachability } from './reachability';
import { printableLine } from '../../core/printable';

/**
 * The connections in netpol-analyzer's `list` text format: one line per allowed connection, `SRC => DST : CONNECTIONS`,
 * sorted by source then destination (e.g. `shop/web[Deployment] => shop/db[StatefulSet] : TCP 5432`), each line ending
 * in a newline. Empty when no connection is allowed. Names that hold control characters are written with escapes, so
 * no input forges a line.
 */
export function connlistText(reachability: Reachability): string {
  return reachability.connections.map((c) => `${printableLine(`${c.source.name} => ${c.destination.name} : ${c.connections.toString()}`)}\n`).join('');
}

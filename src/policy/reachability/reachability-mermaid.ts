// `reach --format mermaid`: the reachability result as a Mermaid `flowchart LR` (GitHub draws it in Markdown).
//
// The graph is reachability-graph.ts's: workloads as rectangles in one `subgraph` per namespace, address ranges as
// parallelograms, the "any address" range as a circle, the "any peer" node (one edge instead of an edge to or from
// every peer, for a workload open in that direction: see reachability-graph.ts) as a hexagon; edges labelled with the
// allowed connections (`TCP 5432`, `all`), `<-->` where both directions allow the same.
//
// Escaping: Mermaid has no escape inside a quoted label, only entity codes (`#35;`), which it turns into HTML entities
// after parsing and sanitizing, so they show as text. Every label is quoted, and every character of it other than
// letters, digits, space, `,`, `.`, `/`, `_` and `-` is written as its entity code (`"` `#34;`, `<` `#60;`, `]` `#93;`,
// `:` `#58;`, `;` `#59;`, `#` `#35;`, every non-ASCII character); control and bidirectional characters are first made
// printable (`\n` shown as text). So no name ends a label, starts a statement, forms an HTML tag or Markdown, or meets
// Mermaid's entity preprocessing (which rewrites lines holding `style`, `:`, `#` and `;`: no line of ours holds a
// literal `:`). Node identifiers never come from a name: `w`, `a` or `ns` and 10 hexadecimal digits of the SHA-256 of
// the node's key (a collision takes a suffix), so none is a Mermaid keyword (`end`, `style`, `click`…) or starts with
// `o` or `x` (which would make `-->o` an edge of another kind), and an identifier stays the same when other nodes come
// and go (small diffs between two pictures).
import { createHash } from 'crypto';
import { Reachability } from './reachability';
import { GraphNode, reachabilityGraph } from './reachability-graph';
import { printableLine } from '../../core/printable';

/** Label text with every character that could mean something to Mermaid or HTML written as an entity code. */
function mermaidText(text: string): string {
  return [...printableLine(text)].map((c) => (/^[A-Za-z0-9 ,./_-]$/.test(c) ? c : `#${c.codePointAt(0)};`)).join('');
}

/** Label lines as a quoted Mermaid label, lines separated by `<br>`. */
function mermaidLabel(lines: readonly string[]): string {
  return `"${lines.map(mermaidText).join('<br>')}"`;
}

const SHAPES: { readonly [kind: string]: readonly [string, string] } = {
  'workload': ['[', ']'],
  'addresses': ['[/', '/]'],
  'any-address': ['((', '))'],
  'any-peer': ['{{', '}}'],
};

/** Identifiers from keys: a prefix and a hash, unique in the picture. */
class Identifiers {
  private readonly byKey = new Map<string, string>();
  private readonly taken = new Set<string>();

  public of(prefix: string, key: string): string {
    const known = this.byKey.get(`${prefix}\u0000${key}`);
    if (known) return known;
    const base = `${prefix}${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base}_${n}`;
    this.taken.add(id);
    this.byKey.set(`${prefix}\u0000${key}`, id);
    return id;
  }
}

/** The result as a Mermaid flowchart; ends in a newline. */
export function reachabilityMermaid(reachability: Reachability): string {
  const graph = reachabilityGraph(reachability);
  const ids = new Identifiers();
  const nodeId = (node: GraphNode) => ids.of(node.kind === 'workload' ? 'w' : 'a', node.key);
  const nodeLine = (node: GraphNode, indent: string) => {
    const [open, close] = SHAPES[node.kind];
    return `${indent}${nodeId(node)}${open}${mermaidLabel(node.lines)}${close}`;
  };
  const lines = ['flowchart LR'];
  for (const namespace of graph.namespaces) {
    lines.push(`  subgraph ${ids.of('ns', namespace.name)}[${mermaidLabel([namespace.name])}]`);
    for (const node of namespace.nodes) lines.push(nodeLine(node, '    '));
    lines.push('  end');
  }
  for (const node of graph.outside) lines.push(nodeLine(node, '  '));
  for (const edge of graph.edges) {
    lines.push(`  ${nodeId(edge.from)} ${edge.both ? '<-->' : '-->'}|${mermaidLabel([edge.label])}| ${nodeId(edge.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

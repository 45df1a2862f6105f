// `reach --format dot`: the reachability result as a Graphviz digraph (`dot -Tsvg`), drawn left to right.
//
// The graph is reachability-graph.ts's: workloads as boxes in one `subgraph "cluster_<namespace>"` per namespace,
// address ranges as parallelograms, the "any address" range as an ellipse, the "any peer" node (one edge instead of an
// edge to or from every peer, for a workload open in that direction: see reachability-graph.ts) as a hexagon; edges
// labelled with the allowed connections (`TCP 5432`, `all`), two arrows where both directions allow the same.
//
// Escaping: every identifier and label is a double-quoted string (a quoted string is never a DOT keyword); Graphviz's
// scanner reads `\\` as a pair and `\"` as a quote, so a doubled backslash can never escape the closing quote. In an
// identifier, `\` is written `\\`, `"` is written `\"`, and a control or bidirectional character `\uXXXX` (a backslash
// before `u` never stands for itself there, so no two names share an identifier); in a label, the name is first made
// printable (`\n`, `\u001b` shown as text) and then `\` and `"` are escaped, so Graphviz's own escapes (`\N`, `\l`)
// show as written. No input ends a string early, starts a statement, or forges an edge.
import { Reachability } from './reachability';
import { GraphNode, reachabilityGraph } from './reachability-graph';
import { printableLine } from '../../core/printable';

const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** An identifier as a DOT quoted string: one name, one identifier. */
function dotId(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}

/** Label lines as a DOT quoted string, lines separated by Graphviz's `\n`. */
function dotLabel(lines: readonly string[]): string {
  return `"${lines.map((line) => printableLine(line).replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\n')}"`;
}

const SHAPES: { readonly [kind: string]: string } = {
  'workload': 'box',
  'addresses': 'parallelogram',
  'any-address': 'ellipse',
  'any-peer': 'hexagon',
};

function nodeLine(node: GraphNode, indent: string): string {
  return `${indent}${dotId(node.key)} [shape=${SHAPES[node.kind]}, label=${dotLabel(node.lines)}];`;
}

/** The result as a Graphviz digraph; ends in a newline. */
export function reachabilityDot(reachability: Reachability): string {
  const graph = reachabilityGraph(reachability);
  const lines = ['digraph reachability {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica"];'];
  for (const namespace of graph.namespaces) {
    lines.push(`  subgraph ${dotId(`cluster_${namespace.name}`)} {`, `    label=${dotLabel([namespace.name])};`);
    for (const node of namespace.nodes) lines.push(nodeLine(node, '    '));
    lines.push('  }');
  }
  for (const node of graph.outside) lines.push(nodeLine(node, '  '));
  for (const edge of graph.edges) {
    lines.push(`  ${dotId(edge.from.key)} -> ${dotId(edge.to.key)} [label=${dotLabel([edge.label])}${edge.both ? ', dir=both' : ''}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

import { deployment, namespace, networkPolicy } from './support';
import { printableLine } from '../../../src/core/printable';
import { evaluateReachability } from '../../../src/policy/reachability/reachability';
import { reachabilityDot } from '../../../src/policy/reachability/reachability-dot';
import { reachabilityMermaid } from '../../../src/policy/reachability/reachability-mermaid';

// The pictures of `reach --format dot|mermaid`: golden outputs for a small fixture, the simplifications that keep a
// picture readable, and names from hostile YAML that must stay inside their labels.

// Two namespaces: shop/db admits shop/web on its named port pg; shop/web admits 203.0.113.0/24 and the namespace ops on
// 8080; ops/monitor is selected by no policy (open both ways).
const fixture = () => [
  namespace('shop'),
  namespace('ops'),
  deployment('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]),
  deployment('shop', 'db', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]),
  deployment('ops', 'monitor', { app: 'monitor' }),
  networkPolicy('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'pg' }] }] }),
  networkPolicy('shop', 'web', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }], ports: [{ port: 8080 }] }],
  }),
];

describe('golden pictures', () => {
  test('Mermaid: namespaces as subgraphs, address ranges and "any peer" as their own shapes, edges with the connections', () => {
    // GIVEN the fixture
    const reachability = evaluateReachability(fixture());
    // WHEN drawn as Mermaid
    const mermaid = reachabilityMermaid(reachability);
    // THEN monitor, open to every peer, has one edge from "any peer"; the source ranges only monitor is reached from are
    // not drawn; the named port is resolved on db
    expect(mermaid).toBe(`flowchart LR
  subgraph nsa92c36e66a["ops"]
    wcd84c576ad["monitor<br>Deployment"]
  end
  subgraph ns8d9001d32c["shop"]
    wcd1b15098f["db<br>Deployment"]
    w3d0c153d2a["web<br>Deployment"]
  end
  afc4c818465(("any address<br>0.0.0.0/0"))
  acbaea68551[/"203.0.113.0/24"/]
  ab37a7af4e5{{"any peer"}}
  wcd84c576ad -->|"TCP 8080"| w3d0c153d2a
  wcd84c576ad -->|"all"| afc4c818465
  wcd1b15098f -->|"all"| afc4c818465
  w3d0c153d2a -->|"TCP 5432"| wcd1b15098f
  w3d0c153d2a -->|"all"| afc4c818465
  acbaea68551 -->|"TCP 8080"| w3d0c153d2a
  ab37a7af4e5 -->|"all"| wcd84c576ad
`);
  });

  test('DOT: namespaces as clusters, the same nodes and edges', () => {
    // GIVEN the fixture
    const reachability = evaluateReachability(fixture());
    // WHEN drawn as DOT
    const dot = reachabilityDot(reachability);
    // THEN
    expect(dot).toBe(`digraph reachability {
  rankdir=LR;
  node [fontname="Helvetica"];
  edge [fontname="Helvetica"];
  subgraph "cluster_ops" {
    label="ops";
    "ops/monitor[Deployment]" [shape=box, label="monitor\\nDeployment"];
  }
  subgraph "cluster_shop" {
    label="shop";
    "shop/db[Deployment]" [shape=box, label="db\\nDeployment"];
    "shop/web[Deployment]" [shape=box, label="web\\nDeployment"];
  }
  "0.0.0.0-255.255.255.255[External]" [shape=ellipse, label="any address\\n0.0.0.0/0"];
  "203.0.113.0-203.0.113.255[External]" [shape=parallelogram, label="203.0.113.0/24"];
  "any peer" [shape=hexagon, label="any peer"];
  "ops/monitor[Deployment]" -> "shop/web[Deployment]" [label="TCP 8080"];
  "ops/monitor[Deployment]" -> "0.0.0.0-255.255.255.255[External]" [label="all"];
  "shop/db[Deployment]" -> "0.0.0.0-255.255.255.255[External]" [label="all"];
  "shop/web[Deployment]" -> "shop/db[Deployment]" [label="TCP 5432"];
  "shop/web[Deployment]" -> "0.0.0.0-255.255.255.255[External]" [label="all"];
  "203.0.113.0-203.0.113.255[External]" -> "shop/web[Deployment]" [label="TCP 8080"];
  "any peer" -> "ops/monitor[Deployment]" [label="all"];
}
`);
  });

  test('the output is the same whatever the order of the manifests', () => {
    // GIVEN the fixture, reversed
    const reversed = fixture().reverse();
    // THEN both pictures are unchanged
    expect(reachabilityMermaid(evaluateReachability(reversed))).toBe(reachabilityMermaid(evaluateReachability(fixture())));
    expect(reachabilityDot(evaluateReachability(reversed))).toBe(reachabilityDot(evaluateReachability(fixture())));
  });
});

describe('a readable picture', () => {
  test('workloads no policy selects: one two-way edge each with "any peer", not an edge per pair', () => {
    // GIVEN 6 workloads and no policy (42 allowed connections with the whole address space)
    const workloads = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => deployment('shop', name, { app: name }));
    const reachability = evaluateReachability(workloads);
    expect(reachability.connections).toHaveLength(42);
    // WHEN drawn
    const mermaid = reachabilityMermaid(reachability);
    const dot = reachabilityDot(reachability);
    // THEN 6 edges, each both ways with "any peer", and no address node
    expect(mermaid.split('\n').filter((l) => l.includes('<-->'))).toHaveLength(6);
    expect(mermaid).not.toMatch(/ -->/);
    expect(mermaid).not.toContain('0.0.0.0');
    expect(dot.split('\n').filter((l) => /^ {2}"shop\/[a-f]\[Deployment\]" -> "any peer" \[label="all", dir=both\];$/.test(l))).toHaveLength(6);
  });

  test('a workload whose egress is open but one destination restricts it keeps its edges one by one (no false "any peer")', () => {
    // GIVEN web open, db admitting web on 5432 only
    const manifests = [
      deployment('shop', 'web', { app: 'web' }),
      deployment('shop', 'db', { app: 'db' }),
      networkPolicy('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] }),
    ];
    // WHEN drawn as DOT
    const dot = reachabilityDot(evaluateReachability(manifests));
    // THEN web -> db is TCP 5432 and web reaches the addresses on its own edge; only db's open egress and web's open
    // ingress use "any peer"
    expect(dot).toContain('  "shop/web[Deployment]" -> "shop/db[Deployment]" [label="TCP 5432"];');
    expect(dot).toContain('  "shop/web[Deployment]" -> "0.0.0.0-255.255.255.255[External]" [label="all"];');
    expect(dot).toContain('  "shop/db[Deployment]" -> "any peer" [label="all"];');
    expect(dot).toContain('  "any peer" -> "shop/web[Deployment]" [label="all"];');
    expect(dot).not.toContain('"shop/web[Deployment]" -> "any peer"');
    expect(dot).not.toContain('"any peer" -> "shop/db[Deployment]"');
  });

  test('address ranges with the same edges are one node; a mostly covered family is written as what it leaves out', () => {
    // GIVEN web allowed 443 to the internet without 10/8 and 192.168/16, and 5432 to one address inside 10/8
    const manifests = [
      deployment('shop', 'web', { app: 'web' }),
      networkPolicy('shop', 'web', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] } }], ports: [{ port: 443 }] },
          { to: [{ ipBlock: { cidr: '10.1.2.3/32' } }], ports: [{ port: 5432 }] },
        ],
      }),
    ];
    // WHEN drawn as Mermaid
    const mermaid = reachabilityMermaid(evaluateReachability(manifests));
    // THEN the three ranges of the internet are one node, the address its own (and web's open ingress is from "any peer")
    const nodes = mermaid.split('\n').filter((l) => l.includes('[/'));
    expect(nodes.map((l) => l.replace(/^ +a[0-9a-f]+/, ''))).toEqual([
      '[/"0.0.0.0/0 except<br>10.0.0.0/8<br>192.168.0.0/16"/]',
      '[/"10.1.2.3/32"/]',
    ]);
    expect(mermaid.split('\n').filter((l) => l.includes('-->')).map((l) => l.replace(/[wa][0-9a-f]{10}/g, 'N'))).toEqual([
      '  N -->|"TCP 443"| N',
      '  N -->|"TCP 5432"| N',
      '  N -->|"all"| N',
    ]);
  });

  test('no workload: an empty picture, still valid', () => {
    expect(reachabilityMermaid(evaluateReachability([]))).toBe('flowchart LR\n');
    expect(reachabilityDot(evaluateReachability([]))).toMatch(/^digraph reachability \{\n[^]*\n\}\n$/);
  });
});

// Names a manifest may carry (the evaluator reads metadata as given), each trying to end its label or statement.
const HOSTILE = [
  'a"]; evil["x',
  'x"] --> pwned',
  'end',
  'style x fill:#f00;',
  'click x call alert(1)',
  '<img src=x onerror=alert(1)>',
  '#quot;#35;&amp;',
  'line\nbreak --> y',
  '`**md**`',
  'x|y|z',
  'o--ox',
  '\u202egnp.exe',
  'back\\',
  'q\\"}; a -> b; subgraph cluster_x {',
  'node',
  'digraph',
];

/** A pod owned by a controller whose name and kind are hostile, in a hostile namespace. */
function hostilePod(ns: string, name: string, kind: string): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: ns, ownerReferences: [{ controller: true, kind, name, apiVersion: 'v1', uid: 'u' }], labels: { app: 'h' } },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  };
}

/** Every hostile name as a workload (its namespace, name and kind), one policy between the first two to give edges. */
function hostileManifests(): any[] {
  return [
    ...HOSTILE.map((text, i) => ({ ...hostilePod(text, text, text), metadata: { ...hostilePod(text, text, text).metadata, labels: { app: `h${i}` } } })),
    networkPolicy(HOSTILE[1], 'only', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'h0' } } }], ports: [{ port: 80 }] }],
    }),
  ];
}

const MERMAID_LABEL = '"(?:[A-Za-z0-9 ,./_-]|#\\d+;|<br>)*"';

/** A Mermaid label's text back: entity codes decoded, `<br>` as a line break. */
function mermaidDecode(label: string): string {
  return label.slice(1, -1).replace(/#(\d+);/g, (_, code) => String.fromCodePoint(Number(code))).replace(/<br>/g, '\n');
}

describe('hostile names cannot break out of a Mermaid label', () => {
  test('every line has the shape the renderer writes, every label only safe characters and entity codes', () => {
    // GIVEN workloads whose namespace, name and kind are hostile
    const reachability = evaluateReachability(hostileManifests());
    // WHEN drawn
    const lines = reachabilityMermaid(reachability).replace(/\n$/, '').split('\n');
    // THEN each line is one of the statements the renderer writes (no injected node, edge, style, click or subgraph)
    const shapes = [`\\[${MERMAID_LABEL}\\]`, `\\[/${MERMAID_LABEL}/\\]`, `\\(\\(${MERMAID_LABEL}\\)\\)`, `\\{\\{${MERMAID_LABEL}\\}\\}`].join('|');
    const statement = new RegExp([
      '^flowchart LR$',
      `^  subgraph ns[0-9a-f]{10}(?:_\\d+)?\\[${MERMAID_LABEL}\\]$`,
      '^  end$',
      `^ {2,4}[wa][0-9a-f]{10}(?:_\\d+)?(?:${shapes})$`,
      '^  [wa][0-9a-f]{10}(?:_\\d+)? (?:-->|<-->)\\|"(?:all|(?:TCP|UDP|SCTP) [0-9,-]+(?:,(?:TCP|UDP|SCTP) [0-9,-]+)*)"\\| [wa][0-9a-f]{10}(?:_\\d+)?$',
    ].join('|'));
    for (const line of lines) expect(line).toMatch(statement);
    // one subgraph per hostile namespace, one workload node each, and only the edges the result has
    expect(lines.filter((l) => l.startsWith('  subgraph '))).toHaveLength(HOSTILE.length);
    expect(lines.filter((l) => l.startsWith('  end'))).toHaveLength(HOSTILE.length);
    expect(lines.filter((l) => /^ {4}w/.test(l))).toHaveLength(HOSTILE.length);
    // no line holds a literal `:` (Mermaid's entity preprocessing rewrites lines with `style`, `:`, `#` and `;`)
    expect(lines.filter((l) => l.includes(':'))).toEqual([]);
  });

  test('each label reads back as the name it shows (control and bidirectional characters made visible)', () => {
    // GIVEN the hostile workloads
    const mermaid = reachabilityMermaid(evaluateReachability(hostileManifests()));
    // WHEN the workload labels are decoded
    const labels = [...mermaid.matchAll(/^ {4}w[0-9a-f_]+\[("[^"]*")\]$/gm)].map((m) => mermaidDecode(m[1]));
    // THEN they are the names and kinds, as printable text
    expect(labels.sort()).toEqual(HOSTILE.map((text) => `${printableLine(text)}\n${printableLine(text)}`).sort());
  });
});

/**
 * Reads DOT as Graphviz's scanner does: a quoted string is `"` … `"` where `\\` is a pair and `\"` a quote. Returns
 * each line with its quoted strings replaced by Q, and the strings' contents.
 */
function dotScan(dot: string): { skeleton: string[]; strings: string[] } {
  const strings: string[] = [];
  let skeleton = '';
  for (let i = 0; i < dot.length; i++) {
    if (dot[i] !== '"') {
      skeleton += dot[i];
      continue;
    }
    let text = '';
    for (i++; dot[i] !== '"'; i++) {
      if (i >= dot.length) throw new Error('unterminated string');
      if (dot[i] === '\\' && (dot[i + 1] === '\\' || dot[i + 1] === '"')) text += dot[i++];
      text += dot[i];
    }
    strings.push(text);
    skeleton += 'Q';
  }
  return { skeleton: skeleton.replace(/\n$/, '').split('\n'), strings };
}

describe('hostile names cannot break out of a DOT string', () => {
  test('every line has the shape the renderer writes once strings are read as Graphviz reads them', () => {
    // GIVEN workloads whose namespace, name and kind are hostile
    const reachability = evaluateReachability(hostileManifests());
    // WHEN drawn
    const { skeleton } = dotScan(reachabilityDot(reachability));
    // THEN the statements are only the renderer's: no injected edge, attribute, subgraph or closing brace
    const statement = new RegExp([
      '^digraph reachability \\{$', '^  rankdir=LR;$', '^  (?:node|edge) \\[fontname=Q\\];$', '^  subgraph Q \\{$', '^    label=Q;$',
      '^ {2,4}Q \\[shape=(?:box|parallelogram|ellipse|hexagon), label=Q\\];$', '^  Q -> Q \\[label=Q(?:, dir=both)?\\];$', '^  \\}$', '^\\}$',
    ].join('|'));
    for (const line of skeleton) expect(line).toMatch(statement);
    expect(skeleton.filter((l) => l === '  subgraph Q {')).toHaveLength(HOSTILE.length);
    expect(skeleton.filter((l) => l.includes(' -> '))).toHaveLength(reachabilityDotEdges(reachability));
  });

  test('identifiers are one per name; labels show the name', () => {
    // GIVEN names that differ only by an escape's look-alike (a newline, and a backslash followed by n)
    const manifests = [hostilePod('shop', 'a\nb', 'Job'), { ...hostilePod('shop', 'a\\nb', 'Job'), metadata: { ...hostilePod('shop', 'a\\nb', 'Job').metadata, name: 'q' } }];
    // WHEN drawn
    const dot = reachabilityDot(evaluateReachability(manifests));
    // THEN two distinct identifiers, each label the printable name (both read `a\nb`)
    const nodes = dot.split('\n').filter((l) => l.includes('[shape=box'));
    expect(nodes).toEqual([
      '    "shop/a\\u000ab[Job]" [shape=box, label="a\\\\nb\\nJob"];',
      '    "shop/a\\\\nb[Job]" [shape=box, label="a\\\\nb\\nJob"];',
    ]);
  });
});

/** How many edges the DOT picture of the result draws, counted from the Mermaid one (the same graph). */
function reachabilityDotEdges(reachability: ReturnType<typeof evaluateReachability>): number {
  return reachabilityMermaid(reachability).split('\n').filter((l) => l.includes('-->')).length;
}

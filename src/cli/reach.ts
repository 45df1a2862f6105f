import { readFileSync } from 'fs';
import { ManifestSources, objectsOfTargets, STDIN } from './manifest-sources';
import { printableLine } from '../core/printable';
import { manifestText } from '../parsers/manifest-bytes';
import { connlistText } from '../policy/reachability/connlist-text';
import { evaluateReachability, Reachability } from '../policy/reachability/reachability';
import { reachabilityDot } from '../policy/reachability/reachability-dot';
import { reachabilityJson } from '../policy/reachability/reachability-json';
import { reachabilityMermaid } from '../policy/reachability/reachability-mermaid';

/** The command line of `reach`, in one line. */
export const REACH_SYNOPSIS = 'cdk8s-hardened reach <file|dir|->... [--format text|json|dot|mermaid]';

/** `reach --help`. */
export const REACH_USAGE = `usage: ${REACH_SYNOPSIS}

Lists the connections that the NetworkPolicies of Kubernetes YAML and JSON allow, between workloads (pods grouped by
their owner: namespace/name[Kind]) and the address ranges that the policies' ipBlocks cut (a-b[External]), in
netpol-analyzer's list format: SRC => DST : CONNECTIONS. Files are read as kubectl apply -f reads them (folders
recursively, - for standard input). NetworkPolicies the API server would refuse are left out, with a warning.
  --format  text (default: one line per allowed connection), or json: {"peers": [...], "connections": [...],
            "warnings": [...]}; a peer is {"name", "type": "workload", "namespace", "workload", "kind"} or
            {"name", "type": "external", "ipVersion", "first", "last"}; a connection is {"source", "destination",
            "connections" (the text form), "all", "protocols": {"TCP": [[first, last], ...], ...}}; or a graph,
            dot (Graphviz: dot -Tsvg) or mermaid (a flowchart; GitHub draws it in a mermaid code block): workloads
            grouped by namespace, address ranges, edges labelled with the connections; a workload open to or from
            every peer has one edge to or from "any peer"
Exit status: 0 listed, 2 a usage or input problem. Warnings go to standard error (in the JSON with --format json).`;

/** The output formats of `reach --format`. */
const FORMATS = ['text', 'json', 'dot', 'mermaid'] as const;

function isFormat(value: string | undefined): value is (typeof FORMATS)[number] {
  return (FORMATS as readonly unknown[]).includes(value);
}

/** The renderers of the formats other than json (which adds the skipped files to its warnings). */
const RENDERERS: { readonly [format: string]: (reachability: Reachability) => string } = {
  text: connlistText,
  dot: reachabilityDot,
  mermaid: reachabilityMermaid,
};

/** What `cdk8s-hardened reach` prints and its exit status. */
export interface ReachOutcome {
  /** What to print: the list on standard output, or with status 2 the problem, on standard error. */
  readonly output: string;
  /** 0 listed, 2 a usage or input problem. */
  readonly status: number;
  /**
   * Warnings for standard error (objects left out, files without Kubernetes objects), one a line.
   * @default - none
   */
  readonly warnings?: string;
}

/**
 * Runs `reach` with its arguments (after the word `reach`); never exits the process.
 * @param args the arguments after `reach`
 * @param readStdin reads standard input to its end (for the target `-`)
 */
export function runReach(args: string[], readStdin: () => string = () => manifestText(readFileSync(0))): ReachOutcome {
  const problem = (message: string, usage: boolean): ReachOutcome => ({
    output: `cdk8s-hardened reach: ${message}${usage ? `\n\n${REACH_USAGE}` : ''}`, status: 2,
  });
  const targets: string[] = [];
  let format = 'text';
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s, 2) : [args[i], undefined];
    if (flag === '--help' || flag === '-h') return { output: REACH_USAGE, status: 0 };
    if (flag === '--format') {
      const value = inline ?? args[++i];
      if (!isFormat(value)) return problem(`--format is ${JSON.stringify(value ?? null)}; use text, json, dot or mermaid`, true);
      format = value;
    } else if (flag.startsWith('-') && flag !== STDIN) {
      return problem(`unknown option ${flag}`, true);
    } else {
      targets.push(flag);
    }
  }
  if (targets.length === 0) return problem('name the files or folders to read', true);
  let sources: ManifestSources;
  try {
    sources = objectsOfTargets(targets, readStdin);
  } catch (e) {
    return problem((e as Error).message, false);
  }
  if (sources.objects.length === 0) return problem(`no Kubernetes objects in ${targets.join(', ')}`, false);
  const reachability = evaluateReachability(sources.objects.map(({ object }) => object.manifest));
  const warnings = [
    ...sources.skipped.map(({ file, reason }) => `skipped ${file}: ${reason}`),
    ...reachability.warnings,
  ];
  const output = format === 'json'
    ? JSON.stringify({ ...reachabilityJson(reachability), warnings }, undefined, 2)
    : RENDERERS[format](reachability).replace(/\n$/, '');
  return { output, status: 0, ...(warnings.length > 0 ? { warnings: warnings.map((w) => printableLine(`warning: ${w}`)).join('\n') } : {}) };
}

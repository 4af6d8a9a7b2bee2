import { parseGoDuration } from '../../src/blocklist/durations.js';
import { parseCidr } from '../../src/common/ip/cidr.js';
import { parseIp } from '../../src/common/ip/ip-address.js';

/**
 * What a CrowdSec engine >= 1.5 requires of a `GET /v3/decisions/stream` answer and of the lists it
 * links, written from reading its models and client (crowdsecurity/crowdsec, pkg/modelscapi:
 * GetDecisionsStreamResponse{New,Deleted,Links}, BlocklistLink; pkg/apiclient/decisions_service.go
 * GetDecisionsFromBlocklist; pkg/apiserver/apic.go). Returns every violation found (empty: accepted).
 *
 * - `new[]`: `scenario`, `scope` and `decisions` required; each decision needs `value` and `duration`.
 * - `deleted[]`: `scope` and `decisions` (strings) required.
 * - `links.blocklists[]`: `name`, `url`, `remediation`, `scope`, `duration` required (all strings).
 *   `url` is fetched as is with a plain `http.Client` (absolute http/https URL, no credentials).
 * - Inserting into its database: a duration must parse as a Go duration, and a value of scope ip
 *   or range must be an address or a network; one bad item rolls back the whole pull.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string';

export function goDurationProblem(where: string, value: unknown): string | null {
  if (!str(value)) return `${where}: duration must be a string`;
  try {
    parseGoDuration(value);
    return null;
  } catch {
    return `${where}: "${value}" is not a Go duration`;
  }
}

export function valueProblem(where: string, scope: string, value: unknown): string | null {
  if (!str(value)) return `${where}: value must be a string`;
  const s = scope.toLowerCase();
  if (s === 'ip' && parseIp(value) === null) return `${where}: "${value}" is not an IP address`;
  if (s === 'range' && parseCidr(value) === null) return `${where}: "${value}" is not a CIDR range`;
  return null;
}

export function v3StreamProblems(body: unknown): string[] {
  const problems: string[] = [];
  const add = (p: string | null) => p && problems.push(p);
  if (!isObj(body)) return ['body must be an object'];
  for (const [i, group] of ((body.new ?? []) as unknown[]).entries()) {
    if (!isObj(group) || !str(group.scenario) || !str(group.scope) || !Array.isArray(group.decisions)) {
      problems.push(`new[${i}]: scenario, scope and decisions are required`);
      continue;
    }
    for (const [j, d] of group.decisions.entries()) {
      if (!isObj(d)) {
        problems.push(`new[${i}].decisions[${j}] must be an object`);
        continue;
      }
      add(goDurationProblem(`new[${i}].decisions[${j}]`, d.duration));
      add(valueProblem(`new[${i}].decisions[${j}]`, group.scope, d.value));
    }
  }
  for (const [i, group] of ((body.deleted ?? []) as unknown[]).entries()) {
    if (!isObj(group) || !str(group.scope) || !Array.isArray(group.decisions) || !group.decisions.every(str)) {
      problems.push(`deleted[${i}]: scope and decisions (strings) are required`);
    }
  }
  if (body.links !== undefined && body.links !== null) {
    if (!isObj(body.links)) return [...problems, 'links must be an object'];
    for (const [i, link] of ((body.links.blocklists ?? []) as unknown[]).entries()) {
      const where = `links.blocklists[${i}]`;
      if (!isObj(link) || !['name', 'url', 'remediation', 'scope', 'duration'].every((k) => str(link[k]) && (link[k] as string).length > 0)) {
        problems.push(`${where}: name, url, remediation, scope and duration are required strings`);
        continue;
      }
      add(goDurationProblem(where, link.duration));
      let url: URL | null = null;
      try {
        url = new URL(link.url as string);
      } catch {
        problems.push(`${where}: url is not absolute`);
      }
      if (url && url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`${where}: url must be http or https`);
      if (!['ip', 'range'].includes((link.scope as string).toLowerCase())) problems.push(`${where}: scope ${String(link.scope)} is not ip or range`);
    }
  }
  return problems;
}

/** A linked list's body as the engine reads it: one value per line, each valid for the link's scope. */
export function listBodyProblems(scope: string, body: string): string[] {
  return body
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line, i) => valueProblem(`line ${i + 1}`, scope, line))
    .filter((p): p is string => p !== null);
}

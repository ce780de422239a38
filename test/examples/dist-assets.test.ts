/**
 * `npm run build` copies the examples' image folders next to their compiled stacks, so the app
 * run from dist/ (`node dist/bin/app.js`) finds the print-color Dockerfile as ts-node does.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');

describe('example assets in dist/', () => {
  const compiled = path.join(root, 'dist', 'examples', 'print-color', 'stack.js');

  it('the compiled print-color stack points at an image folder that holds the Dockerfile and script', () => {
    expect(existsSync(compiled)).toBe(true); // npm test builds before jest
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PRINT_COLOR_IMAGE_DIR } = require(compiled) as { PRINT_COLOR_IMAGE_DIR: string };
    expect(PRINT_COLOR_IMAGE_DIR).toBe(path.join(root, 'dist', 'examples', 'print-color', 'image'));
    expect(readFileSync(path.join(PRINT_COLOR_IMAGE_DIR, 'Dockerfile'), 'utf8')).toBe(
      readFileSync(path.join(root, 'examples', 'print-color', 'image', 'Dockerfile'), 'utf8'),
    );
    for (const f of ['colors.txt', 'print-color.sh'])
      expect(existsSync(path.join(PRINT_COLOR_IMAGE_DIR, f))).toBe(true);
  });
});

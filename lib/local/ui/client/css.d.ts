/** Style sheets are bundled as text (esbuild's `text` loader, scripts/build-ui.js). */
declare module '*.css' {
  const text: string;
  export default text;
}

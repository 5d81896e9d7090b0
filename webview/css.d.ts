// CSS imported from TypeScript: the panel bundle emits it as panel.css (esbuild's
// css loader, default export unused); the renderer bundle gets it as text.
declare module '*.css' {
  const text: string;
  export default text;
}

import { defineConfig } from 'vite';

// The page is plain TypeScript + DOM; the graft packages come from the workspace's built dist/ (npx tsc -b).
// generated/ holds the reference model and the MNIST slice (scripts/prepare-assets.mjs) and is served as is.
export default defineConfig({
  root: 'src/page',
  base: './',
  publicDir: '../../generated',
  build: { outDir: '../../dist/site', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});

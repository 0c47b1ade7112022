import { defineConfig } from 'vite';

// The dashboard is served by `fangxian serve --web-root web/dist`; in development
// `npm run dev` proxies /api to a running server (FX_API, default 127.0.0.1:8080).
const api = process.env.FX_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': { target: api, changeOrigin: false }, '/healthz': api },
  },
});

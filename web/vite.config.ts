import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// The app lives in web/; ihosd serves web/dist at "/" and the API at /api/v1 on the same origin.
// During `npm run dev`, /api is proxied to a running ihosd (IHOS_API, default 127.0.0.1:8080).
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  server: {
    proxy: {
      '/api': { target: process.env.IHOS_API ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    // Staff pages (Element Plus) and patient pages (Vant) are lazy routes, so each audience
    // downloads only its own UI kit.
    chunkSizeWarningLimit: 900,
  },
});

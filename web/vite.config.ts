import { fileURLToPath, URL } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// Vant's icon font lists a copy on a CDN (at.alicdn.com) after the embedded one. The page never
// loads anything from another origin (ihosd's Content-Security-Policy refuses it, and hospitals run
// on closed networks): drop remote sources from the built CSS, keep the embedded font.
function noRemoteFonts(): Plugin {
  const remote = /,\s*url\((?:https?:)?\/\/[^)]*\)\s*format\("[a-z0-9-]+"\)/g;
  return {
    name: 'ihos-no-remote-fonts',
    // A transform (before the file names are hashed), so the hashed name matches the content.
    transform(code, id) {
      if (!/\.css($|\?)/.test(id) || !remote.test(code)) return null;
      remote.lastIndex = 0;
      return { code: code.replace(remote, ''), map: null };
    },
  };
}

// The app lives in web/; ihosd serves web/dist at "/" and the API at /api/v1 on the same origin.
// During `npm run dev`, /api is proxied to a running ihosd (IHOS_API, default 127.0.0.1:8080).
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [vue(), noRemoteFonts()],
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

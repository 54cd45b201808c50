import { defineConfig } from 'vite';

// The gateway (deploy/nginx/nginx.conf) serves dist/index.html at / and dist/assets/ at /assets/.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    // `npm run dev`: the page on Vite's port, the APIs through the running gateway.
    proxy: Object.fromEntries(
      ['/cart', '/shipping', '/payment', '/checkout', '/promotions', '/services', '/warranty', '/auth'].map(
        (p) => [p, 'http://127.0.0.1:8080'],
      ),
    ),
  },
});

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API serves the built console under /admin/. react-admin keeps its routes after the hash
// (/admin/#/users/<id>), so a deep link only needs the server to return index.html at /admin/.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5174,
    strictPort: true,
    proxy: {
      '/trpc': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Library code in its own chunks, which stay cached across console releases and keep
        // each file under Vite's 500 kB warning.
        codeSplitting: {
          groups: [
            { name: 'mui', test: /node_modules[\\/](@mui|@emotion)[\\/]/, priority: 3 },
            {
              name: 'react-admin',
              test: /node_modules[\\/](ra-[a-z-]+|react-admin)[\\/]/,
              priority: 2,
            },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});

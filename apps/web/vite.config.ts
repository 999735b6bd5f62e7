import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API listens here in development. In production the API serves this build itself.
const apiOrigin = process.env.API_ORIGIN ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    proxy: {
      '/trpc': apiOrigin,
      '/api': apiOrigin,
    },
  },
});

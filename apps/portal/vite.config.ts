import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Two builds into one folder, so a patient's phone never loads the staff app:
 * - the staff portal (index.html): React, Mantine, TanStack Query;
 * - the patient pages (patient.html, `--mode patient`): the same React code on preact/compat, since
 *   react-dom alone is 68 KB gzipped and the patient pages' budget is 60 KB (BENCHMARKS.md).
 * The API serves the result from dist/portal; `npm run portal:dev` proxies /api to port 3000.
 */
export default defineConfig(({ mode }) => {
  const patient = mode === 'patient';
  return {
    root: __dirname,
    base: '/',
    oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
    resolve: patient
      ? {
          alias: [
            { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
            { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
            { find: /^react(-dom)?$/, replacement: 'preact/compat' },
          ],
        }
      : {},
    build: {
      outDir: resolve(__dirname, '../../dist/portal'),
      // The staff build runs first and clears the folder; the patient build adds to it.
      emptyOutDir: !patient,
      sourcemap: false,
      rollupOptions: { input: resolve(__dirname, patient ? 'patient.html' : 'index.html') },
    },
    server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  };
});

// Runs a TypeScript entry point in a child process, compiled on the fly by SWC with the same
// settings as Jest and the @app/* aliases resolved against the sources: a real process, no build.
const path = require('node:path');
const { transformSync } = require('@swc/core');
const { register } = require('tsconfig-paths');
const { compilerOptions } = require('../../tsconfig.json');

const root = path.join(__dirname, '..', '..');
register({ baseUrl: root, paths: compilerOptions.paths });
require.extensions['.ts'] = (module, filename) => {
  const source = require('node:fs').readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
